"""Which handler serves which matter (the administrator may switch a binding off)."""

from __future__ import annotations

from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.plugin_api import registry


def handler_bindings_ensure() -> int:
    """Bind each registered handler to its default matters where no binding exists yet.

    Existing bindings are left alone, so an administrator's "off" survives re-runs.
    """
    created = 0
    for handler in registry:
        for matter in MatterPage.objects.filter(code__in=handler.matter_codes):
            _, made = HandlerBinding.objects.get_or_create(
                matter=matter, defaults={"handler_key": handler.key}
            )
            created += made
    return created
