"""The reminder to enter next year's notice, and entering it in the Wagtail admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import checks
from django.utils import translation

from campus_portal.workdays.calendar import is_working_day
from campus_portal.workdays.checks import calendar_coverage_check, calendar_coverage_warnings
from campus_portal.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db

FAR = 2098  # and 2099: years no version of the library will cover


def test_no_warning_when_the_library_covers_this_year_and_the_next():
    assert calendar_coverage_warnings(date(2025, 6, 1)) == []


def test_a_warning_for_each_uncovered_year_without_overrides():
    with translation.override("en"):
        warnings = calendar_coverage_warnings(date(FAR, 6, 1))
    assert [w.id for w in warnings] == ["workdays.W001", "workdays.W001"]
    assert all(w.level == checks.WARNING for w in warnings)
    assert str(FAR) in str(warnings[0].msg) and str(FAR + 1) in str(warnings[1].msg)
    with translation.override("en"):
        assert "State Council" in str(warnings[1].hint)


def test_entering_next_years_notice_silences_the_warning():
    CalendarOverride.objects.create(date=date(FAR + 1, 1, 1), is_working_day=False, note="元旦")
    warnings = calendar_coverage_warnings(date(FAR, 12, 1))
    assert len(warnings) == 1 and str(FAR) in str(warnings[0].msg)
    CalendarOverride.objects.create(date=date(FAR, 1, 1), is_working_day=False, note="元旦")
    assert calendar_coverage_warnings(date(FAR, 12, 1)) == []


def test_the_check_is_registered_and_uses_today():
    assert calendar_coverage_check in checks.registry.registry.get_checks()
    messages = checks.run_checks(tags=["workdays"])
    assert all(message.id == "workdays.W001" for message in messages)


def _login_admin(client, admin_user):
    client.force_login(admin_user)


def test_an_administrator_enters_an_override_in_the_admin(client, admin_user):
    _login_admin(client, admin_user)
    listing = client.get("/admin/snippets/workdays/calendaroverride/")
    assert listing.status_code == 200
    assert is_working_day(date(2025, 10, 9))
    response = client.post(
        "/admin/snippets/workdays/calendaroverride/add/",
        {"date": "2025-10-09", "is_working_day": "", "note": "校庆闭校"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get(date=date(2025, 10, 9))
    assert override.created_by == admin_user
    assert not override.is_working_day
    assert not is_working_day(date(2025, 10, 9))


def test_others_cannot_manage_overrides(client, django_user_model):
    user = django_user_model.objects.create_user("li", "li@example.edu.cn", "pw-Li-12345")
    client.force_login(user)
    response = client.get("/admin/snippets/workdays/calendaroverride/")
    assert response.status_code in {302, 403}
