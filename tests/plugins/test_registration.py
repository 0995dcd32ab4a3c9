"""Every reference plugin is registered, names real offices, and the registry refuses typos."""

from __future__ import annotations

import pytest

from campus_portal.plugin_api import HandlerRegistrationError, MatterHandler, registry
from campus_portal.plugin_api.checks import handlers_match_the_database
from tests.conftest import ROOT
from tests.plugins.conftest import view

PLUGINS = {
    "jwc.transcript": ("SF-JWC-003", "SF-JWC-004"),
    "xgb.student_leave": ("SF-XGB-006",),
    "hqc.dormitory_change": ("SF-HQC-001",),
    "jwc.graduation_bundle": ("YJS-JWC-001",),
    "jwc.new_student_bundle": ("YJS-JWC-002",),
}
# Answers that make each handler declare every step it can have.
ALL_STEPS = {
    "xgb.student_leave": {"start_date": "2026-03-02", "end_date": "2026-03-09"},
    "jwc.graduation_bundle": {"party_member": "yes"},
    "jwc.new_student_bundle": {"party_member": "yes", "household_transfer": "yes"},
}


@pytest.mark.parametrize("key", sorted(PLUGINS))
def test_plugin_is_registered_with_its_matters(key):
    handler = registry.get(key)
    assert handler is not None
    assert handler.matter_codes == PLUGINS[key]
    assert handler.key.startswith(handler.office.lower() + ".")
    assert handler.form_class is not None


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_offices_and_items_exist_in_the_catalog():
    from campus_portal.catalog.bundles import bundle_matters_ensure
    from campus_portal.catalog.models import MatterPage, Office

    # The bundles' own matters are created from one_things.yaml, as load_demo_data does.
    assert bundle_matters_ensure(data=(ROOT / "demo_data" / "one_things.yaml").read_bytes()).ok

    assert [e for e in handlers_match_the_database(databases=["default"]) if e.id] == []
    offices = set(Office.objects.values_list("code", flat=True))
    for key, codes in PLUGINS.items():
        handler = registry.get(key)
        for spec in handler.steps(view(key, answers=ALL_STEPS.get(key, {}))):
            assert spec.office in offices, (key, spec)
            assert spec.time_limit_days >= 1
        assert MatterPage.objects.filter(code__in=codes).count() == len(codes)


def _subclass(registered: str, **attributes):
    """A throw-away subclass of a registered handler with some attributes changed."""
    base = type(registry.get(registered))
    return type("ThrowAway", (base,), {"__module__": __name__, **attributes})


@pytest.mark.parametrize("key", sorted(PLUGINS))
def test_an_unknown_data_need_is_refused(key):
    base = registry.get(key)
    throw_away = _subclass(
        key, key=f"{base.office.lower()}.throw_away", data_needs=("student.shoe_size",)
    )
    with pytest.raises(HandlerRegistrationError, match=r"student\.shoe_size"):
        registry.register(throw_away)
    assert f"{base.office.lower()}.throw_away" not in registry


@pytest.mark.parametrize("key", sorted(PLUGINS))
@pytest.mark.parametrize(
    "bad_key",
    ["NoDot", "Upper.case", "zzb.wrong_office", "jwc.has-dash"],
)
def test_a_bad_key_is_refused(key, bad_key):
    with pytest.raises(HandlerRegistrationError, match="key"):
        registry.register(_subclass(key, key=bad_key))
    assert bad_key not in registry


@pytest.mark.parametrize("key", sorted(PLUGINS))
def test_a_second_handler_with_the_same_key_is_refused(key):
    with pytest.raises(HandlerRegistrationError, match="already registered"):
        registry.register(_subclass(key))
    assert type(registry.get(key)).__name__ != "ThrowAway"


def test_a_form_class_that_is_not_a_form_is_refused():
    with pytest.raises(HandlerRegistrationError, match="form_class"):
        registry.register(_subclass("xgb.student_leave", key="xgb.throw_away", form_class=dict))


# Whether each shipped handler's whole path — applying, processing, collecting the result —
# needs no visit (MatterHandler.is_fully_online), and why not where it does.
FULLY_ONLINE = {
    "jwc.enrollment_certificate": True,
    "jwc.transcript": True,
    "xgb.student_leave": True,
    "hqc.dormitory_change": True,
    "cwc.expense_reimbursement": False,  # paper originals handed in (投递单据)
    "jwc.graduation_bundle": False,  # books returned, dormitory handed over
    "jwc.new_student_bundle": False,  # 报到注册 in person
    "rsc.staff_onboarding_bundle": False,  # 入职报到 in person
    "rsc.staff_retirement_bundle": False,  # assets and books handed back
}


def test_every_shipped_handler_says_whether_its_path_needs_a_visit():
    shipped = {h.key for h in registry if type(h).__module__.startswith("plugins.")}
    assert shipped == set(FULLY_ONLINE)  # a new plugin must be considered here too


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(FULLY_ONLINE))
def test_fully_online_agrees_with_the_guides_of_the_listed_matters(key):
    """A handler serving a listed matter says what the micro-power list says of its visits."""
    from campus_portal.catalog.models import MatterPage

    handler = registry.get(key)
    assert handler.is_fully_online(None) is FULLY_ONLINE[key]
    for matter in MatterPage.objects.filter(code__in=handler.matter_codes):
        assert handler.is_fully_online(matter) is (matter.visits_required == 0), matter.code


def test_the_contract_defaults_to_fully_online():
    assert MatterHandler().is_fully_online(None) is True
