"""Make the demo's configured matters take applications (``make run``, after the other demo
loaders): what a data steward and an administrator do by hand in production.

1. Grant the generic handler (``config.generic``) every warehouse item the starting
   configurations read, as "demo-steward" (masked, like the plugins' demo grants).
2. Give every office a step names a staff account (``demo-<office>``, the demo password of
   var/demo-accounts.txt), so no step waits for an office nobody works in.
3. Publish the starting configuration of every matter of depth ≥ 3 that no code plugin serves
   (the lint decides, as for an office) and bind it to the generic handler.

Running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from campus_portal.accounts.models import RoleAssignment
from campus_portal.accounts.roles import Role
from campus_portal.accounts.services import role_assign
from campus_portal.catalog.models import MatterPage, Office
from campus_portal.matter_config.definition import definition_from_draft
from campus_portal.matter_config.models import MatterConfiguration
from campus_portal.matter_config.selectors import HANDLER_KEY
from campus_portal.matter_config.services import configurations_import
from data_warehouse.selectors import grants_active_keys
from data_warehouse.services import grant_create


def _demo_password() -> str | None:
    path = Path(settings.VAR_DIR) / "demo-accounts.txt"
    return path.read_text(encoding="utf-8").split()[0] if path.exists() else None


class Command(BaseCommand):
    help = "Grant, staff and publish the demo's starting matter configurations."

    def handle(self, *args, **options) -> None:
        definitions = [definition_from_draft(c) for c in MatterConfiguration.objects.all()]
        granted = grants_active_keys(handler_key=HANDLER_KEY)
        wanted = sorted({key for d in definitions for key in d["data_needs"]} - granted)
        for key in wanted:
            grant_create(
                handler_key=HANDLER_KEY,
                item_key=key,
                purpose="按事项配置办理申请（演示授权）",
                granted_by="demo-steward",
            )
        offices = {s["office"] for d in definitions for s in d["steps"] if s.get("office")}
        offices |= set(MatterConfiguration.objects.values_list("office_code", flat=True))
        staffed = set(
            RoleAssignment.objects.filter(
                role__in=[Role.OFFICE_STAFF, Role.OFFICE_HEAD]
            ).values_list("office_code", flat=True)
        )
        accounts = 0
        for office in Office.objects.filter(code__in=offices - staffed):
            user, _ = get_user_model().objects.get_or_create(
                username=f"demo-{office.code.lower()}",
                defaults={"email": f"demo-{office.code.lower()}@demo.example.edu.cn"},
            )
            password = _demo_password()
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            role_assign(user, role=Role.OFFICE_STAFF, office_code=office.code, by="demo")
            accounts += 1
        codes = list(MatterPage.objects.values_list("code", flat=True))
        derived, published = configurations_import(codes=codes, user="demo")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(wanted)} grants, {accounts} office accounts; "
                f"{published} of {derived} matter configurations published."
            )
        )
