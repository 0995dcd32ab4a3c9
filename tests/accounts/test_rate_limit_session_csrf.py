"""Failed sign-ins are rate limited; sessions are renewed at sign-in; forms need CSRF."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from tests.accounts.conftest import LOCAL_EMAIL, LOCAL_PASSWORD, form_error_codes, sign_in
from tests.accounts.directory_fixtures import PASSWORD, STUDENT

pytestmark = pytest.mark.django_db


def _fail_five_times(client: Client, login: str) -> None:
    for _ in range(5):
        response = sign_in(client, login, "wrong-password")
        assert response.status_code == 200
        assert "too_many_login_attempts" not in form_error_codes(response)


def test_local_account_sixth_attempt_refused_even_with_the_right_password(client, local_user):
    _fail_five_times(client, LOCAL_EMAIL)
    response = sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD)
    assert response.status_code == 200
    assert form_error_codes(response) == {"too_many_login_attempts"}
    assert not client.get("/healthz").wsgi_request.user.is_authenticated


def test_directory_account_sixth_attempt_refused_even_with_the_right_password(
    client, campus_directory
):
    _fail_five_times(client, STUDENT)
    response = sign_in(client, STUDENT, PASSWORD)
    assert response.status_code == 200
    assert form_error_codes(response) == {"too_many_login_attempts"}
    assert not client.get("/healthz").wsgi_request.user.is_authenticated


def test_limit_also_counts_per_address_across_accounts(client, local_user, campus_directory):
    for index in range(5):
        sign_in(client, f"nobody{index}@example.com", "wrong-password")
    response = sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD)
    assert form_error_codes(response) == {"too_many_login_attempts"}
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(other, STUDENT, PASSWORD).status_code == 302


def test_session_key_changes_at_sign_in(client, local_user):
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = planted.session_key
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    new_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert new_key != planted.session_key
    assert not SessionStore().exists(planted.session_key)
    # Whoever kept the planted id is not signed in.
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = planted.session_key
    assert not attacker.get("/healthz").wsgi_request.user.is_authenticated


def test_directory_sign_in_renews_the_session_too(client, campus_directory):
    client.get("/accounts/login/")
    session = client.session
    session["x"] = 1
    session.save()
    before = session.session_key
    assert sign_in(client, STUDENT, PASSWORD).status_code == 302
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != before


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/login/", {"login": LOCAL_EMAIL, "password": LOCAL_PASSWORD}),
        (
            "/accounts/signup/",
            {"email": "x@example.com", "password1": "Aa-1xxxxx!", "password2": "Aa-1xxxxx!"},
        ),
        ("/accounts/password/reset/", {"email": LOCAL_EMAIL}),
    ],
)
def test_anonymous_forms_need_a_csrf_token(csrf_client, local_user, path, data):
    assert csrf_client.post(path, data).status_code == 403
    assert not csrf_client.get("/healthz").wsgi_request.user.is_authenticated


@pytest.mark.parametrize("path", ["/accounts/logout/", "/accounts/2fa/totp/activate/"])
def test_signed_in_forms_need_a_csrf_token(csrf_client, local_user, path):
    csrf_client.force_login(local_user)
    assert csrf_client.post(path, {"code": "123456"}).status_code == 403
    assert csrf_client.get("/healthz").wsgi_request.user == local_user


def test_with_a_token_the_sign_in_works(csrf_client, local_user):
    csrf_client.get("/accounts/login/")
    token = csrf_client.cookies[django_settings.CSRF_COOKIE_NAME].value
    response = csrf_client.post(
        "/accounts/login/",
        {"login": LOCAL_EMAIL, "password": LOCAL_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
