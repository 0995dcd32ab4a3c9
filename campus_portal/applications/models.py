"""Applications are plain models, not pages (DESIGN.md §8): a case, its steps and its events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campus_portal.catalog.choices import DeliveryMode


class HandlerBinding(models.Model):
    """Which handler processes a matter; administrators switch it on and off per matter."""

    matter = models.OneToOneField(
        "catalog.MatterPage",
        verbose_name=_("matter"),
        on_delete=models.CASCADE,
        related_name="handler_binding",
    )
    handler_key = models.CharField(_("matter handler"), max_length=100)
    enabled = models.BooleanField(_("accepting applications"), default=True)

    class Meta:
        verbose_name = _("handler binding")
        verbose_name_plural = _("handler bindings")

    def __str__(self) -> str:
        return f"{self.matter.code} → {self.handler_key}"


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    KIOSK = "kiosk", _("Self-service kiosk")
    WINDOW = "window", _("Service window")


class Application(models.Model):
    """One request by one applicant for one matter (办件)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SUPPLEMENT = "supplement", _("Returned for supplement")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    matter = models.ForeignKey(
        "catalog.MatterPage", verbose_name=_("matter"), on_delete=models.PROTECT
    )
    handler_key = models.CharField(_("matter handler"), max_length=100)
    # The handler's office: it (or a window) accepts the application.
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant_uid = models.CharField(_("campus identity"), max_length=64, blank=True)
    # Window staff who started it on the applicant's behalf (with the applicant's consent).
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The warehouse data the application was decided on: {key: {label, value, masked, source,
    # as_of, office}} — kept so that the decision can be explained later.
    snapshot = models.JSONField(_("data snapshot"), default=dict, blank=True)
    consent_id = models.BigIntegerField(_("consent"), null=True, blank=True)
    # One submission per key: a double-clicked submit finds the application it already made.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # How the applicant wants the result (one of the matter's delivery modes) and, for post,
    # where to (name, phone, address): chosen with the application, kept by a draft.
    delivery_mode = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryMode.choices, blank=True
    )
    delivery_address = models.JSONField(_("postal address"), default=dict, blank=True)
    supplement_notice = models.JSONField(_("supplement notice"), default=list, blank=True)
    supplement_used = models.BooleanField(default=False)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Optimistic locking: every transition bumps it; a stale form loses.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["applicant", "state"])]

    def __str__(self) -> str:
        return self.reference


class Step(models.Model):
    """One office's piece of work (环节) on one application."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused (supplement)")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=64, blank=True)
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    label = models.CharField(_("step"), max_length=100)
    decided_by = models.CharField(max_length=32, default="office_staff")
    # A step for one named person rather than an office's staff (the budget holder of an
    # expense claim): their campus identity. They act on it as well as the office's staff.
    assignee_uid = models.CharField(_("assigned to"), max_length=64, blank=True, db_index=True)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.WAITING
    )
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    overdue = models.BooleanField(default=False)
    # When the office was reminded that the step is due soon, and when an overdue step was
    # escalated to the office head and supervision (督办): each happens once per clock.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Time extensions (延期): the promised limit the step was created with, the working days
    # granted on top of it, and when the matter's statutory limit (法定时限) ends for this step
    # (the clock's end if every day up to the statutory limit were granted; None while paused).
    base_days = models.PositiveSmallIntegerField(_("promised limit (working days)"), default=0)
    extended_days = models.PositiveSmallIntegerField(_("extended by (working days)"), default=0)
    statutory_due_at = models.DateTimeField(_("statutory limit ends"), null=True, blank=True)
    # When the step, still open near its statutory limit, went to the campus supervisors.
    supervised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["application_id", "position"]
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="step_key_once")]

    def __str__(self) -> str:
        return f"{self.application.reference} / {self.label}"


class Event(models.Model):
    """Something that happened to an application; the source of the 105号 measures."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("Returned for supplement")
        SUPPLEMENTED = "supplemented", _("Supplemented")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        STEP_FINISHED = "step_finished", _("Step finished")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VISITED = "visited", _("In-person visit")
        COMMENTED = "commented", _("Comment")
        TRANSFERRED = "transferred", _("Transferred to another office")
        REMINDED = "reminded", _("Reminded of the due date")
        OVERDUE = "overdue", _("Step overdue")
        ESCALATED = "escalated", _("Escalated to the office head")
        CLOSED = "closed", _("Closed")
        # Issue 7: the result reached the applicant; the applicant rated the service.
        DELIVERED = "delivered", _("Result delivered")
        RATED = "rated", _("Rated")
        # Issue 16: time extensions and supervision near the statutory limit.
        EXTENSION_REQUESTED = "extension_requested", _("Time extension requested")
        EXTENDED = "extended", _("Time limit extended")
        EXTENSION_REFUSED = "extension_refused", _("Time extension refused")
        SUPERVISED = "supervised", _("Escalated to the campus supervisors")
        SUPERVISION_INSTRUCTED = "supervision_instructed", _("Supervision instruction")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    actor = models.CharField(_("by"), max_length=150)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.application.reference} {self.kind}"


class StepExtension(models.Model):
    """A request for more working days on a step (延期), and the office head's answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the office head")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    requested_by = models.CharField(_("requested by"), max_length=150)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    previous_due_at = models.DateTimeField(_("due before"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("due after"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("time extension")
        verbose_name_plural = _("time extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["step"],
                condition=models.Q(state="pending"),
                name="one_pending_extension_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} +{self.days}"


class SupervisionInstruction(models.Model):
    """A campus supervisor's instruction (督办) to the office of an open step: what to do, and
    by when. It records timeliness work, not the application's content."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="instructions")
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    instruction = models.TextField(_("instruction"))
    respond_by = models.DateField(_("to be done by"))
    issued_by = models.CharField(_("issued by"), max_length=150)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("supervision instruction")
        verbose_name_plural = _("supervision instructions")

    def __str__(self) -> str:
        return f"{self.step} ({self.respond_by})"
