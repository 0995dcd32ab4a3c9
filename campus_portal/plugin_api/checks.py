"""Checks that need the database: registered handlers name real offices and catalog items."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from campus_portal.catalog.models import Office
from campus_portal.plugin_api.handlers import MatterHandler
from campus_portal.plugin_api.registry import registry
from data_warehouse.selectors import data_items_missing


@register(Tags.database)
def handlers_match_the_database(app_configs=None, databases=None, **kwargs) -> list[Error]:
    if not databases or "default" not in databases:
        return []

    errors = []
    try:
        offices = set(Office.objects.values_list("code", flat=True))
        for handler in registry:
            # A handler that names the office per matter (``office_for``: configured matters)
            # has no office of its own to check; its configurations' lint checks theirs.
            per_matter = type(handler).office_for is not MatterHandler.office_for
            if not per_matter and handler.office not in offices:
                errors.append(
                    Error(
                        f"{handler.key}: office {handler.office!r} is not in the catalog",
                        id="plugin_api.E001",
                    )
                )
            missing = data_items_missing(keys=list(handler.data_needs))
            if missing:
                errors.append(
                    Error(
                        f"{handler.key}: data items not in the warehouse catalog: {missing}",
                        id="plugin_api.E002",
                    )
                )
    except DatabaseError:  # not migrated yet: nothing to compare with
        return []
    return errors
