"""The import's bulk path (``campus_portal.catalog.bulk_pages``) for new matter pages.

It must leave the database as Wagtail's ``add_child`` + ``save_revision`` + ``publish`` would:
a sound tree, live pages with one revision each, the audit log, both search indexes and the
reference index — and pages that Wagtail's ordinary editing then handles as any other.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from campus_portal.catalog import bulk_pages
from campus_portal.catalog.bulk_pages import matter_pages_create
from campus_portal.catalog.models import (
    Audience,
    MatterPage,
    MatterSearchToken,
    OfficePage,
    PowerItem,
    Topic,
)
from campus_portal.catalog.selectors import matter_list
from campus_portal.catalog.services import (
    _matter_new,
    materials_from_text,
    office_ensure,
    power_list_check,
    power_list_import,
)
from tests.conftest import rows_to_csv, sample_rows

pytestmark = pytest.mark.django_db

ROWS = 30
PREFIX = "BK"
# Fields publishing sets after the revision was taken (null in the revision's content).
PUBLISH_FIELDS = {
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "first_published_at",
    "last_published_at",
}


@pytest.fixture
def rows() -> list[dict[str, str]]:
    return sample_rows(ROWS, prefix=PREFIX)


@pytest.fixture
def progress_calls() -> list[tuple[int, int]]:
    return []


@pytest.fixture
def imported(rows, progress_calls) -> list[MatterPage]:
    plan = power_list_import(
        data=rows_to_csv(rows),
        filename="bulk.csv",
        dry_run=False,
        progress=lambda done, total: progress_calls.append((done, total)),
    )
    assert plan.ok, plan.problems
    assert len(plan.created) == ROWS
    return list(MatterPage.objects.filter(code__startswith=f"{PREFIX}-").order_by("path"))


def _tree_is_sound() -> bool:
    return not any(Page.find_problems())


# --- Tree -------------------------------------------------------------------------------------


def test_the_tree_stays_valid(imported):
    assert _tree_is_sound()


def test_pages_are_the_office_pages_children_in_file_order(imported, rows):
    office_page = OfficePage.objects.get(office__code=f"{PREFIX}XB")
    assert office_page.numchild == ROWS
    children = list(office_page.get_children().specific())
    assert [page.code for page in children] == [row["事项编码"] for row in rows]
    for page in children:
        assert page.depth == office_page.depth + 1
        assert page.url_path == f"{office_page.url_path}{page.slug}/"
        assert page.locale_id == office_page.locale_id
        assert page.draft_title == page.title


def test_existing_siblings_keep_their_place(rows):
    """New pages of an office that already has matters are appended after them."""
    for row in rows:
        row["部门编码"], row["责任部门"] = "JWC", "教务处"
    office_page = OfficePage.objects.get(office__code="JWC")
    before = list(office_page.get_children().values_list("path", flat=True))
    plan = power_list_import(data=rows_to_csv(rows), filename="jwc.csv", dry_run=False)
    assert plan.ok, plan.problems
    paths = list(
        OfficePage.objects.get(pk=office_page.pk).get_children().values_list("path", flat=True)
    )
    assert paths[: len(before)] == before
    assert len(paths) == len(before) + ROWS
    assert _tree_is_sound()


# --- Publishing, revisions and the audit log ------------------------------------------------


def test_every_page_is_live_with_one_revision(imported):
    for page in imported:
        revisions = list(page.revisions.all())
        assert page.live
        assert not page.has_unpublished_changes
        assert len(revisions) == 1
        assert page.latest_revision == page.live_revision == revisions[0]
        assert page.latest_revision_created_at == revisions[0].created_at
        assert page.first_published_at == page.last_published_at is not None
        assert revisions[0].object_str == page.title


def test_the_revision_holds_the_page_as_stored(imported):
    for page in imported:
        content = page.live_revision.content
        stored = page.serializable_data()
        assert {k: v for k, v in content.items() if k not in PUBLISH_FIELDS} == {
            k: v for k, v in stored.items() if k not in PUBLISH_FIELDS
        }
        assert all(content[field] is None for field in PUBLISH_FIELDS)
        assert page.live_revision.as_object().title == page.title


def test_created_edited_and_published_are_logged(imported):
    for page in imported:
        entries = list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "id"))
        assert [entry.action for entry in entries] == [
            "wagtail.create",
            "wagtail.edit",
            "wagtail.publish",
        ]
        assert [entry.revision_id for entry in entries] == [None, *[page.live_revision_id] * 2]
        assert all(entry.content_changed and entry.label == page.title for entry in entries)


def test_the_importing_user_is_recorded(rows, admin_user):
    plan = power_list_import(
        data=rows_to_csv(rows[:3]), filename="by-user.csv", dry_run=False, user=admin_user
    )
    assert plan.ok, plan.problems
    for page in MatterPage.objects.filter(code__in=plan.created):
        assert page.live_revision.user == admin_user
        users = dict(PageLogEntry.objects.filter(page=page).values_list("action", "user"))
        # add_child() logs the creation by the page's owner, whom it leaves unset.
        assert users == {
            "wagtail.create": None,
            "wagtail.edit": admin_user.pk,
            "wagtail.publish": admin_user.pk,
        }


# --- Content ----------------------------------------------------------------------------------


def test_audiences_materials_topics_and_power_items_are_stored(imported, rows):
    by_code = {row["事项编码"]: row for row in rows}
    for page in imported:
        row = by_code[page.code]
        item = PowerItem.objects.get(code=page.code)
        assert item.matter_id == page.pk
        assert sorted(page.audiences.values_list("code", flat=True)) == sorted(item.audience_codes)
        assert page.audiences.exists()
        expected = [m.name for m in materials_from_text(row["申请材料"])]
        assert list(page.materials.order_by("id").values_list("name", flat=True)) == expected
        assert page.delivery_modes
    assert any(page.topics.exists() for page in imported)


def test_progress_is_reported_for_every_row(imported, progress_calls):
    assert progress_calls == [(done, ROWS) for done in range(1, ROWS + 1)]


# --- What visitors see ------------------------------------------------------------------------


def test_guide_pages_render(imported, client):
    for page in imported[:5]:
        response = client.get(page.url)
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_pages_are_found_by_catalog_search(imported):
    for page in imported:
        assert page in matter_list(q=page.code)
    assert imported[0] in matter_list(q=imported[0].matter_name)
    assert MatterSearchToken.objects.filter(matter__in=imported).count() > 0


def test_pages_are_in_the_wagtail_search_index(imported):
    backend = get_search_backend()
    for page in imported[:3]:
        assert page in list(backend.search(page.code, MatterPage))


def test_references_are_indexed(imported):
    for page in imported:
        references = ReferenceIndex.get_references_for_object(page)
        assert references.filter(model_path="office").exists()
        # Wagtail's own update finds nothing left to do.
        count = ReferenceIndex.objects.count()
        ReferenceIndex.create_or_update_for_object(page)
        assert ReferenceIndex.objects.count() == count
    item = PowerItem.objects.get(code=imported[0].code)
    assert ReferenceIndex.get_references_for_object(item).filter(model_path="matter").exists()


# --- Afterwards -------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(imported, rows):
    revisions = Revision.objects.count()
    plan = power_list_import(data=rows_to_csv(rows), filename="again.csv", dry_run=False)
    assert plan.ok
    assert len(plan.unchanged) == ROWS
    assert not plan.created
    assert not plan.changed
    assert Revision.objects.count() == revisions


def test_a_changed_row_gets_a_second_revision(imported, rows):
    rows[0]["上年度办件量"] = str(int(rows[0]["上年度办件量"]) + 1)
    plan = power_list_import(data=rows_to_csv(rows), filename="changed.csv", dry_run=False)
    assert list(plan.changed) == [rows[0]["事项编码"]]
    page = MatterPage.objects.get(code=rows[0]["事项编码"])
    assert page.revisions.count() == 2
    assert page.last_year_volume == int(rows[0]["上年度办件量"])


def test_editing_a_bulk_created_page_works(imported):
    page = imported[0]
    page.title = page.matter_name = "补办校园一卡通测试"
    revision = page.save_revision(log_action=True)
    revision.publish()
    page.refresh_from_db()
    assert page.revisions.count() == 2
    assert page.live_revision == revision
    assert page.first_published_at < page.last_published_at
    assert page in matter_list(q="一卡通测试")
    assert _tree_is_sound()


# --- Failures ---------------------------------------------------------------------------------


def test_a_failure_leaves_nothing_behind(rows, monkeypatch):
    def fail(pages):
        raise RuntimeError("index down")

    pages, revisions, logs = (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
    )
    monkeypatch.setattr(bulk_pages, "matter_index", fail)
    with pytest.raises(RuntimeError):
        power_list_import(data=rows_to_csv(rows), filename="fail.csv", dry_run=False)
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions
    assert PageLogEntry.objects.count() == logs
    assert not PowerItem.objects.filter(code__startswith=f"{PREFIX}-").exists()
    assert _tree_is_sound()


def _new_pages(
    prefix: str, rows: list[dict[str, str]] | None = None
) -> tuple[OfficePage, list[MatterPage]]:
    """Unsaved pages prepared exactly as the import prepares them, and their office page."""
    plan = power_list_check(data=rows_to_csv(rows or sample_rows(2, prefix=prefix)))
    assert plan.ok, plan.problems
    office = office_ensure(code=f"{prefix}XB", name=f"测试学院{prefix}")
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    topics = list(Topic.objects.all())
    pages = [
        _matter_new(row, office=office, audiences=audiences, topics=topics) for row in plan.rows
    ]
    return OfficePage.objects.get(office=office), pages


def test_duplicate_slugs_are_refused():
    parent, pages = _new_pages("DUP")
    pages[1].slug = pages[0].slug
    before = Page.objects.count()
    with pytest.raises(ValidationError):
        matter_pages_create(parent, pages)
    assert Page.objects.count() == before


def test_a_slug_taken_by_a_sibling_is_refused():
    parent, pages = _new_pages("SIB")
    matter_pages_create(parent, pages[:1])
    pages[1].slug = pages[0].slug
    with pytest.raises(ValidationError):
        matter_pages_create(parent, pages[1:])


def test_a_missing_slug_is_made_from_the_title():
    parent, pages = _new_pages("SLG")
    pages[0].slug = ""
    (page, _) = matter_pages_create(parent, pages)
    assert page.slug
    assert page.url_path == f"{parent.url_path}{page.slug}/"
    assert _tree_is_sound()


def test_invalid_pages_are_refused():
    parent, pages = _new_pages("INV")
    pages[0].promised_time_limit = pages[0].legal_time_limit + 1
    with pytest.raises(ValidationError):
        matter_pages_create(parent, pages)


def test_saved_pages_are_refused(imported):
    with pytest.raises(ValueError, match="only new pages"):
        matter_pages_create(imported[0].get_parent(), [imported[0]])


# --- Against Wagtail's own publishing ---------------------------------------------------------


def _comparable(content: dict) -> dict:
    """A revision's content without what differs between two pages of the same row."""
    unique = {"pk", "path", "code", "slug", "url_path", "translation_key", *PUBLISH_FIELDS}
    result = {k: v for k, v in content.items() if k not in unique}
    result["materials"] = [
        {k: v for k, v in m.items() if k not in ("pk", "page")} for m in content["materials"]
    ]
    return result


def test_same_state_as_wagtail_publishing():
    """One row published by Wagtail, the same row (another code) by the bulk path."""
    row = sample_rows(1, prefix="CMP")[0]
    parent, (by_wagtail, by_bulk) = _new_pages("CMP", [row, {**row, "事项编码": "CMP-NEW-002"}])
    parent.add_child(instance=by_wagtail)
    by_wagtail.save_revision(log_action=True).publish()
    (by_bulk,) = matter_pages_create(parent, [by_bulk])
    by_wagtail = MatterPage.objects.get(pk=by_wagtail.pk)

    assert _comparable(by_bulk.live_revision.content) == _comparable(
        by_wagtail.live_revision.content
    )
    assert _comparable(by_bulk.serializable_data()) == _comparable(by_wagtail.serializable_data())

    def log(page):
        entries = PageLogEntry.objects.filter(page=page).order_by("timestamp", "id")
        return [
            (e.action, e.user_id, e.content_changed, e.revision_id is not None) for e in entries
        ]

    assert log(by_bulk) == log(by_wagtail)

    def references(page):
        return sorted(
            ReferenceIndex.get_references_for_object(page).values_list(
                "content_type", "base_content_type", "to_content_type", "to_object_id", "model_path"
            )
        )

    assert references(by_bulk) == references(by_wagtail)

    def tokens(page):
        return MatterSearchToken.objects.filter(matter=page).count()

    assert tokens(by_bulk) == tokens(by_wagtail)
    for page in (by_bulk, by_wagtail):
        assert page.index_entries.count() == 1
    assert _tree_is_sound()
