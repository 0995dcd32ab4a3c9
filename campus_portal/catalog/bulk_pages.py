"""Creating and publishing many NEW matter pages at once (the import's fast path).

Why this exists
---------------
Publishing one page the ordinary way — ``parent.add_child(instance=page)`` then
``page.save_revision(log_action=True).publish()`` — costs about 90 ms: three full saves, each
cleaned and each firing the search-index and reference-index tasks, a treebeard insert that
locks and re-reads the parent, three log entries and our ``page_published`` handler rebuilding
the page's search tokens. A 1,000-row micro-power list took 90 s. Importing is the only place
that creates pages by the hundred, and a new page has no history, aliases, comments, workflow
or descendants, so most of that machinery has nothing to do. ``matter_pages_create`` writes
the same rows with a few statements per batch instead of a few dozen per page.

What it mirrors (check this list when upgrading Wagtail, treebeard or modelcluster)
-----------------------------------------------------------------------------------
Compared with ``add_child`` + ``save_revision(user=user, log_action=True)`` +
``publish(user=user)`` (Wagtail 8.0, treebeard 5.3, modelcluster 6.5), for each page:

- validation: ``full_clean()`` as ``Page.save`` runs it (fields, ``MatterPage.clean`` with the
  guide rules, Wagtail's slug check against existing siblings), except the parts that query:
  each distinct foreign key value is checked once per batch, unique slugs (among siblings and
  within the batch) and codes by one query per batch, check constraints by the database;
- tree (``MP_AddChildHandler``): the parent row is locked and re-read, new pages are appended
  as its last children with treebeard's ``_get_path``/``_inc_path``, ``depth`` = parent + 1,
  ``numchild`` = 0, and the parent's ``numchild`` grows by the batch size in one UPDATE;
- ``Page.save``/``_set_core_field_defaults``: ``url_path`` = parent's + slug, ``draft_title`` =
  title, ``locale`` = the parent's; ``owner`` is left unset as ``add_child`` leaves it;
- rows: the ``wagtailcore_page`` rows with ``Page.objects.bulk_create``, the ``MatterPage``
  table with ``save_base(raw=True, force_insert=True)`` (as ``loaddata`` does: no signals act),
  child relations (``ParentalKey``, e.g. materials) and ``ParentalManyToManyField`` rows
  (audiences, topics) with ``bulk_create``, all found by introspection so a new relation is
  not silently dropped;
- ``save_revision``: one ``Revision`` per page whose content is ``serializable_data()`` of the
  page as stored (re-read with its relations, so relation order is the database's, as when
  Wagtail serialises after committing them), taken before the revision fields are set —
  ``latest_revision``, ``live_revision`` and the publish dates are null in it, as in Wagtail;
  ``created_at`` is one timestamp for the batch;
- ``publish``: ``live``, no unpublished changes, ``latest_revision`` = ``live_revision`` = the
  revision, ``latest_revision_created_at`` = its ``created_at``, ``first_published_at`` =
  ``last_published_at`` = the publish time;
- audit log: ``wagtail.create`` (by the page owner or the active log context's user, as
  ``Page.save`` logs it), ``wagtail.edit`` and ``wagtail.publish`` (by ``user``, with the
  revision), all ``content_changed`` and sharing the active log context's uuid;
- search: the Wagtail search backends with auto update get ``add_bulk`` once per batch (the
  per-save ``insert_or_update_object`` task's work, with its error handling). The database
  backend's ``title_norm`` ranking factor is thus computed once for the batch rather than after
  each single insert, so its values differ slightly from page-by-page publishing;
- reference index: updated immediately, once per page, inside the transaction (Wagtail would
  update it after each of the three saves through its task); not deferred;
- our ``page_published`` handler (``signal_handlers.py``): ``matter_index`` once for the whole
  batch instead of once per page, and the page cache cleared on commit.

Deliberately not done: no ``page_published``/``published``/``post_save`` signal is sent (the
only receivers today are the search updates above and ``signal_handlers.py``; a new receiver
must be mirrored here), no hooks run (``add_child`` runs none either), no aliases, comments or
workflows are touched (a new page has none), and go-live/expiry scheduling is not supported: a
page with a future ``go_live_at`` is refused. New pages are appended after the office's
existing children, so when one import both creates pages and moves a changed page into the
same office, their sibling order (the admin's manual order) can differ from row order.

``tests/catalog/test_bulk_pages.py`` (``test_same_state_as_wagtail_publishing``) publishes the
same row both ways and compares the results: run it after upgrading.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends_with_name

from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.search.index import matter_index
from campus_portal.common.page_cache import page_cache_clear

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@transaction.atomic
def matter_pages_create(
    parent: Page, pages: Sequence[MatterPage], *, user: AbstractBaseUser | None = None
) -> list[MatterPage]:
    """Add ``pages`` (new, unsaved) as the last children of ``parent`` and publish them.

    Prepare each page as for ``add_child``: fields set, child objects and many-to-many values
    assigned in memory (``page.materials = [...]``, ``page.audiences.set(...)``). Returns the
    created pages, re-read from the database, in the given order. Raises ``ValidationError``
    for an invalid page; the caller's transaction then leaves nothing behind.
    """
    if not pages:
        return []
    parent = Page.objects.select_for_update().get(pk=parent.pk)  # as treebeard's add_child
    created_at = timezone.now()
    _prepare(parent, pages)
    _insert_rows(parent, pages)
    created = _reread(pages)
    _create_revisions(created, user=user, created_at=timezone.now())
    _mark_published(created, published_at=timezone.now())
    _log_actions(created, user=user, created_at=created_at)
    _update_indexes(created)
    logger.debug("Bulk-published %d pages under %s", len(created), parent.url_path)
    return created


# --- Preparing and validating -----------------------------------------------------------------


def _prepare(parent: Page, pages: Sequence[MatterPage]) -> None:
    """Give each page its place in the tree and Wagtail's defaults, then validate them."""
    previous = parent.get_last_child() if parent.numchild else None
    for page in pages:
        if not page._state.adding or page.pk is not None:
            raise ValueError(f"{page!r} is already saved; only new pages can be bulk-created.")
        if page.go_live_at and page.go_live_at > timezone.now():
            raise ValueError("Bulk creation publishes at once; it cannot schedule publishing.")
        page.depth = parent.depth + 1
        page.path = _next_path(parent, previous)
        page.numchild = 0
        page.draft_title = page.title
        page.locale_id = parent.locale_id
        page.live = True
        page.has_unpublished_changes = False
        page._cached_parent_obj = parent  # as treebeard sets it, so get_parent() needs no query
        previous = page
    _validate(pages)  # may fill in a missing slug, as Page.full_clean() does
    _check_unique(parent, pages)
    for page in pages:
        page.url_path = f"{parent.url_path}{page.slug}/"


def _next_path(parent: Page, previous: Page | None) -> str:
    if previous is not None:
        return previous._inc_path()  # raises PathOverflow when the parent is full
    path = MatterPage._get_path(parent.path, parent.depth + 1, 1)
    if len(path) > MatterPage._meta.get_field("path").max_length:
        raise PathOverflow(f"The new node is too deep in the tree: {path}")
    return path


def _validate(pages: Sequence[MatterPage]) -> None:
    """``full_clean()`` of each page, with the checks that query done once for the batch.

    Unique fields are checked by ``_check_unique``, check constraints by the database, and
    each distinct foreign key value once (Django's ``clean_fields`` queries it for every page).
    """
    foreign_keys = [
        field
        for field in MatterPage._meta.concrete_fields
        if field.many_to_one and not field.remote_field.parent_link
    ]
    exclude = [field.name for field in foreign_keys]
    for page in pages:
        page.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    for field in foreign_keys:
        for value in {getattr(page, field.attname) for page in pages}:
            try:
                field.clean(value, pages[0])
            except ValidationError as error:
                raise ValidationError({field.name: error.error_list}) from error


def _check_unique(parent: Page, pages: Sequence[MatterPage]) -> None:
    """Slugs unique among the siblings, codes unique everywhere — within the batch too."""
    errors = {}
    slugs = [page.slug for page in pages]
    taken = set(parent.get_children().filter(slug__in=slugs).values_list("slug", flat=True))
    taken |= {slug for slug, count in Counter(slugs).items() if count > 1}
    if taken:
        errors["slug"] = (
            f"The slug(s) {', '.join(sorted(taken))} are already in use within the parent page "
            f"at '{parent.url_path}'."
        )
    codes = [page.code for page in pages]
    used = set(MatterPage.objects.filter(code__in=codes).values_list("code", flat=True))
    used |= {code for code, count in Counter(codes).items() if count > 1}
    if used:
        errors["code"] = f"Matter code(s) {', '.join(sorted(used))} already exist."
    if errors:
        raise ValidationError(errors)


# --- Writing the rows -------------------------------------------------------------------------


def _insert_rows(parent: Page, pages: Sequence[MatterPage]) -> None:
    # Read the in-memory relations while the pages are unsaved: that never queries.
    children = _child_objects(pages)
    related = _m2m_rows(pages)
    _insert_base_rows(pages)
    for page in pages:
        # Only the MatterPage table; raw=True makes the search and reference-index handlers
        # ignore the save, exactly as while loading a fixture.
        page.save_base(raw=True, force_insert=True)
    for model, objects in children.items():
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    for through, rows in related.items():
        through.objects.bulk_create([through(**row) for row in rows], batch_size=BATCH_SIZE)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)


def _child_objects(pages: Sequence[MatterPage]) -> dict[type[models.Model], list[models.Model]]:
    """The objects of every child relation (``ParentalKey``: materials, FAQs, comments…)."""
    children: dict[type[models.Model], list[models.Model]] = {}
    for relation in get_all_child_relations(MatterPage):
        for page in pages:
            for item in getattr(page, relation.get_accessor_name()).all():
                setattr(item, relation.field.name, page)  # its key is read once page has a pk
                children.setdefault(relation.related_model, []).append(item)
    return children


def _m2m_rows(pages: Sequence[MatterPage]) -> dict[type[models.Model], list[dict]]:
    """Through-table rows of every ``ParentalManyToManyField`` (audiences, topics)."""
    rows: dict[type[models.Model], list[dict]] = {}
    for field in get_all_child_m2m_relations(MatterPage):
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        for page in pages:
            for item in getattr(page, field.name).all():
                rows.setdefault(through, []).append({source: page, target: item})
    return rows


def _insert_base_rows(pages: Sequence[MatterPage]) -> None:
    """The ``wagtailcore_page`` rows, then the new primary keys set on ``pages``."""
    fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = [Page(**{f.attname: getattr(page, f.attname) for f in fields}) for page in pages]
    if connection.features.can_return_rows_from_bulk_insert:
        Page.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    else:  # e.g. MySQL: one INSERT per page, still without Page.save()'s work
        for row in rows:
            row.save_base(raw=True, force_insert=True)
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.id = row.pk


def _reread(pages: Sequence[MatterPage]) -> list[MatterPage]:
    """The pages as stored, with every relation prefetched (what serialising will read)."""
    relations = [r.get_accessor_name() for r in get_all_child_relations(MatterPage)]
    relations += [f.name for f in get_all_child_m2m_relations(MatterPage)]
    by_pk = (
        MatterPage.objects.select_related("office")
        .prefetch_related(*relations)
        .in_bulk([page.pk for page in pages])
    )
    return [by_pk[page.pk] for page in pages]


# --- Revision, publishing and the audit log ---------------------------------------------------


def _create_revisions(
    pages: Sequence[MatterPage], *, user: AbstractBaseUser | None, created_at: datetime
) -> None:
    """One revision per page, of its stored state; sets ``latest_revision`` in memory."""
    page_type = ContentType.objects.get_for_model(MatterPage)
    revisions = [
        Revision(
            content_type=page_type,
            base_content_type=_base_content_type(),
            object_id=str(page.pk),
            user=user,
            content=page.serializable_data(),
            object_str=str(page),
            created_at=created_at,  # what Revision.save() sets, once for the batch
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at


def _mark_published(pages: Sequence[MatterPage], *, published_at: datetime) -> None:
    """What ``publish()`` saves: live revision and publish dates (``live`` is set already)."""
    for page in pages:
        page.live_revision = page.latest_revision
        page.first_published_at = page.last_published_at = published_at
    # A new page has one revision, the newest with its id: one UPDATE for the whole batch.
    revision = (
        Revision.objects.filter(
            base_content_type=_base_content_type(),
            object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=Subquery(revision),
        live_revision=Subquery(revision),
        latest_revision_created_at=pages[0].latest_revision_created_at,
        first_published_at=published_at,
        last_published_at=published_at,
    )


def _base_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Page)


def _log_actions(
    pages: Sequence[MatterPage], *, user: AbstractBaseUser | None, created_at: datetime
) -> None:
    """The three entries ``add_child``, ``save_revision(log_action=True)`` and ``publish`` log."""
    context = get_active_log_context()
    page_type = ContentType.objects.get_for_model(MatterPage, for_concrete_model=False)

    def entry(
        page: MatterPage,
        action: str,
        by: AbstractBaseUser | None,
        at: datetime,
        revision: Revision | None = None,
    ) -> PageLogEntry:
        return PageLogEntry(
            content_type=page_type,
            label=page.get_admin_display_title(),
            action=action,
            timestamp=at,
            data={},
            uuid=context.uuid,
            user=by or context.user,
            revision=revision,
            content_changed=True,
            page=page,
        )

    entries = []
    for page in pages:
        revision = page.latest_revision
        entries += [
            entry(page, "wagtail.create", page.owner, created_at),
            entry(page, "wagtail.edit", user, revision.created_at, revision),
            entry(page, "wagtail.publish", user, page.last_published_at, revision),
        ]
    PageLogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


# --- Indexes ----------------------------------------------------------------------------------


def _update_indexes(pages: Sequence[MatterPage]) -> None:
    _update_search_backends(pages)
    if ReferenceIndex.is_indexed(MatterPage):
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
    # What signal_handlers._on_page_published does for each published matter page.
    matter_index(pages)
    transaction.on_commit(page_cache_clear)


def _update_search_backends(pages: Sequence[MatterPage]) -> None:
    """``add_bulk`` on each auto-updated backend, with ``insert_or_update_object``'s errors."""
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(MatterPage, pages)
        except Exception:
            logger.exception(
                "Exception raised while adding pages into the '%s' search backend", name
            )
            if not backend.catch_indexing_errors:
                raise
