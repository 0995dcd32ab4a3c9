"""The applicant's side: start a draft, consent to the data needs, save, submit, withdraw."""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.accounts.role_names import READER_HANDLER, Role
from campus_portal.accounts.selectors import person_uid_for
from campus_portal.applications import signals
from campus_portal.applications.answers import answers_oversize_problem
from campus_portal.applications.assignees import AssigneeRefused, assignees_check
from campus_portal.applications.events import (
    TransitionRefused,
    event_build,
    event_record,
    event_save,
)
from campus_portal.applications.models import Application, Channel, Event, Step
from campus_portal.applications.permissions import require
from campus_portal.applications.selectors import (
    application_view,
    handler_for,
    window_handler_for,
)
from campus_portal.applications.services._base import (
    OPEN_STATES,
    State,
    expect,
    handler_of,
    locked,
    new_reference,
    offices,
    save,
)
from campus_portal.applications.services.decision import decide
from campus_portal.applications.services.steps import steps_resume
from campus_portal.plugin_api import MatterHandler
from campus_portal.plugin_api import signals as plugin_signals
from data_warehouse.errors import WarehouseError
from data_warehouse.router import WAREHOUSE_ALIAS
from data_warehouse.services import consent_record, warehouse_read

logger = logging.getLogger(__name__)


def application_start(*, user, matter, channel: str = Channel.WEB, started_by=None) -> Application:
    """A draft application of ``user`` for ``matter`` (resumable from any device); a window
    may also take in a matter without online service (``window_handler_for``)."""
    handler = window_handler_for(matter) if channel == Channel.WINDOW else handler_for(matter)
    if handler is None:
        raise TransitionRefused(_("This matter cannot be applied for online."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    reference=new_reference(),
                    matter=matter,
                    handler_key=handler.key,
                    office_code=handler.office_for(matter.code),
                    applicant=user,
                    applicant_uid=person_uid_for(user) or "",
                    started_by=started_by,
                    channel=channel,
                )
                event_record(
                    application,
                    Event.Kind.DRAFTED,
                    actor=started_by or user,
                    channel=channel,
                    before="",
                )
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
    application = locked(application)
    require(actor, application, "consent")
    expect(application, State.DRAFT, State.SUPPLEMENT)
    handler = handler_of(application)
    needs = list(handler.data_needs_for(application_view(application)))
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
    save(application, "consent_id", "snapshot")


def _consent_and_read(application: Application, handler: MatterHandler, needs, actor):
    """Both or neither: a consent without the read (say, a missing grant) is not kept."""
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
            reader=_reader_of_consent(application, handler, actor),
        )
    return consent, values


def _reader_of_consent(application: Application, handler: MatterHandler, actor) -> dict:
    """Who the person's log names for the read at consent: the handler, for the applicant's
    own consent; the window staff member, when they started it on the applicant's behalf."""
    if actor.pk != application.applicant_id:
        name = actor.get_full_name() or actor.get_username()
        return {"name": name, "office": "", "role": Role.WINDOW_STAFF}
    return {"name": handler.label, "office": handler.office, "role": READER_HANDLER}


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
    the matter's default mode (callers that do not ask, such as an instant kiosk matter). The
    delivery app checks the choice (``signals.application_submitting``)."""
    existing = Application.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.pk == application.pk:
            return existing
        raise TransitionRefused(_("This form was already sent. Reload the page and try again."))
    with transaction.atomic():
        application = locked(application)
        require(actor, application, "submit")
        expect(application, State.DRAFT, State.SUPPLEMENT)
        handler = handler_of(application)
        if handler.data_needs_for(application_view(application)) and not application.consent_id:
            raise TransitionRefused(_("Please agree to the use of your data first."))
        before = application.state
        signals.application_submitting.send(
            Application,
            application=application,
            delivery_mode=delivery_mode,
            delivery_address=delivery_address,
        )
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
        event = event_build(application, kind, actor=actor, channel=channel, before=before)
        view = application_view(application)
        problems = assignees_check(handler=handler, view=view)
        if problems:  # nobody approves their own claim, no student approves another's
            raise AssigneeRefused(problems)
        involved = offices(application)  # deciding adds no step: reused for the decision
        # Plugins hear of it after commit (see plugin_api.signals), so sending it before the
        # row is written changes nothing they can see.
        plugin_signals.application_submitted.send(
            offices=involved, application=view, channel=channel
        )
        decision = handler.decide(view) if before == State.DRAFT else None
        if decision is None:
            save(application, *submitted)
            event_save(event)
            if before == State.SUPPLEMENT:
                steps_resume(application)
        else:
            # 秒批: submission and decision are one UPDATE and one INSERT of both events.
            decide(
                application,
                approved=decision.approved,
                reason=decision.reason,
                actor="system",
                channel=channel,
                involved=involved,
                unsaved=submitted,
                events=[event],
            )
        announced = (
            signals.supplement_answered
            if before == State.SUPPLEMENT
            else signals.application_submitted
        )
        announced.send(Application, application=application, channel=channel)
    return application


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
        application = locked(application)
        require(actor, application, "save")
        expect(application, State.DRAFT, State.SUPPLEMENT)
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
        save(application, *fields)
        event_record(
            application,
            Event.Kind.DRAFTED,
            actor=actor,
            channel=channel,
            fields=sorted(answers),
        )


def application_withdraw(application: Application, *, actor, channel: str = Channel.WEB) -> None:
    with transaction.atomic():
        application = locked(application)
        require(actor, application, "withdraw")
        expect(application, State.DRAFT, *OPEN_STATES)
        before = application.state
        application.state = State.WITHDRAWN
        save(application, "state")
        application.steps.filter(
            state__in=[Step.State.WAITING, Step.State.ACTIVE, Step.State.PAUSED]
        ).update(state=Step.State.CANCELLED)
        event_record(application, Event.Kind.WITHDRAWN, actor=actor, channel=channel, before=before)
        signals.application_withdrawn.send(Application, application=application, before=before)
        plugin_signals.application_withdrawn.send(
            offices=offices(application), application=application_view(application)
        )
