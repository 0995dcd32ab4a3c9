"""Every change to an application goes through one of these functions (the lifecycle).

Each one locks the application row, checks the actor against ``permissions``, checks the state
(and, for staff actions, the version the actor saw: optimistic locking), changes it, records an
``Event`` with actor, time and channel, and tells plugins through the office-scoped signals
after commit. Views, the API, the kiosk and Celery tasks call these and nothing below them.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.accounts.selectors import person_uid_for
from campus_portal.applications.answers import answers_oversize_problem
from campus_portal.applications.models import Application, Channel, Event, HandlerBinding, Step
from campus_portal.applications.permissions import require
from campus_portal.notifications import lifecycle as notices
from campus_portal.plugin_api import ApplicationView, MatterHandler, registry, signals
from campus_portal.results import lifecycle as results
from data_warehouse.errors import WarehouseError

logger = logging.getLogger(__name__)

State = Application.State
OPEN_STATES = (State.SUBMITTED, State.SUPPLEMENT, State.IN_PROGRESS)


class TransitionRefused(Exception):
    """The transition is not possible now; the message is shown to the user as is."""


class StaleVersion(TransitionRefused):
    """Someone else acted on the application (or step) first."""


# --- Helpers -------------------------------------------------------------------------------------


def handler_for(matter) -> MatterHandler | None:
    """The enabled handler of a matter, or None when it does not accept online applications."""
    binding = HandlerBinding.objects.filter(matter=matter, enabled=True).first()
    return registry.get(binding.handler_key) if binding else None


def application_view(application: Application) -> ApplicationView:
    return ApplicationView(
        reference=application.reference,
        handler_key=application.handler_key,
        applicant_uid=application.applicant_uid or None,
        data={key: entry["value"] for key, entry in application.snapshot.items()},
        answers=dict(application.answers),
    )


def _handler(application: Application) -> MatterHandler:
    handler = registry.get(application.handler_key)
    if handler is None:
        raise TransitionRefused(_("This matter's online service is not available right now."))
    return handler


def _record(
    application: Application, kind: str, *, actor, channel: str, before: str = "", **detail
) -> Event:
    event = _event(application, kind, actor=actor, channel=channel, before=before, **detail)
    event.save(force_insert=True)
    return event


def _event(
    application: Application, kind: str, *, actor, channel: str, before: str = "", **detail
) -> Event:
    """An event not saved yet (``_decide`` writes an instant decision's events together)."""
    return Event(
        application=application,
        kind=kind,
        actor=actor.get_username() if hasattr(actor, "get_username") else str(actor),
        channel=channel,
        from_state=before,
        to_state=application.state,
        detail=detail,
    )


# Relations that never change after an application is created: a locked re-read may reuse the
# objects the caller already loaded (``application_for`` selects matter and applicant), which
# spares the notifications (title of the matter, recipient) a query each.
_FIXED_RELATIONS = ("matter", "applicant")


def _locked(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    for name in _FIXED_RELATIONS:
        field = Application._meta.get_field(name)
        related = field.get_cached_value(application, None)
        if related is not None and related.pk == getattr(locked, field.attname):
            field.set_cached_value(locked, related)
    return locked


def _check_version(obj, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise StaleVersion(
            _("Someone else has already acted on this application. Reload it to see what changed.")
        )


def _expect(application: Application, *states: str) -> None:
    if application.state not in states:
        raise TransitionRefused(
            _("This is not possible while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _save(application: Application, *fields: str) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version"])


def _offices(application: Application) -> set[str]:
    return {application.office_code, *application.steps.values_list("office_code", flat=True)}


def _new_reference() -> str:
    return f"XW{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


# --- Applicant side ------------------------------------------------------------------------------


def application_start(*, user, matter, channel: str = Channel.WEB, started_by=None) -> Application:
    """A draft application of ``user`` for ``matter`` (resumable from any device)."""
    handler = handler_for(matter)
    if handler is None:
        raise TransitionRefused(_("This matter cannot be applied for online."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    reference=_new_reference(),
                    matter=matter,
                    handler_key=handler.key,
                    office_code=handler.office,
                    applicant=user,
                    applicant_uid=person_uid_for(user) or "",
                    started_by=started_by,
                    channel=channel,
                )
                _record(application, Event.Kind.DRAFTED, actor=started_by or user, channel=channel)
                return application
        except IntegrityError:  # a reference collision: draw again
            continue
    raise TransitionRefused(_("Please try again."))


@transaction.atomic
def application_consent(application: Application, *, actor, channel: str = Channel.WEB) -> None:
    """The applicant agrees to the handler's data needs being read; the values are read now.

    Consent and read are recorded in the warehouse (consent row, access-log entry) and the
    values kept as the application's snapshot, shown read-only on the form.
    """
    application = _locked(application)
    require(actor, application, "consent")
    _expect(application, State.DRAFT, State.SUPPLEMENT)
    handler = _handler(application)
    needs = list(handler.data_needs)
    if not needs:
        return
    if not application.applicant_uid:
        raise TransitionRefused(
            _("This matter needs your campus records; sign in with your campus identity.")
        )
    try:
        consent, values = _consent_and_read(application, handler, needs, actor)
    except WarehouseError as error:
        logger.error("prefill refused for %s: %r", application.reference, error)
        raise TransitionRefused(
            _(
                "Your records cannot be used for this matter yet (the office has not been "
                "given access to them). Please contact the office."
            )
        ) from error
    application.consent_id = consent.pk
    application.snapshot = {key: _snapshot_entry(value) for key, value in values.items()}
    _save(application, "consent_id", "snapshot")


def _consent_and_read(application: Application, handler: MatterHandler, needs, actor):
    """Both or neither: a consent without the read (say, a missing grant) is not kept."""
    from data_warehouse.router import WAREHOUSE_ALIAS
    from data_warehouse.services import consent_record, warehouse_read

    with transaction.atomic(using=WAREHOUSE_ALIAS):
        consent = consent_record(
            person_uid=application.applicant_uid,
            handler_key=handler.key,
            application_ref=application.reference,
            item_keys=needs,
            purpose=handler.purpose,
        )
        values = warehouse_read(
            person_uid=application.applicant_uid,
            item_keys=needs,
            handler_key=handler.key,
            application_ref=application.reference,
            purpose=handler.purpose,
            actor=actor.get_username(),
        )
    return consent, values


def _snapshot_entry(value) -> dict:
    entry = asdict(value)
    entry["value"] = _jsonable(entry["value"])
    entry["as_of"] = entry["as_of"].isoformat() if entry["as_of"] else None
    return entry


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def application_submit(
    application: Application,
    *,
    actor,
    answers: dict,
    idempotency_key: str,
    channel: str = Channel.WEB,
    delivery_mode: str | None = None,
    delivery_address: dict | None = None,
) -> Application:
    """Submit (or re-submit after a supplement). Submitting the same key twice is one submit.

    ``delivery_mode`` is how the applicant wants the result (one of the matter's delivery
    modes; post needs ``delivery_address``). None keeps the choice saved with the draft, or
    the matter's default mode (callers that do not ask, such as an instant kiosk matter)."""
    existing = Application.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.pk == application.pk:
            return existing
        raise TransitionRefused(_("This form was already sent. Reload the page and try again."))
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "submit")
        _expect(application, State.DRAFT, State.SUPPLEMENT)
        handler = _handler(application)
        if handler.data_needs and not application.consent_id:
            raise TransitionRefused(_("Please agree to the use of your data first."))
        before = application.state
        _delivery_choose(application, delivery_mode, delivery_address)
        application.answers = answers
        application.idempotency_key = idempotency_key
        application.state = (
            State.IN_PROGRESS
            if before == State.SUPPLEMENT and application.steps.exists()
            else State.SUBMITTED
        )
        application.submitted_at = application.submitted_at or timezone.now()
        submitted = (
            "answers",
            "idempotency_key",
            "state",
            "submitted_at",
            "delivery_mode",
            "delivery_address",
        )
        kind = Event.Kind.SUPPLEMENTED if before == State.SUPPLEMENT else Event.Kind.SUBMITTED
        event = _event(application, kind, actor=actor, channel=channel, before=before)
        view = application_view(application)
        offices = _offices(application)  # deciding adds no step: reused for the decision
        # Plugins hear of it after commit (see plugin_api.signals), so sending it before the
        # row is written changes nothing they can see.
        signals.application_submitted.send(offices=offices, application=view, channel=channel)
        decision = handler.decide(view) if before == State.DRAFT else None
        if decision is None:
            _save(application, *submitted)
            event.save(force_insert=True)
            if before == State.SUPPLEMENT:
                _steps_resume(application)
        else:
            # 秒批: submission and decision are one UPDATE and one INSERT of both events.
            _decide(
                application,
                approved=decision.approved,
                reason=decision.reason,
                actor="system",
                channel=channel,
                offices=offices,
                unsaved=submitted,
                events=[event],
            )
        notices.application_submitted(application)
    return application


def _delivery_choose(application: Application, mode: str | None, address: dict | None) -> None:
    """Check and set the delivery choice (a refusal names what is missing)."""
    from campus_portal.delivery import services as delivery  # delivery builds on this module

    if mode is None:
        mode = application.delivery_mode or delivery.delivery_mode_default(application.matter)
        address = application.delivery_address if address is None else address
        if not mode:  # nothing chosen and no mode needing nothing more: staff decide later
            return
    application.delivery_mode, application.delivery_address = delivery.delivery_choice_clean(
        matter=application.matter, mode=mode, address=address
    )


def application_save_draft(
    application: Application,
    *,
    actor,
    answers: dict,
    channel: str = Channel.WEB,
    delivery_mode: str | None = None,
    delivery_address: dict | None = None,
) -> None:
    """Keep what the applicant typed so far (暂存), to finish later from any device.

    Nothing is validated here: a draft may be incomplete, and the submit checks everything. In a
    supplement round the saved answers stay the applicant's until they submit again; the clock
    stays paused.
    """
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "save")
        _expect(application, State.DRAFT, State.SUPPLEMENT)
        application.answers = {**application.answers, **answers}
        if problem := answers_oversize_problem(application.answers):
            raise TransitionRefused(problem)
        fields = ["answers"]
        if delivery_mode is not None:  # unchecked, like the answers: the submit checks it
            application.delivery_mode = delivery_mode[:16]
            application.delivery_address = {
                key: str(value)[:300] for key, value in (delivery_address or {}).items()
            }
            fields += ["delivery_mode", "delivery_address"]
        _save(application, *fields)
        _record(
            application,
            Event.Kind.DRAFTED,
            actor=actor,
            channel=channel,
            before=application.state,
            fields=sorted(answers),
        )


def application_withdraw(application: Application, *, actor, channel: str = Channel.WEB) -> None:
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "withdraw")
        _expect(application, State.DRAFT, *OPEN_STATES)
        before = application.state
        application.state = State.WITHDRAWN
        _save(application, "state")
        application.steps.filter(
            state__in=[Step.State.WAITING, Step.State.ACTIVE, Step.State.PAUSED]
        ).update(state=Step.State.CANCELLED)
        _record(application, Event.Kind.WITHDRAWN, actor=actor, channel=channel, before=before)
        signals.application_withdrawn.send(
            offices=_offices(application), application=application_view(application)
        )


# --- Acceptance ----------------------------------------------------------------------------------


def application_accept(
    application: Application, *, actor, version: int | None = None, channel: str = Channel.WEB
) -> None:
    """Accept (受理): the handler's steps are created and the first ones start their clocks."""
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "accept")
        _check_version(application, version)
        _expect(application, State.SUBMITTED)
        application.state = State.IN_PROGRESS
        _save(application, "state")
        _record(
            application, Event.Kind.ACCEPTED, actor=actor, channel=channel, before=State.SUBMITTED
        )
        notices.application_accepted(application)
        specs = _handler(application).steps(application_view(application))
        Step.objects.bulk_create(
            Step(
                application=application,
                key=spec.key,
                position=position,
                group=spec.group,
                office_code=spec.office,
                label=spec.label,
                decided_by=spec.decided_by,
                assignee_uid=spec.assignee,
                time_limit_days=spec.time_limit_days,
            )
            for position, spec in enumerate(specs)
        )
        if not specs:
            _decide(application, approved=True, reason="", actor=actor, channel=channel)
        else:
            _steps_start_next(application)


def application_not_accept(
    application: Application,
    *,
    actor,
    reason: str,
    version: int | None = None,
    channel: str = Channel.WEB,
) -> None:
    """不予受理, with the reason the applicant reads on the notice."""
    if not reason.strip():
        raise TransitionRefused(_("Give the reason for not accepting the application."))
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "not_accept")
        _check_version(application, version)
        _expect(application, State.SUBMITTED)
        application.state = State.NOT_ACCEPTED
        application.decision_reason = reason
        application.decided_at = timezone.now()
        _save(application, "state", "decision_reason", "decided_at")
        _record(
            application,
            Event.Kind.NOT_ACCEPTED,
            actor=actor,
            channel=channel,
            before=State.SUBMITTED,
            reason=reason,
        )
        notices.application_not_accepted(application)


def application_return_for_supplement(
    application: Application,
    *,
    actor,
    items: Iterable[str],
    version: int | None = None,
    channel: str = Channel.WEB,
) -> None:
    """补正, once: every missing or wrong item in one notice (一次性告知); the clock pauses."""
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise TransitionRefused(_("List everything that is missing or wrong, in one notice."))
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "return_for_supplement")
        _check_version(application, version)
        _expect(application, State.SUBMITTED, State.IN_PROGRESS)
        if application.supplement_used:
            raise TransitionRefused(
                _("An application is returned for supplement only once; decide it now.")
            )
        before = application.state
        application.state = State.SUPPLEMENT
        application.supplement_used = True
        application.supplement_notice = items
        _save(application, "state", "supplement_used", "supplement_notice")
        _steps_pause(application)
        _record(
            application,
            Event.Kind.SUPPLEMENT_REQUESTED,
            actor=actor,
            channel=channel,
            before=before,
            items=items,
        )
        notices.supplement_requested(application)


# --- Steps ---------------------------------------------------------------------------------------


def _steps_start_next(application: Application) -> None:
    """Start the next step, or the next parallel group, when nothing is active any more."""
    from campus_portal.workdays.calendar import add_working_days

    steps = list(application.steps.order_by("position"))
    if any(step.state == Step.State.ACTIVE for step in steps):
        return
    waiting = [step for step in steps if step.state == Step.State.WAITING]
    if not waiting:
        return
    first = waiting[0]
    batch = [first] if not first.group else [s for s in waiting if s.group == first.group]
    now = timezone.now()
    for step in batch:
        step.state = Step.State.ACTIVE
        step.started_at = now
        step.due_at = add_working_days(now, step.time_limit_days)
        step.save(update_fields=["state", "started_at", "due_at"])
    notices.steps_started(batch)


def _steps_pause(application: Application) -> None:
    """Stop the clocks of active steps: ``time_limit_days`` becomes what was left of it."""
    from campus_portal.workdays.calendar import working_days_between

    now = timezone.now()
    for step in application.steps.filter(state=Step.State.ACTIVE):
        used = working_days_between(step.started_at, now) if step.started_at else 0
        step.time_limit_days = max(step.time_limit_days - used, 1)
        step.state = Step.State.PAUSED
        step.due_at = None
        step.save(update_fields=["time_limit_days", "state", "due_at"])


def _steps_resume(application: Application) -> None:
    from campus_portal.workdays.calendar import add_working_days

    now = timezone.now()
    for step in application.steps.filter(state=Step.State.PAUSED):
        step.state = Step.State.ACTIVE
        step.started_at = now
        step.due_at = add_working_days(now, step.time_limit_days)
        # A new clock: reminder, overdue mark and escalation belong to the old one.
        step.reminded_at = step.escalated_at = None
        step.overdue = False
        fields = ["state", "started_at", "due_at", "reminded_at", "escalated_at", "overdue"]
        step.save(update_fields=fields)


def step_finish(
    step: Step,
    *,
    actor,
    approved: bool,
    comment: str = "",
    version: int | None = None,
    channel: str = Channel.WEB,
) -> None:
    """An office finishes its step: approve (the next steps start) or reject (with reason)."""
    if not approved and not comment.strip():
        raise TransitionRefused(_("Give the reason for the rejection."))
    with transaction.atomic():
        application = _locked(step.application)
        step = Step.objects.select_for_update().get(pk=step.pk)
        require(actor, application, "finish_step", step)
        _check_version(step, version)
        _expect(application, State.IN_PROGRESS)
        if step.state != Step.State.ACTIVE:
            raise TransitionRefused(_("This step is not waiting for a decision."))
        step.state = Step.State.APPROVED if approved else Step.State.REJECTED
        step.finished_at = timezone.now()
        step.finished_by = actor.get_username()
        step.comment = comment
        step.version += 1
        step.save(update_fields=["state", "finished_at", "finished_by", "comment", "version"])
        _record(
            application,
            Event.Kind.STEP_FINISHED,
            actor=actor,
            channel=channel,
            before=application.state,
            step=step.key,
            office=step.office_code,
            approved=approved,
            comment=comment,
        )
        signals.step_finished.send(
            offices=_offices(application),
            application=application_view(application),
            step_key=step.key,
            office=step.office_code,
            approved=approved,
        )
        if not approved:
            application.steps.filter(state__in=[Step.State.WAITING, Step.State.ACTIVE]).update(
                state=Step.State.CANCELLED
            )
            _decide(application, approved=False, reason=comment, actor=actor, channel=channel)
            return
        _steps_start_next(application)
        if not application.steps.exclude(state=Step.State.APPROVED).exists():
            _decide(application, approved=True, reason="", actor=actor, channel=channel)


def step_transfer(
    step: Step,
    *,
    actor,
    to_office: str,
    reason: str,
    version: int | None = None,
    channel: str = Channel.WEB,
) -> Step:
    """Send an active step that reached the wrong office on to the right one (转办).

    Office staff (or heads) of the step's office may do it. The clock keeps running (``due_at``
    is unchanged: the applicant should not wait longer for the university's mistake); the
    reminder and escalation start afresh so that the new office and its head are the ones told.
    """
    from campus_portal.catalog.models import Office

    reason = reason.strip()
    if not reason:
        raise TransitionRefused(_("Give the reason for the transfer."))
    with transaction.atomic():
        application = _locked(step.application)
        step = Step.objects.select_for_update().get(pk=step.pk)
        require(actor, application, "transfer_step", step)
        _check_version(step, version)
        _expect(application, State.IN_PROGRESS)
        if step.state != Step.State.ACTIVE:
            raise TransitionRefused(_("Only a step that is being processed can be transferred."))
        if to_office == step.office_code or not Office.objects.filter(code=to_office).exists():
            raise TransitionRefused(_("Choose another existing office."))
        from_office = step.office_code
        step.office_code = to_office
        step.reminded_at = step.escalated_at = None
        step.version += 1
        step.save(update_fields=["office_code", "reminded_at", "escalated_at", "version"])
        _record(
            application,
            Event.Kind.TRANSFERRED,
            actor=actor,
            channel=channel,
            before=application.state,
            step=step.key,
            **{"from": from_office, "to": to_office},
            reason=reason,
        )
        step.application = application
        notices.step_transferred(step, from_office=from_office, reason=reason)
    return step


def _decide(
    application: Application,
    *,
    approved: bool,
    reason: str,
    actor,
    channel,
    offices: set[str] | None = None,
    unsaved: Iterable[str] = (),
    events: Iterable[Event] = (),
) -> None:
    """Approve or reject; ``offices`` (the involved offices) when the caller has them.

    ``unsaved`` fields and ``events`` of the caller's own change in this transaction are
    written together with the decision (an instant decision right after the submit).
    """
    before = application.state
    application.state = State.APPROVED if approved else State.REJECTED
    application.decision_reason = reason
    application.decided_at = timezone.now()
    _save(application, *unsaved, "state", "decision_reason", "decided_at")
    kind = Event.Kind.APPROVED if approved else Event.Kind.REJECTED
    decided = _event(application, kind, actor=actor, channel=channel, before=before, reason=reason)
    Event.objects.bulk_create([*events, decided])
    notices.application_decided(application)
    if approved:
        from campus_portal.delivery import services as delivery  # builds on this module

        delivery.delivery_on_approved(application=application)
    results.application_decided(application, approved=approved)  # issued after commit
    signals.application_decided.send(
        offices=_offices(application) if offices is None else offices,
        application=application_view(application),
        approved=approved,
        reason=reason,
    )


# --- Anyone involved -------------------------------------------------------------------------


def visit_record(application: Application, *, actor, channel: str, place: str = "") -> Event:
    """An in-person visit (跑一次) — the realization rate counts these."""
    require(actor, application, "record_visit")
    return _record(
        application,
        Event.Kind.VISITED,
        actor=actor,
        channel=channel,
        before=application.state,
        place=place,
    )


def event_record(application: Application, kind: str, *, actor, channel: str, **detail) -> Event:
    """An event that changes no state — a delivery, a visit at a locker, a rating — written by
    the other core apps (delivery, ratings) in the same shape as the lifecycle's own."""
    return _record(
        application, kind, actor=actor, channel=channel, before=application.state, **detail
    )


def application_close(application: Application, *, actor, channel: str = Channel.WEB) -> None:
    with transaction.atomic():
        application = _locked(application)
        require(actor, application, "view")
        _expect(application, State.APPROVED, State.REJECTED, State.NOT_ACCEPTED)
        before = application.state
        application.state = State.CLOSED
        _save(application, "state")
        _record(application, Event.Kind.CLOSED, actor=actor, channel=channel, before=before)


def due_at_of(application: Application) -> datetime | None:
    return (
        application.steps.filter(state=Step.State.ACTIVE)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def handler_bindings_ensure() -> int:
    """Bind each registered handler to its default matters where no binding exists yet.

    Existing bindings are left alone, so an administrator's "off" survives re-runs.
    """
    from campus_portal.catalog.models import MatterPage

    created = 0
    for handler in registry:
        for matter in MatterPage.objects.filter(code__in=handler.matter_codes):
            _, made = HandlerBinding.objects.get_or_create(
                matter=matter, defaults={"handler_key": handler.key}
            )
            created += made
    return created
