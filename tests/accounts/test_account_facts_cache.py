"""Roles and campus identity served from the shared cache between requests (issue 6) must
never outlive a change: a revoked role is gone on the next request, a rolled-back one never
appears, a reused account id does not inherit the old account's roles."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from campus_portal.accounts.roles import Role, scope_for
from campus_portal.accounts.selectors import person_uid_for
from campus_portal.accounts.services import identity_link, role_assign, role_revoke

# Outside a test transaction: the cache is filled only from committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _fresh(user):
    """The account as the next request loads it (no per-object memo)."""
    return get_user_model().objects.get(pk=user.pk)


def test_facts_come_from_the_cache_and_follow_every_change(django_assert_num_queries):
    user = get_user_model().objects.create_user("facts-a")
    identity_link(user, person_uid="P-FACTS-A", source="manual")
    assert person_uid_for(_fresh(user)) == "P-FACTS-A"  # fills the cache
    again = _fresh(user)
    with django_assert_num_queries(0):
        assert scope_for(again).grants == frozenset()
        assert person_uid_for(again) == "P-FACTS-A"

    role_assign(user, role=Role.OFFICE_STAFF, office_code="JWC", by="test")
    assert scope_for(_fresh(user)).processing_offices == {"JWC"}
    role_revoke(user, role=Role.OFFICE_STAFF, office_code="JWC", by="test")
    assert scope_for(_fresh(user)).processing_offices == frozenset()

    identity_link(user, person_uid="P-FACTS-B", source="manual")
    assert person_uid_for(_fresh(user)) == "P-FACTS-B"


def test_a_rolled_back_role_is_never_cached():
    user = get_user_model().objects.create_user("facts-b")
    assert scope_for(_fresh(user)).grants == frozenset()
    with pytest.raises(RuntimeError), transaction.atomic():
        role_assign(user, role=Role.ADMINISTRATOR, by="test")
        assert scope_for(_fresh(user)).is_administrator  # seen inside, not cached
        raise RuntimeError
    assert not scope_for(_fresh(user)).is_administrator


def test_a_reused_account_id_does_not_inherit_roles():
    from datetime import timedelta

    from campus_portal.accounts.models import RoleAssignment

    user = get_user_model().objects.create_user("facts-c")
    role_assign(user, role=Role.ADMINISTRATOR, by="test")
    assert scope_for(_fresh(user)).is_administrator  # cached for this account
    # The same id now names another account (a restored database, a rolled-back test): other
    # creation time, other roles — changed past the models, so no signal dropped the entry.
    RoleAssignment.objects.filter(user_id=user.pk).update(role=Role.WINDOW_STAFF)
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=user.date_joined + timedelta(seconds=1)
    )
    scope = scope_for(_fresh(user))
    assert scope.is_window_staff and not scope.is_administrator
