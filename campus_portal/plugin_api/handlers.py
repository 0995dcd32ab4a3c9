"""What a matter handler declares, and the small value types it exchanges with the core."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms


@dataclass(frozen=True)
class StepSpec:
    """One office's piece of work (环节) on an application.

    Steps run in the order declared; consecutive steps with the same non-empty ``group`` run in
    parallel and the next step starts when all of them are done. ``time_limit_days`` counts
    working days on the public-holiday calendar from the moment the step becomes active.
    """

    key: str
    office: str
    label: str
    time_limit_days: int
    group: str = ""
    # Who may finish the step: office staff, or only the office head.
    decided_by: str = "office_staff"
    # A named person who may also finish the step (their campus identity, e.g. the budget
    # holder of an expense claim); the office's staff can still act if that person cannot.
    # The core checks the person at submission (``applications.assignees``): they must be
    # someone the warehouse says may hold ``assignee_role`` (see ASSIGNEE_ROLES there), never
    # the applicant; a refusal is shown on the form field ``assignee_field`` (or the form).
    assignee: str = ""
    #: What the named person must be: "staff" (an active member of staff) or "budget_holder"
    #: (the setting APPLICATIONS_BUDGET_HOLDER_RULE says how strictly it is checked).
    assignee_role: str = "staff"
    #: What the role is held for, e.g. the budget code the budget holder answers for.
    assignee_scope: str = ""
    #: The form field the applicant typed the assignee into (where a refusal is shown).
    assignee_field: str = ""


@dataclass(frozen=True)
class Decision:
    """An automatic decision (秒批): approved, or rejected with a reason the applicant reads."""

    approved: bool
    reason: str = ""


@dataclass(frozen=True)
class ResultDocument:
    """What the handler wants on the result document; the core renders, signs and delivers it."""

    title: str
    body: str
    fields: Mapping[str, str] = field(default_factory=dict)
    #: "zh" or "en": which of the office's templates frames it (docs/results.md).
    language: str = "zh"


@dataclass(frozen=True)
class ApplicationView:
    """What a handler sees of an application: never the model, so the core can change freely.

    ``data`` holds the warehouse snapshot (key → value, masked unless the grant allows the full
    value); ``answers`` what the applicant typed into the handler's form.
    """

    reference: str
    handler_key: str
    applicant_uid: str | None
    data: Mapping[str, Any]
    answers: Mapping[str, Any]


class MatterHandler:
    """Base class of every matter handler (see docs/plugins.md for a walk-through)."""

    #: Stable id ``<office code in lower case>.<slug>``; stored in the database, never renamed.
    key: ClassVar[str]
    #: The responsible office's code (catalog.Office.code).
    office: ClassVar[str]
    #: A short name for admins ("在读证明开具").
    label: ClassVar[str]
    #: Why the handler reads the applicant's data — shown on the consent screen and logged.
    purpose: ClassVar[str]
    #: Warehouse data-catalog keys the core reads (with consent and a grant) and shows
    #: read-only; the form never asks for them.
    data_needs: ClassVar[tuple[str, ...]] = ()
    #: What the applicant still has to type (a plain Django form), or None.
    form_class: ClassVar[type[forms.Form] | None] = None
    #: Catalog matters this handler serves by default (bound when they exist; administrators
    #: can switch a binding off, or bind other matters, in the admin).
    matter_codes: ClassVar[tuple[str, ...]] = ()

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        """The offices that work on this application, in order (may depend on the answers)."""
        return []

    def decide(self, application: ApplicationView) -> Decision | None:
        """An automatic decision right after submission, or None for staff to decide."""
        return None

    def result(self, application: ApplicationView) -> ResultDocument | None:
        """The result document of an approved application, or None when there is none."""
        return None
