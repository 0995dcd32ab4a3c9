"""Make the demo able to apply: bind handlers to their matters and grant their data needs.

In production a data steward grants each item in the admin, stating the purpose; the demo
grants every registered handler what it declares, as "demo-steward".
"""

from django.core.management.base import BaseCommand

from campus_portal.applications.services import handler_bindings_ensure
from campus_portal.plugin_api import registry
from data_warehouse.models import Grant
from data_warehouse.services import grant_create


class Command(BaseCommand):
    help = "Bind the registered matter handlers and give them demo grants."

    def handle(self, *args, **options) -> None:
        bound = handler_bindings_ensure()
        granted = 0
        for handler in registry:
            for key in handler.data_needs:
                active = Grant.objects.filter(
                    handler_key=handler.key, item__key=key, revoked_at__isnull=True
                )
                if not active.exists():
                    grant_create(
                        handler_key=handler.key,
                        item_key=key,
                        purpose=handler.purpose,
                        granted_by="demo-steward",
                    )
                    granted += 1
        self.stdout.write(self.style.SUCCESS(f"{bound} bindings and {granted} grants created."))
