"""``python manage.py targets_report [--as-of DATE] [--format json|xlsx] [--out FILE]``.

The 105号 figures of the dashboard, from the same selectors: JSON on standard output (or
``--out``), or the filing workbook (default file ``targets-report-<as-of>.xlsx``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campus_portal.dashboard.report import targets_report_json, targets_report_xlsx


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of must be a date like 2026-12-02, not {text!r}") from error


class Command(BaseCommand):
    help = "Report the 105号 targets and measures (JSON or the .xlsx filed with the province)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=str, default=None, help="YYYY-MM-DD (default today)")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--out", type=Path, default=None)

    def handle(self, *args, as_of: str | None, format: str, out: Path | None, **options):
        day = _date(as_of) if as_of else timezone.localdate()
        if format == "json":
            text = targets_report_json(as_of=day)
            if out is None:
                self.stdout.write(text)
            else:
                out.write_text(text, encoding="utf-8")
                self.stdout.write(str(out))
            return
        out = out or Path(f"targets-report-{day.isoformat()}.xlsx")
        out.write_bytes(targets_report_xlsx(as_of=day))
        self.stdout.write(str(out))
