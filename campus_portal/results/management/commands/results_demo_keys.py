"""Write a demo signing key pair for result documents (``make run``); never for production.

The files go where the settings point (``RESULTS_SIGNING_KEY``, ``RESULTS_SIGNING_CERT``, the
first of ``RESULTS_TRUST_ROOTS``; by default ``var/keys/``). Existing files are kept unless
``--force``: re-generating would make every document issued so far "not trusted".
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from campus_portal.results.keys import configured_key_files, key_pair_ensure, key_pair_generate


class Command(BaseCommand):
    help = "Generate a demo root CA and signing key for result documents (under var/keys/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="replace existing key files")

    def handle(self, *args, **options) -> None:
        files = configured_key_files()
        if options["force"]:
            key_pair_generate(files, organisation=settings.UNIVERSITY_NAME)
            made = True
        else:
            made = key_pair_ensure(files, organisation=settings.UNIVERSITY_NAME)
        verb = "Generated" if made else "Kept existing"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} demo signing key {files.key}, certificate {files.cert}, "
                f"trust root {files.root}."
            )
        )
