"""``python manage.py warehouse_import students|staff FILE [--dry-run]``.

Imports the academic-affairs (students) or HR (staff) export into the warehouse; see
``data_warehouse.sources.record_import``. Problems go to stderr, one per line, and the command
exits non-zero, so a scheduled import that found a bad file is noticed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from data_warehouse.sources.record_import import KINDS, import_records, max_bytes
from platform_common.tabular import ImportRejected, check_size


class Command(BaseCommand):
    help = "Import a students or staff export (xlsx or CSV) into the data warehouse."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS, help="students (教务) or staff (人事)")
        parser.add_argument("file", type=Path, help="the .xlsx or .csv export")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def handle(self, *args, kind: str, file: Path, dry_run: bool, **options):
        try:
            # Refuse a huge file from its size on disk, before reading it into memory.
            check_size(file.stat().st_size, max_bytes())
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("The file was refused; nothing was imported.")) from rejected
        report = import_records(data, kind, dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problems:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
