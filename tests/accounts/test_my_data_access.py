"""谁查看了我的数据: a person sees the reads of their own data, and nobody else's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from campus_portal.accounts.services import identity_link
from tests.accounts.data_access_fixtures import reads_of_two_people_create

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.fixture
def reads(db):
    reads_of_two_people_create()


def test_own_reads_only(client, reads):
    user = get_user_model().objects.create_user("2023010101", "a@x.cn", "pw-Data-123")
    identity_link(user, person_uid="2023010101", source="manual")
    client.force_login(user)
    page = client.get("/me/data-access/").content.decode()
    assert "APP-OWN" in page and "开具在读证明" in page and "姓名" in page
    assert "APP-OTHER" not in page and "别人的证明" not in page


def test_query_parameters_cannot_select_someone_else(client, reads):
    user = get_user_model().objects.create_user("2023010101", "a@x.cn", "pw-Data-123")
    identity_link(user, person_uid="2023010101", source="manual")
    client.force_login(user)
    page = client.get("/me/data-access/", {"person": "2023010102", "uid": "2023010102"})
    assert "APP-OTHER" not in page.content.decode()


def test_local_account_without_identity_sees_an_explanation(client, reads):
    user = get_user_model().objects.create_user("local-visitor", "v@x.cn", "pw-Data-123")
    client.force_login(user)
    response = client.get("/me/data-access/")
    assert response.status_code == 200
    assert "APP-" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/me/data-access/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
