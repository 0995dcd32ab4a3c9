"""Sign-in fixtures: the test directory (directory_fixtures.py), local accounts, clients."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from tests.accounts.directory_fixtures import (  # noqa: F401 (fixtures)
    campus_directory,
    directory_down,
    fresh_cache,
    sign_in_slapd,
)

LOCAL_EMAIL = "alumna@example.com"
LOCAL_PASSWORD = "Alumna-pw-2019!"


@pytest.fixture
def local_user(django_user_model, fresh_cache):  # noqa: F811 (the imported fixture)
    """A verified local (allauth) account, as sign-up plus email confirmation leave it."""
    user = django_user_model.objects.create_user(
        "local-alumna", email=LOCAL_EMAIL, password=LOCAL_PASSWORD, first_name="校友"
    )
    EmailAddress.objects.create(user=user, email=LOCAL_EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def client_en() -> Client:
    """A client that asks for English, so allauth's messages are the English msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sign_in(client: Client, login: str, password: str, **extra):
    """POST the sign-in form."""
    return client.post("/accounts/login/", {"login": login, "password": password}, **extra)


def form_error_codes(response) -> set[str]:
    """The error codes of the sign-in form in ``response`` (language independent)."""
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}
