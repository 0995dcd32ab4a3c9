"""CSRF on every state-changing form: a POST without the token is refused on every URL we serve.

It walks the same URL inventory as the authorization matrix, signed in as a superuser (who
would otherwise get through), so a view that is accidentally CSRF-exempt fails here.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.authorization.test_matrix import _fill, inventory

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

# Read-only endpoints: a POST is not a state change there (the API answers 405 to any POST).
READ_ONLY = {"api/v1/matters/", "api/v1/matters/<str:code>/", "api/schema/", "healthz"}


@pytest.mark.parametrize("route", [r for r in inventory() if r not in READ_ONLY])
def test_post_without_token_is_refused(world, route):
    role_users, objects = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["superuser"])  # has an authenticator: MFA lets it through
    response = client.post(_fill(route, objects, own=True), {"anything": "1"})
    assert response.status_code == 403, f"{route}: {response.status_code}"
    assert b"CSRF" in response.content


@pytest.mark.parametrize("route", sorted(READ_ONLY))
def test_read_only_endpoints_change_nothing_on_post(world, route):
    _role_users, objects = world
    response = Client(enforce_csrf_checks=True).post(_fill(route, objects, own=True))
    assert response.status_code in (403, 405)
