from django.core.management.base import BaseCommand

from campus_portal.results.services import result_demo_setup


class Command(BaseCommand):
    help = "Demo seals and default result document templates for the offices with handlers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--redraw-seals", action="store_true")

    def handle(self, *args, **options) -> None:
        seals, templates = result_demo_setup(overwrite_seals=options["redraw_seals"])
        self.stdout.write(self.style.SUCCESS(f"{seals} seals and {templates} templates created."))
