from django.core.management.base import BaseCommand

from campus_portal.queueing.services import service_categories_ensure_demo


class Command(BaseCommand):
    help = "Create the demo hall's window service categories (A, B, C)."

    def handle(self, *args, **options) -> None:
        created = service_categories_ensure_demo()
        self.stdout.write(f"{created} service categories created")
