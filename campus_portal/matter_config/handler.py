"""The one generic handler of every configured matter (key ``config.generic``).

It registers through the ordinary plugin contract; the core never learns a configured matter by
name. Everything per matter comes from the version the application is pinned to (a draft is
pinned to the newest published version when its form or data needs are first asked for), so an
application finishes with the form, steps, rule and result it started with.
"""

from __future__ import annotations

import threading
from typing import Any

from django import forms
from django.core.signals import request_finished, request_started
from django.utils import translation

from campus_portal.applications.models import Application
from campus_portal.catalog.models import MatterPage, Office
from campus_portal.matter_config.fields import form_class_build, label_of
from campus_portal.matter_config.lint import needs_visit
from campus_portal.matter_config.models import ConfigurationVersion, MatterConfiguration
from campus_portal.matter_config.rules import rule_evaluate
from campus_portal.matter_config.selectors import HANDLER_KEY, version_published_for
from campus_portal.matter_config.services import application_pin
from campus_portal.plugin_api import (
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
    registry,
)


def _form_class(version: ConfigurationVersion) -> type[forms.Form] | None:
    """The version's form in the page's language (labels are fixed when the class is built).

    A version never changes, so its class is built once per process and language. The key
    holds the publication time too, because a row id can come back after a rollback (SQLite
    reuses the highest id) with another definition; the definition itself is not serialised
    for the key on every request (that cost the form page ~2 ms, bench_configured).
    """
    language = (translation.get_language() or "zh-hans")[:2]
    key = (version.pk, version.published_at, language)
    if key not in _FORM_CLASSES:
        if len(_FORM_CLASSES) >= 512:
            _FORM_CLASSES.clear()
        fields = version.definition.get("fields", [])
        _FORM_CLASSES[key] = (
            form_class_build(fields, name=f"ConfiguredForm_v{version.pk}_{language}")
            if fields
            else None
        )
    return _FORM_CLASSES[key]


_FORM_CLASSES: dict[tuple, type[forms.Form] | None] = {}

# The pinned version, read once per request: the handler is asked for the form, the data
# needs, the delivery modes, the steps, the rule and the result of the same application within
# one request, each of which used to read the pin again. Only inside a request (the memo is
# reset when one starts and ends), so a worker process never keeps a pin between tasks; a pin
# changes only when a draft is first pinned (here) or moved by a publisher (another request).
_request_pins = threading.local()


def _pins_reset(**kwargs) -> None:
    _request_pins.memo = {}


def _pins_stop(**kwargs) -> None:
    _request_pins.memo = None


request_started.connect(_pins_reset, dispatch_uid="matter_config.pins_reset")
request_finished.connect(_pins_stop, dispatch_uid="matter_config.pins_stop")


def _pinned(reference: str) -> ConfigurationVersion | None:
    memo = getattr(_request_pins, "memo", None)
    if memo is None:
        return application_pin(reference=reference)
    if reference not in memo:
        memo[reference] = application_pin(reference=reference)
    return memo[reference]


def _definition(application: ApplicationView) -> dict[str, Any]:
    version = _pinned(application.reference)
    return version.definition if version is not None else {}


def college_office(school: str, fallback: str) -> str:
    """The catalog office of the applicant's college (by name or code), else ``fallback``."""
    if school:
        office = (
            Office.objects.filter(name=school).first() or Office.objects.filter(code=school).first()
        )
        if office is not None:
            return office.code
    return fallback


@registry.register
class ConfiguredMatterHandler(MatterHandler):
    key = HANDLER_KEY
    office = "CONFIG"  # never used: office_for() names each matter's own office
    label = "可配置事项（办事部门在管理后台配置）"
    purpose = "按各事项的配置办理申请（每个事项的用途见其配置）"

    def accepts(self, matter_code: str) -> bool:
        """Only a matter with a published version (a binding made by hand to a matter whose
        configuration is still a draft takes no applications)."""
        return version_published_for(matter_code=matter_code) is not None

    def office_for(self, matter_code: str) -> str:
        configuration = (
            MatterConfiguration.objects.filter(matter__code=matter_code)
            .values_list("office_code", flat=True)
            .first()
        )
        if configuration:
            return configuration
        return (
            MatterPage.objects.filter(code=matter_code)
            .values_list("office__code", flat=True)
            .first()
            or ""
        )

    def form_class_for(self, application: ApplicationView) -> type[forms.Form] | None:
        version = _pinned(application.reference)
        return _form_class(version) if version is not None else None

    def form_class_for_matter(self, matter_code: str) -> type[forms.Form] | None:
        """The newest published version's form (what a new draft is pinned to)."""
        version = version_published_for(matter_code=matter_code)
        return _form_class(version) if version is not None else None

    def data_needs_for(self, application: ApplicationView) -> tuple[str, ...]:
        return tuple(_definition(application).get("data_needs", ()))

    def delivery_modes_for(self, application: ApplicationView) -> tuple[str, ...] | None:
        """The version's delivery modes (the office chose them with the result), not the guide's;
        None before a version is pinned."""
        version = _pinned(application.reference)
        if version is None:
            return None
        return tuple((version.definition.get("result") or {}).get("delivery_modes") or ())

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        definition = _definition(application)
        office = _office_of(application)
        specs = []
        for step in definition.get("steps", []):
            spec_office, assignee, label = step.get("office") or office, "", step["label"]
            if step["kind"] == "college":
                school = str(
                    application.data.get("student.school")
                    or application.data.get("staff.unit")
                    or ""
                )
                spec_office = college_office(school, office)
                label = f"{label}（{school}）" if school and school not in label else label
            elif step["kind"] == "assignee":
                assignee = str(application.answers.get(step.get("answer_field"), "") or "")
                if assignee == (application.applicant_uid or ""):
                    assignee = ""  # nobody is the assignee of their own application
            specs.append(
                StepSpec(
                    key=step["key"],
                    office=spec_office,
                    label=label[:100],
                    time_limit_days=int(step.get("time_limit_days") or 0),
                    group=step.get("group") or "",
                    decided_by=step.get("decided_by") or "office_staff",
                    assignee=assignee[:64],
                )
            )
        return specs

    def decide(self, application: ApplicationView) -> Decision | None:
        decision = _definition(application).get("decision") or {}
        if decision.get("mode") != "instant" or not decision.get("rule"):
            return None
        holds = rule_evaluate(decision["rule"], data=application.data, answers=application.answers)
        return Decision(approved=True) if holds else None  # not holding: staff decide

    def result(self, application: ApplicationView) -> ResultDocument | None:
        definition = _definition(application)
        result = definition.get("result") or {}
        if result.get("kind") != "certificate":
            return None
        labels = {f["key"]: label_of(f) for f in definition.get("fields", [])}
        values = {
            labels[key]: str(value)
            for key, value in application.answers.items()
            if key in labels and isinstance(value, (str, int, float)) and value != ""
        }
        if "person.name" in application.data:
            values = {"姓名": str(application.data["person.name"]), **values}
        return ResultDocument(
            title=result.get("title") or "证明", body=result.get("body") or "", fields=values
        )

    def is_fully_online(self, matter) -> bool:
        """Whether the configured path needs no visit: depth 4 and an electronic result."""
        version = version_published_for(matter_code=matter.code)
        if version is None or (matter.online_depth or 0) < 4:
            return False
        return not needs_visit(version.definition)


def _office_of(application: ApplicationView) -> str:
    """The responsible office the application was started with (``office_for`` then)."""
    return (
        Application.objects.filter(reference=application.reference)
        .values_list("office_code", flat=True)
        .first()
        or ""
    )
