"""``python manage.py export_catalog --out FILE [--high-frequency]``: filing reports (.xlsx)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from campus_portal.catalog.exports import catalog_xlsx


class Command(BaseCommand):
    help = "Export the matter catalog (or the high-frequency list) as .xlsx for provincial filing."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--high-frequency", action="store_true")

    def handle(self, *args, out: Path, high_frequency: bool, **options):
        out.write_bytes(catalog_xlsx(high_frequency=high_frequency))
        self.stdout.write(str(out))
