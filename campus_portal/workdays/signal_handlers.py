"""Empty the working-day cache whenever an override changes.

At once, so that the saving request already counts with the new row; and again after the
commit, which also tells other processes (campus_portal.workdays.calendar). A transaction
that rolls back after saving an override leaves this process's cache holding the unsaved row
until the next change; administrators edit one row at a time, so that is accepted.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campus_portal.workdays.calendar import calendar_cache_clear


@receiver(post_save, sender="workdays.CalendarOverride")
@receiver(post_delete, sender="workdays.CalendarOverride")
def _override_changed(sender, using: str = "default", **kwargs) -> None:
    calendar_cache_clear(notify_other_processes=False)
    transaction.on_commit(partial(calendar_cache_clear), using=using, robust=True)
