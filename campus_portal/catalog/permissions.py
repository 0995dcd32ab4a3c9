"""Permission policies of catalog models, registered with Wagtail's policy registry.

Registered once (``CatalogConfig.ready``), they hold wherever Wagtail asks — admin views,
the API, a Celery task — not only in the view that happens to show the model.
"""

from __future__ import annotations

from wagtail.permissions import register_permission_policy

from campus_portal.catalog.models import PowerItem
from platform_common.permissions import ReadOnlyPermissionPolicy


def register_catalog_permission_policies() -> None:
    # Power items mirror the imported list; they change only by importing.
    register_permission_policy(PowerItem, ReadOnlyPermissionPolicy(PowerItem))
