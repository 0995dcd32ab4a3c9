"""Keeping the anonymous page cache in step with the bindings.

A guide page says whether the matter takes online applications and the catalog marks and
filters by it, so switching a binding on or off (the admin, ``handler_bindings_ensure``, a
configured matter being published) makes every cached portal page stale, as publishing does.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campus_portal.applications.models import HandlerBinding
from campus_portal.common.page_cache import page_cache_clear


@receiver(post_save, sender=HandlerBinding)
@receiver(post_delete, sender=HandlerBinding)
def _on_binding_changed(sender, instance, **kwargs) -> None:
    transaction.on_commit(page_cache_clear)
