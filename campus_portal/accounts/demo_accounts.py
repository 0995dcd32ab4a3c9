"""Demo sign-in accounts, one per role, linked to demo persons of the warehouse.

The demo runs without a campus directory, so these are local accounts whose username is the
demo campus number. They share one generated password, kept in var/demo-accounts.txt.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from campus_portal.accounts.models import CampusIdentity
from campus_portal.accounts.roles import Role
from campus_portal.accounts.services import identity_link, role_assign


@dataclass(frozen=True)
class DemoAccount:
    username: str
    description: str
    roles: tuple[tuple[str, str], ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount("DEMO-S00000", "student (applicant)"),
    DemoAccount("DEMO-S00001", "student (applicant)"),
    DemoAccount("DEMO-T0000", "office staff, 教务处", ((Role.OFFICE_STAFF, "JWC"),)),
    DemoAccount("DEMO-T0001", "office head, 教务处", ((Role.OFFICE_HEAD, "JWC"),)),
    DemoAccount("DEMO-T0002", "window staff", ((Role.WINDOW_STAFF, ""),)),
    DemoAccount("DEMO-T0003", "data steward, 教务处", ((Role.DATA_STEWARD, "JWC"),)),
    DemoAccount("DEMO-T0004", "administrator", ((Role.ADMINISTRATOR, ""),)),
    DemoAccount("DEMO-T0005", "supervision (督办)", ((Role.SUPERVISOR, ""),)),
)


def _demo_password() -> str:
    path = Path(settings.VAR_DIR) / "demo-accounts.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").split()[0]
    password = secrets.token_urlsafe(12)
    path.write_text(f"{password}\n", encoding="utf-8")
    path.chmod(0o600)
    return password


@transaction.atomic
def demo_accounts_load() -> tuple[str, list[DemoAccount]]:
    """Create the demo accounts that are missing; returns the password and the accounts."""
    password = _demo_password()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        if CampusIdentity.objects.filter(person_uid=account.username).exists():
            continue
        email = f"{account.username.lower()}@demo.example.edu.cn"
        user = user_model.objects.create_user(account.username, email, password)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        identity_link(user, person_uid=account.username, source=CampusIdentity.Source.DEMO)
        for role, office_code in account.roles:
            role_assign(user, role=role, office_code=office_code, by="demo")
    return password, list(DEMO_ACCOUNTS)
