"""``python manage.py import_power_list FILE [--dry-run]``: the command line's admin import."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campus_portal.catalog.importing.problems import ImportRejected
from campus_portal.catalog.importing.reading import check_size
from campus_portal.catalog.services import power_list_import


class Command(BaseCommand):
    help = "Import the micro-power list (.xlsx or .csv, UTF-8 or GBK) into the matter catalog."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only report what would change.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            check_size(file.stat().st_size)  # refuse before reading a huge file into memory
        except ImportRejected as rejected:
            raise CommandError(str(rejected.problems[0])) from rejected
        plan = power_list_import(data=file.read_bytes(), filename=file.name, dry_run=dry_run)
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(plan.problems)}
            )
        counts = {
            "created": len(plan.created),
            "changed": len(plan.changed),
            "unchanged": len(plan.unchanged),
            "offices": len(plan.offices_created),
        }
        summary = (
            _(
                "Dry run: %(created)s new, %(changed)s changed, %(unchanged)s unchanged "
                "matters; %(offices)s new offices. Nothing was changed."
            )
            if dry_run
            else _(
                "Imported: %(created)s new, %(changed)s changed, %(unchanged)s unchanged "
                "matters; %(offices)s new offices."
            )
        )
        self.stdout.write(summary % counts)
        for code, fields in plan.changed.items():
            self.stdout.write(f"  ~ {code}: {', '.join(fields)}")
        if plan.not_in_file:
            self.stdout.write(
                _("Not in this file (left unchanged): %(codes)s")
                % {"codes": ", ".join(plan.not_in_file)}
            )
