"""Keeping derived data in step with publishing.

Wagtail's page signals are the one place every path of publishing passes through (the editor,
the importer, scheduled publishing), so the search index and the anonymous page cache follow
them here rather than in each caller.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.search.index import matter_index, matter_unindex
from campus_portal.common.page_cache import page_cache_clear


@receiver(page_published)
def _on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, MatterPage):
        matter_index([instance])
    transaction.on_commit(page_cache_clear)


@receiver(page_unpublished)
def _on_page_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, MatterPage):
        matter_unindex([instance.pk])
    transaction.on_commit(page_cache_clear)


@receiver(post_delete, sender=MatterPage)
def _on_matter_deleted(sender, instance, **kwargs) -> None:
    transaction.on_commit(page_cache_clear)
