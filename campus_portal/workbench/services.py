"""Workbench actions that the application lifecycle does not have yet, and batch helpers.

Everything that changes an application still goes through ``campus_portal.applications
.services`` (or, for comments, records its event after the same permission check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from campus_portal.accounts.presence import PresenceRefused, presence_confirm
from campus_portal.accounts.roles import scope_for
from campus_portal.applications import services as lifecycle
from campus_portal.applications.models import Application, Channel, Event
from campus_portal.applications.permissions import require
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record
from campus_portal.workbench.selectors import steps_for_bulk


def application_comment(
    application: Application, *, actor, text: str, channel: str = Channel.WEB
) -> Event:
    """An internal note on the application (shown in its history)."""
    text = text.strip()
    if not text:
        raise lifecycle.TransitionRefused(_("Write the comment first."))
    require(actor, application, "comment")
    return Event.objects.create(
        application=application,
        kind=Event.Kind.COMMENTED,
        actor=actor.get_username(),
        channel=channel,
        from_state=application.state,
        to_state=application.state,
        detail={"text": text[:2000]},
    )


@dataclass
class BulkResult:
    succeeded: list[str] = field(default_factory=list)  # "reference / step"
    failed: list[tuple[str, str]] = field(default_factory=list)  # ("reference / step", why)


def steps_bulk_approve(
    *,
    actor,
    step_versions: dict[int, int | None],
    channel: str = Channel.WEB,
    ip_address: str = "",
) -> BulkResult:
    """Approve several active steps of the actor's offices, each on its own (one failing does
    not undo the others). ``step_versions`` maps step id → the version the actor saw.

    Steps the actor may not decide are refused like any other denial: one security-log row
    for the request, naming the steps (the page answers 302 with messages, so the denial
    middleware, which looks for 403s, never sees them)."""
    result = BulkResult()
    denied: list[int] = []
    steps = {step.pk: step for step in steps_for_bulk(actor, list(step_versions))}
    for step_id, version in step_versions.items():
        step = steps.get(step_id)
        if step is None:
            result.failed.append((f"#{step_id}", _("Not a step of your office.")))
            denied.append(step_id)
            continue
        name = f"{step.application.reference} / {step.label}"
        try:
            lifecycle.step_finish(
                step, actor=actor, approved=True, version=version, channel=channel
            )
        except lifecycle.TransitionRefused as refused:
            result.failed.append((name, str(refused)))
        except PermissionDenied:
            result.failed.append((name, _("You may not decide this step.")))
            denied.append(step_id)
        else:
            result.succeeded.append(name)
    if denied:
        security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=actor.get_username(),
            ip_address=ip_address,
            detail={"via": "bulk-approve", "path": "/workbench/bulk-approve/", "steps": denied},
        )
    return result


def window_application_start(
    *,
    staff,
    applicant,
    matter,
    agreed: bool,
    presence_method: str = "",
    presence_data: Mapping[str, str] | None = None,
    place: str = "",
    ip_address: str = "",
) -> Application:
    """Window staff start an application on the applicant's behalf (无差别受理).

    The applicant must be there and prove it (``accounts.presence``: their campus card and
    PIN, or the window's QR code confirmed on their phone) — a ticked box is not enough, since
    the staff member then sees the applicant's records. How it was proved is recorded on the
    application's history with the visit. The applicant's agreement to the use of their data
    is required and recorded (warehouse consent row, with the window as channel).
    """
    if not scope_for(staff).is_window_staff:
        raise PermissionDenied("window start")
    if not agreed:
        raise lifecycle.TransitionRefused(
            _("The applicant must agree to the use of their data before you start.")
        )
    try:
        proof = presence_confirm(
            method=presence_method,
            applicant=applicant,
            staff=staff,
            data=presence_data or {},
            ip_address=ip_address,
        )
    except PresenceRefused as refused:
        raise lifecycle.TransitionRefused(str(refused)) from refused
    with transaction.atomic():
        application = lifecycle.application_start(
            user=applicant, matter=matter, channel=Channel.WINDOW, started_by=staff
        )
        lifecycle.application_consent(application, actor=staff, channel=Channel.WINDOW)
        application.refresh_from_db()
        lifecycle.visit_record(
            application, actor=staff, channel=Channel.WINDOW, place=place, **proof.as_detail()
        )
    return application
