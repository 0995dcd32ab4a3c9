"""``python manage.py verify_audit_chain``: detect modified or deleted security-log entries."""

from django.core.management.base import BaseCommand, CommandError

from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the security log; exits non-zero if it is broken."

    def handle(self, *args, **options):
        breaks = audit_chain_verify()
        for chain_break in breaks:
            self.stderr.write(f"#{chain_break.sequence}: {chain_break.reason}")
        if breaks:
            raise CommandError(f"The security log is broken in {len(breaks)} place(s).")
        self.stdout.write(f"Security log intact: {SecurityEvent.objects.count()} entries.")
