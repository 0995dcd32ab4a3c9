"""The import's hook: every imported matter gets (or keeps) its configuration.

The catalog announces an applied micro-power list (``catalog.signals.power_list_applied``)
without knowing who listens, so the catalog never imports this app (layers, DESIGN.md §3).
The receiver runs inside the import's transaction: the matters and their configurations are
committed together or not at all.
"""

from django.dispatch import receiver

from campus_portal.catalog.signals import power_list_applied
from campus_portal.matter_config.services import configurations_import


@receiver(power_list_applied)
def _on_power_list_applied(sender, *, codes, user=None, **kwargs) -> None:
    configurations_import(codes=list(codes), user=user)
