"""Background work of the warehouse (Celery).

The directory sync is idempotent and all-or-nothing, so the broker may deliver it twice
(``acks_late``) and a failed run may simply be retried: ``LdapSyncError`` means nothing was
changed, typically because the directory was briefly unreachable. Scheduling is left to the
deployment (no beat entry here).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from data_warehouse.sources.ldap_sync import LdapSyncError, ldap_sync


@shared_task(
    autoretry_for=(LdapSyncError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def warehouse_sync_ldap_task() -> dict[str, Any]:
    """Run the LDAP sync; the result is the report as a JSON-friendly dict."""
    return ldap_sync().as_dict()
