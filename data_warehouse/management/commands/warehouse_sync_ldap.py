"""``manage.py warehouse_sync_ldap``: run the campus directory sync once, by hand or from cron."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from data_warehouse.sources.ldap_sync import LdapSyncError, ldap_sync


class Command(BaseCommand):
    help = "Synchronise persons and org units from the campus directory (LDAP)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = ldap_sync()
        except (LdapSyncError, ImproperlyConfigured) as exc:
            # CommandError gives a non-zero exit status without a traceback.
            raise CommandError(f"LDAP sync failed, nothing was changed: {exc}") from exc
        for label, counts in (("Persons", report.people), ("Org units", report.units)):
            self.stdout.write(
                f"{label}: {counts.created} created, {counts.updated} updated, "
                f"{counts.retired} retired, {counts.unchanged} unchanged, "
                f"{counts.skipped} skipped."
            )
        for entry in report.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {entry.dn}: {entry.reason}"))
        self.stdout.write(self.style.SUCCESS("LDAP sync done."))
