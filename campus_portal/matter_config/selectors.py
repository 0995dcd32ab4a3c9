"""Reads of configured matters: versions, an application's pin, the lint's facts, the impact
preview a publisher sees before publishing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from campus_portal.accounts.models import RoleAssignment
from campus_portal.accounts.roles import Role, scope_for
from campus_portal.applications.models import Application
from campus_portal.catalog.models import Office
from campus_portal.matter_config.definition import definition_from_draft, field_keys
from campus_portal.matter_config.lint import LintFacts, Problem, definition_lint
from campus_portal.matter_config.models import (
    ApplicationVersion,
    ConfigurationVersion,
    MatterConfiguration,
)
from data_warehouse.selectors import data_items_labelled, grants_active_keys

HANDLER_KEY = "config.generic"
IN_FLIGHT = (
    Application.State.SUBMITTED,
    Application.State.SUPPLEMENT,
    Application.State.IN_PROGRESS,
)


def version_latest(*, configuration: MatterConfiguration) -> ConfigurationVersion | None:
    return configuration.versions.order_by("-number").first()


def version_published_for(*, matter_code: str) -> ConfigurationVersion | None:
    """The newest published version of a matter's configuration (what a new draft gets)."""
    return (
        ConfigurationVersion.objects.filter(configuration__matter__code=matter_code)
        .order_by("-number")
        .first()
    )


def version_pinned(*, reference: str) -> ConfigurationVersion | None:
    pin = (
        ApplicationVersion.objects.select_related("version")
        .filter(application__reference=reference)
        .first()
    )
    return pin.version if pin is not None else None


def configurations_for(user) -> QuerySet[MatterConfiguration]:
    """The configurations ``user`` may edit: their offices' (every one for a superuser)."""
    queryset = MatterConfiguration.objects.select_related("matter")
    offices = office_codes_editable(user)
    return queryset if offices is None else queryset.filter(office_code__in=offices)


def office_codes_editable(user) -> frozenset[str] | None:
    """Offices whose matters ``user`` designs: office staff and heads, and the office's guide
    editors (like the guide pages); None (every office) for a superuser or an administrator,
    who keep the whole catalog as they do the guide pages."""
    scope = scope_for(user)
    if user.is_active and (user.is_superuser or scope.is_administrator):
        return None
    editors = Office.objects.filter(editors__user=user).values_list("code", flat=True)
    return frozenset(scope.processing_offices) | frozenset(editors)


def offices_staffed() -> frozenset[str]:
    """Offices with at least one active staff member or head."""
    return frozenset(
        RoleAssignment.objects.filter(
            role__in=[Role.OFFICE_STAFF, Role.OFFICE_HEAD], user__is_active=True
        ).values_list("office_code", flat=True)
    )


def lint_facts(*, configuration: MatterConfiguration) -> LintFacts:
    matter = configuration.matter
    return LintFacts(
        office=configuration.office_code,
        guide_delivery_modes=tuple(matter.delivery_modes or ()),
        promised_limit=matter.promised_time_limit or 0,
        online_depth=matter.online_depth or 0,
        offices=frozenset(Office.objects.values_list("code", flat=True)),
        staffed_offices=offices_staffed(),
        granted_items=frozenset(grants_active_keys(handler_key=HANDLER_KEY)),
        catalog_items=data_items_labelled(),
        notes=tuple(configuration.derivation_notes or ()) if configuration.derived else (),
    )


def configuration_lint(*, configuration: MatterConfiguration) -> list[Problem]:
    """Every problem of the draft (errors refuse publishing)."""
    return definition_lint(
        definition_from_draft(configuration), lint_facts(configuration=configuration)
    )


@dataclass
class Impact:
    """What publishing the draft would do to applications on older versions."""

    drafts: dict[int, int] = field(default_factory=dict)  # version number → drafts on it
    in_flight: dict[int, int] = field(default_factory=dict)  # version number → in flight
    # Fields the draft no longer has: (key, label, how many drafts have an answer to it).
    dropped: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def draft_count(self) -> int:
        return sum(self.drafts.values())

    @property
    def in_flight_count(self) -> int:
        return sum(self.in_flight.values())


def impact_preview(*, configuration: MatterConfiguration) -> Impact:
    draft_keys = field_keys(definition_from_draft(configuration))
    pins = ApplicationVersion.objects.filter(version__configuration=configuration).select_related(
        "version", "application"
    )
    impact = Impact()
    drafts, in_flight, answered, labels = Counter(), Counter(), Counter(), {}
    for pin in pins:
        number, state = pin.version.number, pin.application.state
        if state == Application.State.DRAFT:
            drafts[number] += 1
            for key, value in (pin.application.answers or {}).items():
                base = key.split("__")[0]
                if base not in draft_keys and value not in ("", None, []):
                    answered[base] += 1
        elif state in IN_FLIGHT:
            in_flight[number] += 1
        for f in pin.version.definition.get("fields", []):
            labels.setdefault(f["key"], f.get("label_zh") or f["key"])
    old_keys = {
        f["key"]
        for version in configuration.versions.all()
        for f in version.definition.get("fields", [])
    }
    impact.drafts, impact.in_flight = dict(drafts), dict(in_flight)
    impact.dropped = [
        (key, labels.get(key, key), answered[key]) for key in sorted(old_keys - draft_keys)
    ]
    return impact
