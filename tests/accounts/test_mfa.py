"""Staff must enrol TOTP; TOTP at sign-in; recovery codes; MFA changes in the security log."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from campus_portal.accounts.services import role_assign
from campus_portal.audit.models import SecurityEvent
from tests.accounts.conftest import LOCAL_EMAIL, LOCAL_PASSWORD, sign_in
from tests.accounts.directory_fixtures import PASSWORD, STUDENT, TEACHER

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _tolerant_totp(settings):
    # One step either side, so a code computed at the end of a period still counts.
    settings.MFA_TOTP_TOLERANCE = 1


def reauthenticate(client, password: str = LOCAL_PASSWORD) -> None:
    """allauth wants the password again (a fresh "reauthentication") before MFA changes."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content


def totp_code(secret: str, *, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture
def staff(local_user):
    role_assign(local_user, role="office_staff", office_code="JWC", by="test")
    return local_user


def test_staff_without_totp_are_sent_to_enrolment(client, staff):
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    for path in ("/", "/me/data-access/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == "/accounts/2fa/totp/activate/", path
    assert client.get("/api/", HTTP_ACCEPT="application/json").status_code == 403
    assert client.get("/", HTTP_ACCEPT="application/json").status_code == 403
    # allauth's own pages, the language switch and sign-out stay reachable.
    assert client.get("/accounts/reauthenticate/").status_code == 200
    reauthenticate(client)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/healthz").wsgi_request.user.is_authenticated


def test_applicants_need_no_mfa(client, local_user):
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    assert client.get("/me/data-access/").status_code == 200


def test_enrolment_lets_staff_in_and_is_logged(client, staff, django_capture_on_commit_callbacks):
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    assert client.get("/accounts/2fa/totp/activate/").url.startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    assert secret in page.text
    # allauth sends authenticator_added on commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/recovery-codes/"
    assert client.get("/me/data-access/").status_code == 200
    types = set(Authenticator.objects.filter(user=staff).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}
    events = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.MFA_CHANGED, subject=staff.username
    )
    assert {e.detail["type"] for e in events} >= {"totp"}
    assert all(e.detail["action"] == "added" for e in events)


def test_removing_totp_is_logged_and_enrolment_required_again(client, staff):
    TOTP.activate(staff, SECRET)
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302
    reauthenticate(client)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.MFA_CHANGED, subject=staff.username, detail__action="removed"
    ).exists()
    assert client.get("/").url == "/accounts/2fa/totp/activate/"


def test_sign_in_asks_for_the_totp_code(client, staff):
    TOTP.activate(staff, SECRET)
    response = sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/authenticate/")
    assert not client.get("/healthz").wsgi_request.user.is_authenticated
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not client.get("/healthz").wsgi_request.user.is_authenticated
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302
    assert client.get("/healthz").wsgi_request.user == staff
    assert client.get("/me/data-access/").status_code == 200


def test_recovery_code_works_once(client, staff):
    TOTP.activate(staff, SECRET)
    code = RecoveryCodes.activate(staff).get_unused_codes()[0]
    sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/healthz").wsgi_request.user == staff
    client.post("/accounts/logout/")
    sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert not client.get("/healthz").wsgi_request.user.is_authenticated


def test_directory_staff_must_enrol_too(client, campus_directory):
    assert sign_in(client, TEACHER, PASSWORD).status_code == 302
    assert client.get("/").url == "/accounts/2fa/totp/activate/"
    client.post("/accounts/logout/")
    assert sign_in(client, STUDENT, PASSWORD).status_code == 302
    assert client.get("/me/data-access/").status_code == 200


def test_directory_user_with_totp_passes_the_totp_step(client, campus_directory, django_user_model):
    sign_in(client, TEACHER, PASSWORD)
    client.post("/accounts/logout/")
    TOTP.activate(django_user_model.objects.get(username=TEACHER), SECRET)
    response = sign_in(client, TEACHER, PASSWORD)
    assert response.url.startswith("/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert client.get("/healthz").wsgi_request.user.username == TEACHER
    assert client.get("/me/data-access/").status_code == 200
