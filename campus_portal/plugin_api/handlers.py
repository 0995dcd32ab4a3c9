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
    #: A handler that takes in, at a service window only, any matter no handler is bound to
    #: (无差别受理: the window's generic intake). Never bound, never offered online.
    window_intake: ClassVar[bool] = False

    # --- Per-application variants (configured matters, docs/matter-config.md) ----------------
    # A code plugin has one form, one office and one list of data needs; the generic handler of
    # configured matters has one per matter and version. The core asks through these methods;
    # their defaults return the class attributes, so a code plugin never needs them.

    def accepts(self, matter_code: str) -> bool:
        """Whether the handler can take applications for ``matter_code`` now (default: yes;
        a configured matter only once a version is published)."""
        return True

    def office_for(self, matter_code: str) -> str:
        """The responsible office of ``matter_code``'s applications (default: ``office``)."""
        return self.office

    def form_class_for(self, application: ApplicationView) -> type[forms.Form] | None:
        """The form of this application (default: ``form_class``)."""
        return self.form_class

    def form_class_for_matter(self, matter_code: str) -> type[forms.Form] | None:
        """The form a new application for ``matter_code`` gets (default: ``form_class``) —
        for pages that list matters before any application exists (the kiosk's)."""
        return self.form_class

    def data_needs_for(self, application: ApplicationView) -> tuple[str, ...]:
        """The warehouse items this application reads (default: ``data_needs``)."""
        return tuple(self.data_needs)

    def delivery_modes_for(self, application: ApplicationView) -> tuple[str, ...] | None:
        """How this application's result may reach the applicant (``catalog.DeliveryMode``
        values), or None for the modes of the matter's guide page (the default)."""
        return None

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        """The offices that work on this application, in order (may depend on the answers)."""
        return []

    def decide(self, application: ApplicationView) -> Decision | None:
        """An automatic decision right after submission, or None for staff to decide."""
        return None

    def result(self, application: ApplicationView) -> ResultDocument | None:
        """The result document of an approved application, or None when there is none."""
        return None

    def is_fully_online(self, matter: Any) -> bool:
        """Whether applying, processing and collecting the result need no visit (全流程在线办理).

        True (the default) for a handler whose applicant applies online, whose offices decide
        on what was submitted and whose result is the signed electronic document the applicant
        downloads. Override it to return False when the path needs the applicant in person:
        paper originals handed in, books returned, keys handed over, a registration at a
        window. ``matter`` is the catalog matter (``catalog.MatterPage``) the handler serves
        there — one handler may serve several matters, a configured one each differently.

        The 105号 dashboard counts "全流程在线办理" by this answer, not by what the guide
        claims, and flags guides that promise more (docs/targets.md). It asks once for every
        bound matter each time the figures are computed: answer from the handler and the
        matter alone, without a database query per call.
        """
        return True
