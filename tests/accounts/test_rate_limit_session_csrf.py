"""Failed sign-ins are rate limited; sessions are renewed at sign-in; forms need CSRF."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from tests.accounts.conftest import LOCAL_EMAIL, LOCAL_PASSWORD, form_error_codes, sign_in
from tests.accounts.directory_fixtures import PASSWORD, STUDENT

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture
def client() -> Client:
    """A client at an address of its own: these tests spend the sign-in budget of their address
    on purpose, and with a shared cache (Redis) spending 127.0.0.1's would lock out the other
    test processes' browsers, which all sign in from there."""
    number = next(_addresses)
    return Client(REMOTE_ADDR=f"10.77.{number // 250}.{number % 250 + 1}")


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


def test_failures_with_made_up_names_do_not_lock_another_person_out(client, local_user):
    """Issue 17: five failures with invented names from one address locked out a different,
    correct user from it. The account limit counts one account at one address."""
    for index in range(5):
        sign_in(client, f"nobody{index}@example.com", "wrong-password")
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302


def test_a_stranger_elsewhere_cannot_lock_an_account(client, local_user):
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    _fail_five_times(stranger, LOCAL_EMAIL)
    assert form_error_codes(sign_in(stranger, LOCAL_EMAIL, LOCAL_PASSWORD)) == {
        "too_many_login_attempts"
    }
    # The owner, at their own address, signs in.
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302


def test_many_accounts_from_one_address_are_slowed_down(client, local_user, settings):
    """The per-address limit (higher) still stops one client trying account after account."""
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[0].split("/")[0])
    for index in range(limit):
        sign_in(client, f"nobody{index}@example.com", "wrong-password")
    refused = sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD)
    # The form's "too many attempts", or allauth's overall 30-per-minute page (429).
    assert refused.status_code == 429 or form_error_codes(refused) == {"too_many_login_attempts"}
    assert sign_in(Client(REMOTE_ADDR="10.1.2.3"), LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302


def test_behind_the_trusted_proxy_each_client_counts_on_its_own(client, local_user, settings):
    """Every request arrives from the proxy; its X-Forwarded-For names the client."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    owner = {"HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    for _ in range(5):
        sign_in(proxy, LOCAL_EMAIL, "wrong-password", **attacker)
    assert form_error_codes(sign_in(proxy, LOCAL_EMAIL, LOCAL_PASSWORD, **attacker)) == {
        "too_many_login_attempts"
    }
    assert sign_in(proxy, LOCAL_EMAIL, LOCAL_PASSWORD, **owner).status_code == 302


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(local_user, settings):
    """A client that sends X-Forwarded-For itself cannot pose as many clients."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    direct = Client(REMOTE_ADDR="203.0.113.7")
    for index in range(5):
        sign_in(direct, LOCAL_EMAIL, "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{index}")
    response = sign_in(direct, LOCAL_EMAIL, LOCAL_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert form_error_codes(response) == {"too_many_login_attempts"}


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
