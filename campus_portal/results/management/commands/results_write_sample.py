"""Write the sample signed certificate of docs/samples (no database needed).

``python manage.py results_write_sample docs/samples`` renders a made-up 在读证明 with the
demo seal and QR code, signs it with the configured (demo) key, and copies the trust root next
to it as ``demo-root-ca.pem`` so that anyone can check it offline (docs/samples/README.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from campus_portal.results.content import document_pdf, sample_document_context
from campus_portal.results.seals import demo_seal_png
from campus_portal.results.signing import pdf_sign

SAMPLE_NUMBER = "XW20261202SAMPLE-ZM-0DEM0000"


class Command(BaseCommand):
    help = "Write a sample signed certificate and the demo root certificate to a folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args, **options) -> None:
        folder: Path = options["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        seal = demo_seal_png(university=settings.UNIVERSITY_NAME, office_name="教务处")
        context = sample_document_context(number=SAMPLE_NUMBER, seal_png=seal)
        signed = pdf_sign(document_pdf(context), reason=f"在读证明 {SAMPLE_NUMBER}")
        (folder / "certificate.pdf").write_bytes(signed)
        root = Path(settings.RESULTS_TRUST_ROOTS[0])
        (folder / "demo-root-ca.pem").write_bytes(root.read_bytes())
        self.stdout.write(self.style.SUCCESS(f"Wrote {folder / 'certificate.pdf'} and the root."))
