"""One user per role, with the objects each role may or may not touch.

Staff users get a TOTP authenticator so that the MFA rule lets them through to the pages
under test (the MFA rule itself is tested in tests/accounts).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.db import transaction

from campus_portal.accounts.roles import Role
from campus_portal.accounts.services import identity_link, role_assign

ROLES = (
    "anonymous",
    "applicant",
    "window_staff",
    "office_staff",
    "office_head",
    "data_steward",
    "administrator",
    "supervisor",
    "superuser",
    # Issue 17: a member of staff named on a step of the matrix application (a budget holder),
    # and a student named the same way (an old claim): no roles, both with an authenticator.
    "named_assignee",
    "named_student",
)
#: Campus identities of the two named people (warehouse staff / student records).
NAMED_STAFF_UID = "T-MATRIX-1"
NAMED_STUDENT_UID = "2023010177"
OWN_OFFICE = "JWC"

ROLE_GRANTS: dict[str, list[tuple[str, str]]] = {
    "applicant": [],
    "window_staff": [(Role.WINDOW_STAFF, "")],
    "office_staff": [(Role.OFFICE_STAFF, OWN_OFFICE)],
    "office_head": [(Role.OFFICE_HEAD, OWN_OFFICE)],
    "data_steward": [(Role.DATA_STEWARD, OWN_OFFICE)],
    "administrator": [(Role.ADMINISTRATOR, "")],
    "supervisor": [(Role.SUPERVISOR, "")],
}


@dataclass
class RoleUsers:
    users: dict[str, object]

    def __getitem__(self, role: str):
        return self.users[role]


def _make_user(role: str):
    user_model = get_user_model()
    if role == "superuser":
        user = user_model.objects.create_superuser(f"matrix-{role}", f"{role}@x.cn", "pw-Matrix-1")
    else:
        user = user_model.objects.create_user(f"matrix-{role}", f"{role}@x.cn", "pw-Matrix-1")
    for grant_role, office in ROLE_GRANTS.get(role, []):
        role_assign(user, role=grant_role, office_code=office, by="matrix")
    if role != "applicant":
        TOTP.activate(user, generate_totp_secret())
    return user


def _named_people_create(users: dict) -> None:
    """The warehouse records behind the two named roles, and their campus identities."""
    from tests.applications.conftest import make_student
    from tests.attachments.conftest import warehouse_staff

    warehouse_staff(NAMED_STAFF_UID, name="钱老师")
    make_student(NAMED_STUDENT_UID)
    identity_link(users["named_assignee"], person_uid=NAMED_STAFF_UID, source="manual")
    identity_link(users["named_student"], person_uid=NAMED_STUDENT_UID, source="manual")


def role_users_create() -> RoleUsers:
    users = {role: None if role == "anonymous" else _make_user(role) for role in ROLES}
    identity_link(users["applicant"], person_uid="2023010101", source="manual")
    _named_people_create(users)
    return RoleUsers(users)


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """Data for a whole module, undone at its end (tests inside nest as savepoints).

    Creating users, roles and objects once per module instead of once per cell keeps the
    thousand-odd requests of the matrix within a minute.
    """
    with (
        django_db_blocker.unblock(),
        transaction.atomic(using="default"),
        transaction.atomic(using="warehouse"),
    ):
        yield
        transaction.set_rollback(True, using="default")
        transaction.set_rollback(True, using="warehouse")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One user per role and the objects of the matrix, once per module, rolled back after."""
    from tests.authorization.test_matrix import objects_create

    with rolled_back(django_db_blocker):
        role_users = role_users_create()
        yield role_users, objects_create()
