"""``load_demo_data``: what ``make run`` shows, idempotent, with a printed admin password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_prints_the_admin(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("load_demo_data")
    first = capsys.readouterr().out
    assert "100 unchanged" in first  # the session already imported the same list
    assert "一件事 bundles: 4 new, 0 unchanged" in first
    password = (tmp_path / "admin-credentials.txt").read_text().split()[1]
    assert f"admin / {password}" in first
    assert get_user_model().objects.get(username="admin").check_password(password)
    call_command("load_demo_data")
    again = capsys.readouterr().out
    assert f"admin / {password}" in again and "一件事 bundles: 0 new, 4 unchanged" in again
    assert get_user_model().objects.filter(username="admin").count() == 1
