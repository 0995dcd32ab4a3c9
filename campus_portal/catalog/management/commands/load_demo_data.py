"""``python manage.py load_demo_data``: what ``make run`` shows on a fresh machine.

Imports the reference micro-power list (demo_data/), gives the 一件事 bundles of
demo_data/one_things.yaml their guide pages, and creates an administrator whose password is
printed once. Running it again changes nothing and keeps the password.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from campus_portal.catalog.bundles import bundle_matters_ensure
from campus_portal.catalog.services import catalog_home_ensure, power_list_import

DEMO_LIST = Path(settings.BASE_DIR) / "demo_data" / "micro_power_list.csv"
DEMO_BUNDLES = Path(settings.BASE_DIR) / "demo_data" / "one_things.yaml"


class Command(BaseCommand):
    help = "Load the demo catalog and an administrator account (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--admin-username", default="admin")

    def handle(self, *args, admin_username: str, **options):
        catalog_home_ensure()
        plan = power_list_import(
            data=DEMO_LIST.read_bytes(), filename=DEMO_LIST.name, dry_run=False
        )
        self.stdout.write(
            f"Demo catalog: {len(plan.created)} new, {len(plan.changed)} changed, "
            f"{len(plan.unchanged)} unchanged matters."
        )
        bundles = bundle_matters_ensure(data=DEMO_BUNDLES.read_bytes())
        if not bundles.ok:
            raise CommandError("one_things.yaml: " + "; ".join(bundles.problems))
        self.stdout.write(
            f"一件事 bundles: {len(bundles.created)} new, {len(bundles.existing)} unchanged."
        )
        user_model = get_user_model()
        credentials = Path(settings.VAR_DIR) / "admin-credentials.txt"
        if not user_model.objects.filter(username=admin_username).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(
                admin_username, f"{admin_username}@example.edu.cn", password
            )
            credentials.write_text(f"{admin_username}\n{password}\n", encoding="utf-8")
            credentials.chmod(0o600)
        if credentials.exists():
            username, password = credentials.read_text(encoding="utf-8").split()[:2]
            self.stdout.write(self.style.SUCCESS(f"Admin account: {username} / {password}"))
        else:
            self.stdout.write(
                f"Admin account '{admin_username}' already exists (password not shown)."
            )
