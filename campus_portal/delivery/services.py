"""Delivering a decided result (送达): the four modes and what each records.

Who may act is decided here, not in the views: the application's office staff deposit into
the locker, post and confirm; window staff (and the office) hand over at the window; the
applicant confirms a posted result and downloads an electronic one. Every delivery ends in
``_delivered``: the row becomes ``delivered``, one ``delivered`` event is written (a
conditional UPDATE makes a second call a no-op) and the applicant is invited to rate.

The locker controller is called *outside* any transaction: a slow controller never holds a
row lock, and its failure changes nothing but the error shown and the attempt counted — the
result stays "awaiting deposit" (or "ready" for a pickup) and staff can try again.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.accounts.roles import scope_for
from campus_portal.applications import signals
from campus_portal.applications.events import TransitionRefused, event_record
from campus_portal.applications.models import Application, Channel, Event
from campus_portal.applications.selectors import application_view
from campus_portal.catalog.choices import DeliveryMode
from campus_portal.delivery import locker
from campus_portal.delivery.models import ResultDelivery
from campus_portal.notifications import lifecycle as notices
from campus_portal.plugin_api import registry

logger = logging.getLogger(__name__)

State = ResultDelivery.State
Mode = DeliveryMode

# The state a new delivery starts in, per mode.
_INITIAL = {
    Mode.ELECTRONIC: State.READY,
    Mode.LOCKER: State.AWAITING_DEPOSIT,
    Mode.POST: State.AWAITING_DISPATCH,
    Mode.WINDOW: State.READY,
}
# When the applicant did not choose (an application started before delivery modes existed,
# or by a caller that does not ask): the mode that needs nothing more from them.
_DEFAULT_ORDER = (Mode.ELECTRONIC, Mode.WINDOW, Mode.LOCKER)
PHONE = re.compile(r"^\+?[0-9][0-9 -]{6,19}$")
WAYBILL = re.compile(r"^[A-Za-z0-9-]{6,40}$")
PICKUP_CODE_DIGITS = 8
# Wrong pickup codes tolerated per kiosk (or per person) in PICKUP_LOCKOUT_SECONDS.
PICKUP_MAX_FAILURES = 10
PICKUP_LOCKOUT_SECONDS = 15 * 60


class LockerUnavailable(TransitionRefused):
    """The locker controller did not do what was asked; nothing changed, try again."""


class PickupCodeInvalid(TransitionRefused):
    """No result waits in a locker under this code."""


def _actor_name(actor) -> str:
    if actor is None:
        return "system"
    return actor.get_username() if hasattr(actor, "get_username") else str(actor)


# --- Choosing a mode (with the application) ------------------------------------------------


def delivery_modes_of(matter, application: Application | None = None) -> list[str]:
    """The modes offered, in the catalog's order (unknown values dropped): those of the
    application's handler where it names them (a configured matter's version), else the
    guide's (the matter's)."""
    modes = None
    handler = registry.get(application.handler_key) if application is not None else None
    if handler is not None:
        modes = handler.delivery_modes_for(application_view(application))
    if modes is None:
        modes = matter.delivery_modes or []
    return [mode for mode in modes if mode in Mode.values]


def delivery_mode_default(matter, application: Application | None = None) -> str:
    modes = delivery_modes_of(matter, application)
    for mode in _DEFAULT_ORDER:
        if mode in modes:
            return mode
    return ""


def delivery_choice_clean(
    *, matter, mode: str, address: dict | None, application: Application | None = None
) -> tuple[str, dict]:
    """Check the applicant's choice: a mode the matter offers and, for post, a full address.

    Returns ``(mode, address)``; the address is kept only for post. Raises
    ``TransitionRefused`` with a message the applicant can act on."""
    modes = delivery_modes_of(matter, application)
    if not modes:
        return "", {}
    if not mode:
        raise TransitionRefused(_("Please choose how you want to receive the result."))
    if mode not in modes:
        raise TransitionRefused(_("This matter cannot deliver its result that way."))
    if mode != Mode.POST:
        return mode, {}
    address = {
        key: str((address or {}).get(key, "")).strip() for key in ("name", "phone", "address")
    }
    if not all(address.values()):
        raise TransitionRefused(
            _("For delivery by post, please give the recipient's name, phone and address.")
        )
    if not PHONE.match(address["phone"]):
        raise TransitionRefused(_("Please give a valid phone number for the courier."))
    if len(address["name"]) > 50 or len(address["address"]) > 300:
        raise TransitionRefused(_("The name or the address is too long."))
    return mode, address


# --- When the application is approved ------------------------------------------------------


def delivery_on_approved(*, application: Application) -> ResultDelivery | None:
    """Open the delivery of an approved application (on ``application_decided``, in the
    lifecycle's transaction) and tell whom it concerns: the applicant that an electronic
    result is ready or where to collect it; the office that a paper result waits for the
    locker or the post."""
    mode = application.delivery_mode or delivery_mode_default(application.matter, application)
    if not mode:
        return None
    delivery, created = ResultDelivery.objects.get_or_create(
        application=application,
        defaults={
            "office_code": application.office_code,
            "mode": mode,
            "state": _INITIAL[mode],
            "ready_at": timezone.now() if _INITIAL[mode] == State.READY else None,
        },
    )
    if created:
        delivery.application = application
        notices.delivery_opened(delivery)
    return delivery


# --- Electronic ----------------------------------------------------------------------------


def delivery_electronic_downloaded(*, application: Application, user) -> bool:
    """The applicant downloaded the electronic result from 我的办件: that is its delivery.

    Called by the result download view on every download; only the applicant's own download
    of an approved application with electronic delivery counts, once (True when this call
    recorded it). Staff looking at the document deliver nothing."""
    if user is None or application.applicant_id != getattr(user, "pk", None):
        return False
    if application.state not in (Application.State.APPROVED, Application.State.CLOSED):
        return False
    delivery = ResultDelivery.objects.filter(application=application).first()
    if delivery is None:  # approved before delivery was recorded: electronic by default
        delivery = delivery_on_approved(application=application)
    if delivery is None or delivery.mode != Mode.ELECTRONIC:
        return False
    return _delivered(delivery, actor=user, channel=Channel.WEB, how="download")


# --- Pickup locker -------------------------------------------------------------------------


def _require_office(actor, delivery: ResultDelivery) -> None:
    if delivery.office_code not in scope_for(actor).processing_offices:
        raise PermissionDenied(f"delivery of {delivery.application_id}")


def _delivery_of(application: Application) -> ResultDelivery:
    delivery = ResultDelivery.objects.filter(application=application).first()
    if delivery is None:
        raise TransitionRefused(_("This application has no result to deliver."))
    delivery.application = application
    return delivery


def locker_deposit(*, application: Application, actor) -> ResultDelivery:
    """Office staff put the paper result into a pickup locker compartment.

    Asks the controller for a compartment (idempotent by ``deposit_request_id``); on success
    the delivery is ready, gets a pickup code and the applicant is told. On a timeout or an
    error it stays "awaiting deposit" with the error recorded, and ``LockerUnavailable`` is
    raised: pressing the button again retries with the same request id."""
    delivery = _delivery_of(application)
    _require_office(actor, delivery)
    with transaction.atomic():
        delivery = ResultDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.mode != Mode.LOCKER or delivery.state != State.AWAITING_DEPOSIT:
            raise TransitionRefused(_("This result is not waiting for a locker deposit."))
        if not delivery.deposit_request_id:
            delivery.deposit_request_id = secrets.token_hex(16)
        delivery.attempts += 1
        delivery.save(update_fields=["deposit_request_id", "attempts"])
    try:
        locker_id, compartment = locker.compartment_reserve(
            reference=application.reference, request_id=delivery.deposit_request_id
        )
    except locker.LockerError as error:
        ResultDelivery.objects.filter(pk=delivery.pk).update(last_error=str(error)[:2000])
        logger.warning("locker deposit for %s failed: %s", application.reference, error)
        raise LockerUnavailable(
            _(
                "The pickup locker did not answer (%(error)s). The result is still awaiting "
                "deposit; please try again."
            )
            % {"error": error}
        ) from error
    with transaction.atomic():
        locked = ResultDelivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.state != State.AWAITING_DEPOSIT:  # a parallel click got there first
            return locked
        locked.locker_id, locked.compartment = locker_id[:40], compartment
        locked.state, locked.ready_at, locked.last_error = State.READY, timezone.now(), ""
        _pickup_code_assign(locked)
        locked.application = application
        event_record(
            application,
            Event.Kind.COMMENTED,
            actor=_actor_name(actor),
            channel=Channel.WINDOW,
            text=_("Deposited in locker %(locker)s, compartment %(compartment)s")
            % {"locker": locker_id or "—", "compartment": compartment},
        )
        notices.pickup_ready(locked)
    return locked


def _pickup_code_assign(delivery: ResultDelivery) -> None:
    """A fresh random code, unique among all codes ever issued (the column is unique)."""
    for _attempt in range(10):
        delivery.pickup_code = f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"
        try:
            with transaction.atomic():
                delivery.save(
                    update_fields=[
                        "locker_id",
                        "compartment",
                        "state",
                        "ready_at",
                        "last_error",
                        "pickup_code",
                    ]
                )
            return
        except IntegrityError:
            continue
    raise TransitionRefused(_("No pickup code could be issued; please try again."))


@dataclass(frozen=True)
class LockerPickup:
    """What the kiosk shows after opening: which door, for which application."""

    reference: str
    matter: str
    locker_id: str
    compartment: str
    counted_as_visit: bool


def _failures_key(kiosk_id: str | None, actor) -> str:
    who = kiosk_id or (f"user-{actor.pk}" if getattr(actor, "pk", None) else "anonymous")
    return f"delivery:pickup-failures:{who}"


def locker_pickup_open(*, code: str, kiosk_id: str | None = None, actor=None) -> LockerPickup:
    """Open the compartment holding the result for pickup ``code`` (the kiosk calls this).

    The code is the key: whoever holds it may collect (the applicant may send someone).
    Wrong codes are counted per kiosk and refused after ``PICKUP_MAX_FAILURES`` in a quarter
    of an hour. A controller failure leaves the result in its compartment, still "ready",
    and the code valid. Opening records the delivery and — only if the applicant has no other
    in-person visit that day — an in-person visit at the locker."""
    failures_key = _failures_key(kiosk_id, actor)
    if cache.get(failures_key, 0) >= PICKUP_MAX_FAILURES:
        raise PickupCodeInvalid(_("Too many wrong codes. Please ask at the service window."))
    code = (code or "").strip()
    delivery = None
    if code.isdigit() and len(code) == PICKUP_CODE_DIGITS:
        delivery = (
            ResultDelivery.objects.select_related("application__matter", "application__applicant")
            .filter(pickup_code=code, mode=Mode.LOCKER, state=State.READY)
            .first()
        )
    if delivery is None:
        cache.add(failures_key, 0, PICKUP_LOCKOUT_SECONDS)
        try:
            cache.incr(failures_key)
        except ValueError:  # expired in between
            cache.set(failures_key, 1, PICKUP_LOCKOUT_SECONDS)
        raise PickupCodeInvalid(_("No result is waiting under this pickup code."))
    try:
        locker.compartment_open(
            compartment=delivery.compartment, request_id=f"pickup-{delivery.pk}"
        )
    except locker.LockerError as error:
        logger.warning("locker open for %s failed: %s", delivery.application.reference, error)
        raise LockerUnavailable(
            _("The locker could not be opened just now. Your result is safe; please try again.")
        ) from error
    application = delivery.application
    with transaction.atomic():
        first = _delivered(
            delivery,
            actor=actor if actor is not None else f"kiosk:{kiosk_id or '-'}",
            channel=Channel.KIOSK,
            how="locker",
            kiosk=kiosk_id or "",
        )
        visit = first and _visit_if_only_reason(delivery, kiosk_id=kiosk_id)
    return LockerPickup(
        reference=application.reference,
        matter=application.matter.title,
        locker_id=delivery.locker_id,
        compartment=delivery.compartment,
        counted_as_visit=visit,
    )


def _visit_if_only_reason(delivery: ResultDelivery, *, kiosk_id: str | None) -> bool:
    """跑一次: collecting from the locker is an in-person visit unless the applicant already
    came in for something else today (one trip, one visit)."""
    application = delivery.application
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    other = Event.objects.filter(
        application__applicant_id=application.applicant_id,
        kind=Event.Kind.VISITED,
        at__gte=start,
        at__lt=start + timedelta(days=1),
    ).exists()
    if other:
        return False
    event_record(
        application,
        Event.Kind.VISITED,
        actor=f"kiosk:{kiosk_id or '-'}",
        channel=Channel.KIOSK,
        place="locker",
        locker=delivery.locker_id,
    )
    return True


# --- Post ----------------------------------------------------------------------------------


def post_dispatch(*, application: Application, actor, waybill: str) -> ResultDelivery:
    """Office staff record the courier's waybill number; the applicant is told. A wrong number
    may be corrected while the item is on its way."""
    delivery = _delivery_of(application)
    _require_office(actor, delivery)
    waybill = (waybill or "").strip()
    if not WAYBILL.match(waybill):
        raise TransitionRefused(_("Please enter the waybill number (6–40 letters or digits)."))
    with transaction.atomic():
        changed = ResultDelivery.objects.filter(
            pk=delivery.pk,
            mode=Mode.POST,
            state__in=[State.AWAITING_DISPATCH, State.DISPATCHED],
        ).update(waybill=waybill, state=State.DISPATCHED, ready_at=timezone.now())
        if not changed:
            raise TransitionRefused(_("This result is not waiting to be posted."))
        delivery.refresh_from_db()
        delivery.application = application
        notices.result_dispatched(delivery)
    return delivery


def post_delivered_confirm(*, application: Application, actor) -> bool:
    """The posted result arrived: confirmed by the applicant or by the office."""
    delivery = _delivery_of(application)
    if application.applicant_id != getattr(actor, "pk", None):
        _require_office(actor, delivery)
    if delivery.mode != Mode.POST:
        raise TransitionRefused(_("This result is not delivered by post."))
    if delivery.state == State.DELIVERED:
        return False
    if delivery.state != State.DISPATCHED:
        raise TransitionRefused(_("This result has not been posted yet."))
    channel = Channel.WEB if application.applicant_id == actor.pk else Channel.WINDOW
    return _delivered(delivery, actor=actor, channel=channel, how="post")


# --- Window --------------------------------------------------------------------------------


def window_handover(*, application: Application, actor, place: str = "") -> bool:
    """The applicant collected the result at a window: an in-person visit and the delivery.
    Window staff (any window: 无差别) or the application's office may record it."""
    delivery = _delivery_of(application)
    if not scope_for(actor).is_window_staff:
        _require_office(actor, delivery)
    if delivery.mode != Mode.WINDOW:
        raise TransitionRefused(_("This result is not collected at the window."))
    if delivery.state == State.DELIVERED:
        return False
    with transaction.atomic():
        done = _delivered(delivery, actor=actor, channel=Channel.WINDOW, how="window")
        if done:
            event_record(
                application,
                Event.Kind.VISITED,
                actor=_actor_name(actor),
                channel=Channel.WINDOW,
                place=place[:100] or "window",
                why="collect result",
            )
    return done


def window_handover_by_reference(*, reference: str, actor, place: str = "") -> Application:
    """The window page's hand-over: window staff type the reference on the applicant's
    receipt. They never saw the application, so a wrong reference and one that is not
    waiting at the window get the same answer (nothing about other people's cases leaks)."""
    if not scope_for(actor).is_window_staff:
        raise PermissionDenied("window hand-over")
    application = (
        Application.objects.select_related("matter", "applicant")
        .filter(
            reference=(reference or "").strip()[:32],
            result_delivery__mode=Mode.WINDOW,
            result_delivery__state=State.READY,
        )
        .first()
    )
    if application is None:
        raise TransitionRefused(_("No result is waiting at the window under this reference."))
    window_handover(application=application, actor=actor, place=place)
    return application


# --- Every mode ends here ------------------------------------------------------------------


def _delivered(delivery: ResultDelivery, *, actor, channel: str, how: str, **detail) -> bool:
    """Mark delivered once (conditional UPDATE), write the event, invite the rating."""
    with transaction.atomic():
        changed = (
            ResultDelivery.objects.filter(pk=delivery.pk)
            .exclude(state=State.DELIVERED)
            .update(
                state=State.DELIVERED,
                delivered_at=timezone.now(),
                delivered_by=_actor_name(actor)[:150],
            )
        )
        if not changed:
            return False
        delivery.state = State.DELIVERED
        application = delivery.application
        event_record(
            application,
            Event.Kind.DELIVERED,
            actor=_actor_name(actor),
            channel=channel,
            mode=delivery.mode,
            how=how,
            **detail,
        )
        signals.application_delivered.send(
            Application, application=application, delivery=delivery, how=how
        )
    return True
