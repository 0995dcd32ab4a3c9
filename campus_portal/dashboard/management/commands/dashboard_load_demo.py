"""``python manage.py dashboard_load_demo``: the 105号 targets of demo_data/targets.yaml
(idempotent; targets edited in the admin are kept)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from campus_portal.dashboard.services import targets_load


class Command(BaseCommand):
    help = "Load the 105号 targets from demo_data/targets.yaml."

    def handle(self, *args, **options):
        self.stdout.write(f"105号 targets: {targets_load()} new.")
