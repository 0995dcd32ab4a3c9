"""Verify a result document offline: ``python manage.py verify_document FILE``.

Checks the PAdES signature with pyHanko against ``RESULTS_TRUST_ROOTS`` (or ``--trust-root``):
intact, by a trusted certificate, covering the whole file. Then, if the database can be
reached, looks the number up and reports whether the document is still valid or revoked and
whether the file is byte for byte the one issued. Exit status 0 only for a valid document;
1 for an invalid signature, 2 for a genuine but revoked (or altered-yet-signed) document.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus_portal.results.selectors import issued_document_by_number
from campus_portal.results.signing import pdf_signature_check, trust_roots_load


class Command(BaseCommand):
    help = "Verify the signature (and, with the database, the status) of a result document PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--trust-root",
            action="append",
            type=Path,
            help="PEM certificate to trust instead of RESULTS_TRUST_ROOTS (repeatable)",
        )
        parser.add_argument("--offline", action="store_true", help="do not ask the database")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        roots = trust_roots_load(options["trust_root"]) if options["trust_root"] else None
        check = pdf_signature_check(data, trust_roots=roots)
        out = self.stdout
        out.write(f"file:       {path}")
        out.write(f"number:     {check.number or '-'}")
        out.write(f"signer:     {check.signer or '-'}")
        out.write(f"signed at:  {check.signed_at or '-'}")
        out.write(
            f"intact: {'yes' if check.intact else 'no'} · trusted: "
            f"{'yes' if check.trusted else 'no'} · whole file: "
            f"{'yes' if check.whole_file else 'no'}"
        )
        if not check.ok:
            self.stderr.write(f"INVALID: {check.message}")
            sys.exit(1)
        out.write(f"signature:  VALID — {check.message}")
        if options["offline"]:
            return
        status = self._status(check.number, hashlib.sha256(data).hexdigest())
        if status is None:
            out.write("status:     unknown (database not reachable); the signature is valid")
            return
        out.write(f"status:     {status[1]}")
        if not status[0]:
            sys.exit(2)

    def _status(self, number: str, digest: str) -> tuple[bool, str] | None:
        try:
            document = issued_document_by_number(number=number) if number else None
        except Exception as error:  # no database here: offline verification still stands
            self.stderr.write(f"database not reachable: {error}")
            return None
        if document is None:
            return False, "NOT ISSUED by this platform (no such number)"
        if document.sha256 != digest:
            return False, "NOT the file issued under this number"
        if document.revoked_at is not None:
            return False, (
                f"REVOKED on {document.revoked_at:%Y-%m-%d} — {document.revocation_reason}"
            )
        return True, f"valid (issued {document.issued_at:%Y-%m-%d} by {document.office_name})"
