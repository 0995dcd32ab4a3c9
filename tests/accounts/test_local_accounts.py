"""Local accounts (alumni, visitors): sign-up, email verification, sign-in, password reset."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from campus_portal.accounts.adapter import LOCAL_USERNAME_PREFIX
from campus_portal.accounts.models import CampusIdentity
from tests.accounts.conftest import LOCAL_EMAIL, LOCAL_PASSWORD, form_error_codes, sign_in
from tests.accounts.directory_fixtures import PASSWORD, STUDENT

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def _memory_mail(settings, fresh_cache):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _link_in(message, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern}[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_verify_email_then_sign_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "visitor@example.com",
            "password1": "Visitor-pw-77!",
            "password2": "Visitor-pw-77!",
        },
    )
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="visitor@example.com")
    assert user.username.startswith(LOCAL_USERNAME_PREFIX)
    assert not CampusIdentity.objects.filter(user=user).exists()
    # Mandatory verification: not signed in until the link is followed.
    assert not client.get("/healthz").wsgi_request.user.is_authenticated
    assert (
        sign_in(client, "visitor@example.com", "Visitor-pw-77!").url == "/accounts/confirm-email/"
    )
    # allauth does not send the same verification mail again within its cooldown.
    assert len(mail.outbox) == 1
    confirm = _link_in(mail.outbox[0], "/accounts/confirm-email/")
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    client.logout()
    assert sign_in(client, "visitor@example.com", "Visitor-pw-77!").status_code == 302
    assert client.get("/healthz").wsgi_request.user == user


def test_two_local_accounts_get_distinct_prefixed_names(client):
    for email in ("a@example.com", "b@example.com"):
        client.post(
            "/accounts/signup/",
            {"email": email, "password1": "Visitor-pw-77!", "password2": "Visitor-pw-77!"},
        )
    names = list(
        User.objects.filter(email__in=["a@example.com", "b@example.com"]).values_list(
            "username", flat=True
        )
    )
    assert len(set(names)) == 2
    assert all(name.startswith(LOCAL_USERNAME_PREFIX) for name in names)


def test_local_account_signs_in_by_email(client, local_user):
    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    assert client.get("/healthz").wsgi_request.user == local_user


def test_local_account_wrong_password_is_the_generic_error(client_en, local_user):
    response = sign_in(client_en, LOCAL_EMAIL, "not-it")
    assert form_error_codes(response) == {"email_password_mismatch"}


def test_password_reset(client, local_user):
    response = client.post("/accounts/password/reset/", {"email": LOCAL_EMAIL})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_in(mail.outbox[0], "/accounts/password/reset/key/")
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "Brand-new-pw-42!", "password2": "Brand-new-pw-42!"}
    )
    assert response.status_code == 302
    local_user.refresh_from_db()
    assert local_user.check_password("Brand-new-pw-42!")
    client.logout()
    assert sign_in(client, LOCAL_EMAIL, "Brand-new-pw-42!").status_code == 302


def test_directory_accounts_get_no_reset_link(client, campus_directory):
    assert sign_in(client, STUDENT, PASSWORD).status_code == 302
    client.logout()
    response = client.post("/accounts/password/reset/", {"email": "zhangxm@example.edu"})
    assert response.status_code == 302  # the same answer as for any address
    assert mail.outbox == []
    assert not User.objects.get(username=STUDENT).has_usable_password()


def test_directory_account_cannot_use_a_local_password(client, campus_directory):
    assert sign_in(client, STUDENT, PASSWORD).status_code == 302
    client.logout()
    user = User.objects.get(username=STUDENT)
    user.set_password("Sneaked-in-pw-1!")  # e.g. set by mistake in the admin
    user.save()
    response = sign_in(client, "zhangxm@example.edu", "Sneaked-in-pw-1!")
    assert response.status_code == 200
    assert not client.get("/healthz").wsgi_request.user.is_authenticated


def test_sign_in_page_has_one_form_labelled_for_both(client_en):
    response = client_en.get("/accounts/login/")
    assert response.status_code == 200
    assert response.text.count("<form") - response.text.count('role="search"') == 1
    assert "Campus number or email" in response.text
    assert "site-header" in response.text  # the portal layout
