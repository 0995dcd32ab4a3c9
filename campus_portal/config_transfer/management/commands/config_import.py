"""``manage.py config_import FILE [--dry-run] [--mapping FILE]``: the diff, then the import."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus_portal.config_transfer.archive import ArchiveRefused
from campus_portal.config_transfer.diff import UNCHANGED
from campus_portal.config_transfer.references import MappingRefused, mapping_parse
from campus_portal.config_transfer.services import configuration_import


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error


class Command(BaseCommand):
    help = "Import a configuration archive (the diff first; --dry-run stops there)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Show the diff, write nothing.")
        parser.add_argument("--mapping", help="JSON file naming this instance's references.")
        parser.add_argument(
            "--verbose-diff", action="store_true", help="List unchanged objects too."
        )

    def handle(self, *args, **options) -> None:
        mapping = {}
        if options["mapping"]:
            try:
                mapping = mapping_parse(data=_read(options["mapping"]), filename=options["mapping"])
            except MappingRefused as refused:
                raise CommandError(refused.message) from refused
        try:
            report = configuration_import(
                data=_read(options["file"]),
                filename=Path(options["file"]).name,
                mapping=mapping,
                dry_run=options["dry_run"],
            )
        except ArchiveRefused as refused:
            raise CommandError("\n".join(refused.messages)) from refused
        for entry in report.entries:
            if entry.status == UNCHANGED and not options["verbose_diff"]:
                continue
            self.stdout.write(f"[{entry.status_label}] {entry.kind} {entry.key}")
            for change in entry.changes:
                self.stdout.write(f"    {change.field}: {change.old} → {change.new}")
            if entry.note:
                self.stdout.write(f"    {entry.note}")
        for problem in report.problems:
            level = "PROBLEM" if problem.blocking else "warning"
            text = problem.message or f"{problem.kind} “{problem.name}” is missing here"
            self.stdout.write(f"{level}: {text} (used by {', '.join(problem.used_by)})")
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(report.counts().items()))
        if not report.ok:
            raise CommandError(
                f"Nothing imported: {len(report.blocking)} problem(s) to resolve with --mapping."
            )
        if report.applied:
            self.stdout.write(self.style.SUCCESS(f"Imported ({counts})."))
        else:
            self.stdout.write(f"Dry run, nothing written ({counts}).")
