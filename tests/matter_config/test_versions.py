"""Versions: each application keeps its version; drafts may move, in-flight ones never do; the
impact preview counts them; the lint refuses a broken draft; re-importing keeps office edits."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from campus_portal.accounts.services import identity_link, role_assign
from campus_portal.applications import services as lifecycle
from campus_portal.applications.models import HandlerBinding
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.models import MatterConfiguration
from campus_portal.matter_config.selectors import impact_preview
from campus_portal.matter_config.services import (
    PublishRefused,
    configuration_derive,
    configuration_publish,
    configurations_import,
)
from campus_portal.plugin_api import registry
from tests.plugins.conftest import warehouse_student

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
CODE = "SF-XGB-003"  # 奖学金申请: depth 4, two upload slots, a college step then XGB
_n = itertools.count(1)


@pytest.fixture
def setup(django_user_model):
    from data_warehouse.services import grant_create

    for key in ("person.name", "student.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    staff = django_user_model.objects.create_user("xgb-staff", "", None)
    role_assign(staff, role="office_staff", office_code="XGB", by="t")
    matter = MatterPage.objects.get(code=CODE)
    configuration = configuration_derive(matter=matter)
    return matter, configuration, staff


def _applicant(django_user_model):
    person = warehouse_student()
    user = django_user_model.objects.create_user(f"mc-app-{next(_n)}", "", None)
    identity_link(user, person_uid=person.uid, source="manual")
    return user


def _draft(matter, user):
    application = lifecycle.application_start(user=user, matter=matter)
    handler = lifecycle.handler_for(matter)
    form_class = handler.form_class_for(lifecycle.application_view(application))  # pins
    return application, form_class


def _edit(configuration, *, remove_field: str | None = None, add_text: str | None = None):
    """An office edit of the draft's form (what the designer saves)."""
    blocks = [(b.block_type, dict(b.value)) for b in configuration.fields]
    blocks = [(kind, value) for kind, value in blocks if value["key"] != remove_field]
    if add_text:
        blocks.append(("field", {"key": add_text, "type": "text", "label_zh": "补充说明",
                                 "label_en": "", "help_zh": "", "help_en": "", "required": False,
                                 "visible_when_field": "", "visible_when_equals": "",
                                 "choices": []}))  # fmt: skip
    configuration.fields = blocks
    configuration.derived = False
    configuration.save()
    return configuration


def test_publish_binds_and_the_draft_is_pinned_to_it(setup, django_user_model):
    matter, configuration, _staff = setup
    version = configuration_publish(configuration=configuration, user="t")
    assert version.number == 1
    assert HandlerBinding.objects.get(matter=matter).handler_key == "config.generic"
    application, form_class = _draft(matter, _applicant(django_user_model))
    assert application.configuration_pin.version == version
    assert list(form_class.base_fields) == ["m1", "m2"]
    # Publishing the same draft again makes no new version.
    assert configuration_publish(configuration=configuration, user="t") == version


def test_versions_are_immutable(setup):
    _matter, configuration, _staff = setup
    version = configuration_publish(configuration=configuration, user="t")
    version.definition = {}
    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(PermissionDenied):
        configuration.versions.update(definition={})


def test_in_flight_keeps_its_version_drafts_move_when_asked(setup, django_user_model):
    matter, configuration, staff = setup
    v1 = configuration_publish(configuration=configuration, user="t")
    in_flight, _ = _draft(matter, applicant := _applicant(django_user_model))
    lifecycle.application_consent(in_flight, actor=applicant)
    in_flight = lifecycle.application_submit(
        in_flight, actor=applicant, answers={"m1": None, "m2": None}, idempotency_key="v-1"
    )
    draft, _ = _draft(matter, drafter := _applicant(django_user_model))
    lifecycle.application_save_draft(draft, actor=drafter, answers={"m2": "scan.pdf"})

    _edit(configuration, remove_field="m2", add_text="note")
    impact = impact_preview(configuration=configuration)
    assert impact.drafts == {1: 1} and impact.in_flight == {1: 1}
    assert impact.dropped == [("m2", "获奖证明", 1)]  # one draft answered the removed field

    v2 = configuration_publish(configuration=configuration, user="t", move_drafts=True)
    assert v2.number == 2
    draft.configuration_pin.refresh_from_db()
    in_flight.configuration_pin.refresh_from_db()
    assert draft.configuration_pin.version == v2
    assert in_flight.configuration_pin.version == v1
    handler = lifecycle.handler_for(matter)
    assert "note" in handler.form_class_for(lifecycle.application_view(draft)).base_fields
    old_form = handler.form_class_for(lifecycle.application_view(in_flight))
    assert list(old_form.base_fields) == ["m1", "m2"]
    # The in-flight application finishes on version 1: its steps are version 1's.
    lifecycle.application_accept(in_flight, actor=staff)
    assert list(in_flight.steps.values_list("key", flat=True)) == ["s1", "s2"]
    # A new draft starts on version 2.
    new, new_form = _draft(matter, _applicant(django_user_model))
    assert new.configuration_pin.version == v2 and "m2" not in new_form.base_fields


def test_without_moving_drafts_stay_on_their_version(setup, django_user_model):
    matter, configuration, _staff = setup
    v1 = configuration_publish(configuration=configuration, user="t")
    draft, _ = _draft(matter, _applicant(django_user_model))
    _edit(configuration, add_text="note")
    configuration_publish(configuration=configuration, user="t")
    draft.configuration_pin.refresh_from_db()
    assert draft.configuration_pin.version == v1


def test_the_lint_refuses_with_every_problem(setup):
    _matter, configuration, _staff = setup
    blocks = [(b.block_type, dict(b.value)) for b in configuration.fields]
    blocks[0][1]["content_types"] = []
    blocks[1][1]["visible_when_field"] = "gone"
    configuration.fields = blocks
    configuration.save()
    with pytest.raises(PublishRefused) as refused:
        configuration_publish(configuration=configuration, user="t")
    messages = [str(p) for p in refused.value.problems]
    assert any("文件类型" in m for m in messages) and any("gone" in m for m in messages)
    assert not configuration.versions.exists()


def test_a_code_plugin_binding_wins(setup):
    matter, configuration, _staff = setup
    HandlerBinding.objects.create(matter=matter, handler_key="xgb.student_leave")
    configuration_publish(configuration=configuration, user="t")
    assert HandlerBinding.objects.get(matter=matter).handler_key == "xgb.student_leave"


def test_reimport_refreshes_a_starting_configuration_but_keeps_office_edits(setup):
    _matter, configuration, _staff = setup
    other = MatterConfiguration.objects.get(matter__code="SF-XGB-002")
    other.decision_rule = {"junk": 1}  # saved by no office: still the import's to refresh
    other.save()
    configurations_import(codes=["SF-XGB-002"])
    other.refresh_from_db()
    assert other.derived and other.decision_rule == {}
    _edit(configuration, add_text="note")
    configurations_import(codes=[CODE])
    configuration.refresh_from_db()
    assert not configuration.derived
    assert "note" in [b.value["key"] for b in configuration.fields]


def test_the_form_follows_the_page_language(setup, django_user_model):
    from django.utils import translation

    matter, configuration, _staff = setup
    blocks = [(b.block_type, dict(b.value)) for b in configuration.fields]
    blocks[0][1]["label_en"] = "Application form"
    configuration.fields = blocks
    configuration.save()
    configuration_publish(configuration=configuration, user="t")
    application, _ = _draft(matter, _applicant(django_user_model))
    handler = lifecycle.handler_for(matter)
    view = lifecycle.application_view(application)
    with translation.override("zh-hans"):
        assert handler.form_class_for(view).base_fields["m1"].label == "奖学金申请表"
    with translation.override("en"):
        assert handler.form_class_for(view).base_fields["m1"].label == "Application form"


def test_the_import_itself_derives_and_publishes(django_user_model):
    """Another university's list: once its office has staff and the handler its grants, the
    import publishes and binds every depth ≥ 3 matter; depth ≤ 2 stays a draft."""
    from campus_portal.catalog.services import power_list_import
    from data_warehouse.services import grant_create
    from tests.conftest import rows_to_csv, sample_rows

    rows = sample_rows(6, prefix="U")
    for row, depth in zip(rows, ["4", "3", "2", "4", "3", "1"], strict=True):
        row["网上办理深度"] = depth
        row["到现场次数"] = "0" if depth == "4" else "1"
    for key in ("person.name", "student.number", "staff.number", "student.school"):
        grant_create(handler_key="config.generic", item_key=key, purpose="t", granted_by="t")
    first = power_list_import(data=rows_to_csv(rows), filename="u.csv", dry_run=False)
    assert first.ok, first.problems
    codes = [row["事项编码"] for row in rows]
    configurations = MatterConfiguration.objects.filter(matter__code__in=codes)
    assert configurations.count() == 6
    assert not any(c.versions.exists() for c in configurations)  # the office has no staff yet
    for office in ("UXB", "JWC"):  # its own office, and 教务处 named in its 办理流程
        user = django_user_model.objects.create_user(f"staff-{office}", "", None)
        role_assign(user, role="office_staff", office_code=office, by="t")
    power_list_import(data=rows_to_csv(rows), filename="u.csv", dry_run=False)
    published = {
        c.matter.code for c in MatterConfiguration.objects.filter(matter__code__in=codes)
        if c.versions.exists()
    }  # fmt: skip
    online = {row["事项编码"] for row in rows if int(row["网上办理深度"]) >= 3}
    assert published == online
    assert (
        set(
            HandlerBinding.objects.filter(
                handler_key="config.generic", matter__code__in=codes
            ).values_list("matter__code", flat=True)
        )
        == online
    )


def test_is_fully_online_follows_the_published_path(setup):
    matter, configuration, _staff = setup
    handler = registry.get("config.generic")
    assert handler.is_fully_online(matter) is False  # nothing published yet
    configuration_publish(configuration=configuration, user="t")
    assert matter.online_depth == 4 and handler.is_fully_online(matter) is True
    depth_three = MatterPage.objects.get(code="SF-JWC-005")
    configuration_derive(matter=depth_three)
    assert handler.is_fully_online(depth_three) is False


def test_a_binding_to_an_unpublished_configuration_takes_no_applications(setup):
    matter, configuration, _staff = setup
    HandlerBinding.objects.create(matter=matter, handler_key="config.generic")
    assert lifecycle.handler_for(matter) is None  # bound by hand, nothing published yet
    configuration_publish(configuration=configuration, user="t")
    assert lifecycle.handler_for(matter).key == "config.generic"
