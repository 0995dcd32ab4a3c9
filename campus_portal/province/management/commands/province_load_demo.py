from django.core.management.base import BaseCommand

from campus_portal.common.page_cache import page_cache_clear
from campus_portal.province.demo import province_demo_load


class Command(BaseCommand):
    help = "Load the demo provincial matters and link campus matters to them."

    def handle(self, *args, **options) -> None:
        counts = province_demo_load()
        page_cache_clear()
        self.stdout.write(
            f"provincial matters: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.retired} retired"
        )
