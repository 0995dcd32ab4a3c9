"""Writing the catalog (HackSoft style: services write, selectors read).

The public entry points:
- ``power_list_import`` — check a micro-power list and, unless it is a dry run, apply it in one
  transaction (used by the admin import view, its Celery task and ``import_power_list``);
- ``office_ensure`` — an office with its page and its editors' group and permissions;
- ``catalog_home_ensure`` — the catalog home page as the site root.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    ReferenceIndex,
    Site,
)

from campus_portal.catalog.bulk_pages import matter_pages_create
from campus_portal.catalog.choices import Channel, DeliveryMode, MaterialSource
from campus_portal.catalog.importing.plan import ImportPlan, build_plan
from campus_portal.catalog.importing.problems import ImportRejected
from campus_portal.catalog.importing.reading import read_table
from campus_portal.catalog.importing.rows import PowerItemRow, parse_rows
from campus_portal.catalog.models import (
    Audience,
    CatalogIndexPage,
    MatterMaterial,
    MatterPage,
    Office,
    OfficePage,
    PowerItem,
    PowerListImport,
    Topic,
)
from campus_portal.catalog.search.index import matter_index
from campus_portal.catalog.signals import power_list_applied
from campus_portal.catalog.slugs import code_slug
from campus_portal.common.page_cache import page_cache_clear

Progress = Callable[[int, int], None]

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
EDITOR_DOCUMENT_PERMISSIONS = ("add_document", "choose_document")


# --- Site structure ---------------------------------------------------------------------------


def catalog_home_ensure() -> CatalogIndexPage:
    """The catalog home, created under Wagtail's root and made the default site's root."""
    home = CatalogIndexPage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=CatalogIndexPage(
                title="校务服务事项目录",
                slug="catalog",
                intro="申请材料齐全、符合法定受理条件时，最多跑一次，争取一次不用跑。",
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    # Wagtail's installation leaves a placeholder welcome page beside ours; once no site
    # points at it any more it can go.
    Page.objects.filter(depth=2, sites_rooted_here__isnull=True).not_type(CatalogIndexPage).delete()
    return home


def office_ensure(*, code: str, name: str) -> Office:
    """The office with ``code`` (renamed to ``name`` if needed), its page and editor group.

    Editors get add/change/publish on the office page — Wagtail applies that to the subtree, so
    they maintain their own office's matters and cannot touch another office's.
    """
    office, created = Office.objects.get_or_create(code=code, defaults={"name": name})
    if not created and office.name != name:
        office.name = name
        office.save(update_fields=["name"])
        page = OfficePage.objects.filter(office=office).first()
        if page is not None:
            page.title = name
            page.save_revision(log_action=True).publish()
        # Office names are searchable: re-index the office's matters under the new name.
        matter_index(office.matters.live().select_related("office").prefetch_related("topics"))
    if not OfficePage.objects.filter(office=office).exists():
        catalog_home_ensure().add_child(
            instance=OfficePage(title=name, slug=code_slug(code), office=office)
        )
    if office.editors_id is None:
        office.editors = _editor_group(office)
        office.save(update_fields=["editors"])
    return office


def _editor_group(office: Office) -> Group:
    group, _ = Group.objects.get_or_create(name=f"事项编辑-{office.code}")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    page = OfficePage.objects.get(office=office)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    root_collection = Collection.get_first_root_node()
    for codename in EDITOR_DOCUMENT_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root_collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtaildocs", codename=codename
            ),
        )
    return group


# --- Import -----------------------------------------------------------------------------------


def power_list_check(*, data: bytes, filename: str = "") -> ImportPlan:
    """Read and validate a list and compare it with the catalog; changes nothing."""
    try:
        table = read_table(data, filename)
    except ImportRejected as rejected:
        return ImportPlan(rows=[], problems=rejected.problems)
    audience_codes = dict(Audience.objects.values_list("name", "code"))
    rows, problems = parse_rows(table, audience_codes=audience_codes)
    return build_plan(rows, problems)


def power_list_import(
    *,
    data: bytes,
    filename: str = "",
    dry_run: bool,
    user=None,
    record: PowerListImport | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check a list and, unless ``dry_run`` or it has problems, apply it atomically.

    The returned plan says what was (or would be) created, changed and left alone, or lists
    every problem by row and column — in which case nothing at all was imported.
    """
    plan = power_list_check(data=data, filename=filename)
    if record is None and not dry_run:
        record = PowerListImport.objects.create(
            original_name=filename, sha256=hashlib.sha256(data).hexdigest(), created_by=user
        )
    if plan.ok and not dry_run:
        _apply_plan(plan, user=user, record=record, progress=progress)
    if record is not None:
        record.report = plan.as_report()
        if not plan.ok:
            record.status = PowerListImport.Status.REJECTED
        elif dry_run:
            record.status = PowerListImport.Status.CHECKED
        else:
            record.status = PowerListImport.Status.DONE
            record.finished_at = timezone.now()
        record.save(update_fields=["report", "status", "finished_at"])
    return plan


@transaction.atomic
def _apply_plan(
    plan: ImportPlan, *, user, record: PowerListImport | None, progress: Progress | None
) -> None:
    catalog_home_ensure()
    offices = _offices_ensure(plan)
    audiences = {a.code: a for a in Audience.objects.all()}
    topics = list(Topic.objects.all())
    pending = [row for row in plan.rows if row.code in plan.created or row.code in plan.changed]
    step = _progress_steps(progress, len(pending))
    # New matters first, all of an office's at once (bulk_pages); then the few that already
    # have a page, each published as a new revision with Wagtail's full semantics.
    fresh = _rows_without_page(pending, plan)
    for rows in _by_office(fresh).values():
        office = offices[rows[0].office_code]
        _matters_create(
            rows, office=office, audiences=audiences, topics=topics, user=user, record=record
        )
        for _ in rows:
            step()
    bulk_codes = {row.code for row in fresh}
    for row in (row for row in pending if row.code not in bulk_codes):
        office = offices[row.office_code]
        _matter_import(
            row, office=office, audiences=audiences, topics=topics, user=user, record=record
        )
        step()
    # Apps above the catalog follow the list (configured matters derive their starting
    # configuration), in this transaction.
    power_list_applied.send(
        sender=PowerListImport, codes=[row.code for row in plan.rows], user=user
    )
    # Publishing has already re-indexed every page (signal_handlers, bulk_pages); the cache is
    # stale now.
    transaction.on_commit(page_cache_clear)


def _offices_ensure(plan: ImportPlan) -> dict[str, Office]:
    """Every office by code, the plan's new and renamed ones ensured first."""
    # Once per office, not once per row (its last row's name, as the plan compared).
    names = {
        row.office_code: row.office_name
        for row in plan.rows
        if row.office_code in plan.offices_created or row.office_code in plan.offices_renamed
    }
    offices = {code: office_ensure(code=code, name=name) for code, name in names.items()}
    offices.update({o.code: o for o in Office.objects.exclude(code__in=offices)})
    return offices


def _matter_import(
    row: PowerItemRow,
    *,
    office: Office,
    audiences: dict[str, Audience],
    topics: list[Topic],
    user,
    record: PowerListImport | None,
) -> None:
    """One row the page by page way: its power item, then its page's new revision."""
    # Read before the item is overwritten: did the list's 申请材料 cell change?
    previous = PowerItem.objects.filter(code=row.code).values_list("materials_text", flat=True)
    materials_changed = list(previous) != [row.materials]
    item = _power_item_upsert(row, office=office, record=record)
    matter = _matter_upsert(
        row,
        office=office,
        audiences=audiences,
        topics=topics,
        user=user,
        replace_materials=materials_changed,
    )
    if item.matter_id != matter.pk:
        item.matter = matter
        item.save(update_fields=["matter"])


def _progress_steps(progress: Progress | None, total: int) -> Callable[[], None]:
    """A callable reporting one more row done to ``progress`` (if any)."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    return step


def _rows_without_page(rows: list[PowerItemRow], plan: ImportPlan) -> list[PowerItemRow]:
    """New rows whose matter has no page yet: these take the bulk path.

    A new row may still find a page with its code (its power item was deleted, or an editor
    created the guide first); like changed rows, it gets a new revision of that page.
    """
    created = set(plan.created)
    candidates = [row for row in rows if row.code in created]
    existing = set(
        MatterPage.objects.filter(code__in=[row.code for row in candidates]).values_list(
            "code", flat=True
        )
    )
    return [row for row in candidates if row.code not in existing]


def _by_office(rows: list[PowerItemRow]) -> dict[str, list[PowerItemRow]]:
    groups: dict[str, list[PowerItemRow]] = {}
    for row in rows:
        groups.setdefault(row.office_code, []).append(row)
    return groups


def _matters_create(
    rows: list[PowerItemRow],
    *,
    office: Office,
    audiences: dict[str, Audience],
    topics: list[Topic],
    user,
    record: PowerListImport | None,
) -> None:
    """Create and publish the pages of one office's new rows at once, then their power items."""
    pages = [_matter_new(row, office=office, audiences=audiences, topics=topics) for row in rows]
    matters = matter_pages_create(OfficePage.objects.get(office=office), pages, user=user)
    items = [
        PowerItem(code=row.code, matter=matter, **_power_item_values(row, office, record))
        for row, matter in zip(rows, matters, strict=True)
    ]
    # New by the plan's definition (no item had the code); the unique code guards a race.
    PowerItem.objects.bulk_create(items, batch_size=500)
    if ReferenceIndex.is_indexed(PowerItem):
        # What the post_save handler would have done for each item (bulk_create sends none).
        for item in items:
            ReferenceIndex.create_or_update_for_object(item)


def _power_item_upsert(row: PowerItemRow, *, office: Office, record) -> PowerItem:
    item, _ = PowerItem.objects.update_or_create(
        code=row.code, defaults=_power_item_values(row, office, record)
    )
    return item


def _power_item_values(
    row: PowerItemRow, office: Office, record: PowerListImport | None
) -> dict[str, object]:
    """A power item's fields from its row (all but ``code`` and ``matter``)."""
    return {
        "name": row.name,
        "sub_item": row.sub_item,
        "matter_type": row.matter_type,
        "office": office,
        "audience_codes": row.audiences,
        "basis": row.basis,
        "materials_text": row.materials,
        "process_text": row.process,
        "legal_time_limit": row.legal_time_limit,
        "promised_time_limit": row.promised_time_limit,
        "visits_required": row.visits_required,
        "online_depth": row.online_depth,
        "channels": row.channels,
        "charged": row.charged,
        "address": row.address,
        "phone": row.phone,
        "last_year_volume": row.volume,
        "fingerprint": row.fingerprint,
        "last_import": record,
    }


def _matter_fill(
    matter: MatterPage, row: PowerItemRow, *, office: Office, audiences: dict[str, Audience]
) -> None:
    """Set the matter's fields the list decides."""
    matter.title = f"{row.name}（{row.sub_item}）" if row.sub_item else row.name
    matter.matter_name = row.name
    matter.sub_item = row.sub_item
    matter.matter_type = row.matter_type
    matter.office = office
    matter.basis = row.basis
    matter.process = row.process
    matter.legal_time_limit = row.legal_time_limit
    matter.promised_time_limit = row.promised_time_limit
    matter.visits_required = row.visits_required
    matter.online_depth = row.online_depth
    matter.channels = row.channels
    matter.charged = row.charged
    matter.address = row.address
    matter.phone = row.phone
    matter.last_year_volume = row.volume
    matter.audiences.set([audiences[code] for code in row.audiences])


def _matter_new(
    row: PowerItemRow, *, office: Office, audiences: dict[str, Audience], topics: list[Topic]
) -> MatterPage:
    """A new, unsaved guide page for ``row``, with its materials, topics and delivery modes."""
    matter = MatterPage(code=row.code, slug=code_slug(row.code))
    _matter_fill(matter, row, office=office, audiences=audiences)
    matter.materials = materials_from_text(row.materials)
    matter.topics.set([t for t in topics if any(k in row.name for k in t.keyword_list())])
    matter.delivery_modes = default_delivery_modes(row.channels, row.online_depth)
    return matter


def _matter_upsert(
    row: PowerItemRow,
    *,
    office: Office,
    audiences: dict[str, Audience],
    topics: list[Topic],
    user,
    replace_materials: bool,
) -> MatterPage:
    """Create the matter's guide page, or publish a new revision of it with the list's values."""
    matter = MatterPage.objects.filter(code=row.code).first()
    if matter is None:
        matter = _matter_new(row, office=office, audiences=audiences, topics=topics)
        OfficePage.objects.get(office=office).add_child(instance=matter)
    else:
        _matter_fill(matter, row, office=office, audiences=audiences)
        if replace_materials:
            # The list's material column wins only when it changed, so editors' refinements
            # (sources, templates, notes) survive re-importing an unchanged list.
            matter.materials = materials_from_text(row.materials)
        parent = matter.get_parent()
        if parent.specific_class is OfficePage and parent.specific.office_id != office.pk:
            matter.move(OfficePage.objects.get(office=office), pos="last-child")
            matter.refresh_from_db(fields=["path", "url_path"])
    matter.save_revision(user=user, log_action=True).publish(user=user)
    return matter


SHARED_DATA_MARKERS = ("数据共享", "系统调取", "共享获取", "无需提供")
NO_MATERIALS = {"无", "不需要", "无需材料", "-"}


def materials_from_text(text: str) -> list[MatterMaterial]:
    """Materials from the list's 申请材料 cell ("身份证件；补办申请；遗失声明").

    "无（数据共享）" means the office takes what it needs from the warehouse: no material for the
    applicant, one shared-data entry so the guide says so.
    """
    text = (text or "").strip()
    if not text or text in NO_MATERIALS:
        return []
    if any(marker in text for marker in SHARED_DATA_MARKERS) and text.startswith("无"):
        return [
            MatterMaterial(
                name="个人信息（学校已有数据，免于提交）",
                source=MaterialSource.WAREHOUSE,
                copies=0,
                sort_order=0,
            )
        ]
    materials = []
    for part in (p.strip() for p in text.replace(";", "；").split("；")):
        if not part:
            continue
        source = (
            MaterialSource.WAREHOUSE
            if any(m in part for m in SHARED_DATA_MARKERS)
            else MaterialSource.APPLICANT
        )
        # sort_order keeps the list's order (and makes it deterministic on PostgreSQL).
        materials.append(MatterMaterial(name=part[:200], source=source, sort_order=len(materials)))
    return materials


def default_delivery_modes(channels: list[str], online_depth: int) -> list[str]:
    """Sensible delivery modes for a new matter; editors adjust them per guide."""
    modes = []
    if online_depth >= 3:
        modes.append(DeliveryMode.ELECTRONIC.value)
    if Channel.KIOSK in channels or Channel.WINDOW in channels:
        modes.append(DeliveryMode.WINDOW.value)
    if Channel.POST in channels:
        modes.append(DeliveryMode.POST.value)
    return modes or [DeliveryMode.WINDOW.value]
