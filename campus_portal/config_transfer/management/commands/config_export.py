"""``manage.py config_export --out FILE [--office JWC …] [--matter CODE …]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus_portal.catalog.models import MatterPage, Office
from campus_portal.config_transfer.scope import Scope
from campus_portal.config_transfer.services import configuration_export


class Command(BaseCommand):
    help = "Export the configuration (everything, or some offices or matters) as an archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="The archive to write (.zip).")
        parser.add_argument("--office", action="append", default=[], help="An office code.")
        parser.add_argument("--matter", action="append", default=[], help="A matter code.")

    def handle(self, *args, **options) -> None:
        offices, matters = set(options["office"]), set(options["matter"])
        unknown = sorted(offices - set(Office.objects.values_list("code", flat=True)))
        unknown += sorted(matters - set(MatterPage.objects.values_list("code", flat=True)))
        if unknown:
            raise CommandError(f"Unknown office or matter code: {', '.join(unknown)}")
        data = configuration_export(
            scope=Scope(offices=frozenset(offices), matters=frozenset(matters))
        )
        Path(options["out"]).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']} ({len(data)} bytes)."))
