"""Taking, calling and finishing queue tickets. Kiosk and workbench views call only these.

Numbers are drawn under a lock on the category row, so two kiosks pressing 取号 at the same
instant get consecutive numbers, never the same one (the unique constraint is the backstop).
Calling is for window staff only, checked here and not only in the views.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.accounts.roles import scope_for
from campus_portal.queueing.models import ServiceCategory, Ticket


class QueueRefused(Exception):
    """The queue action is not possible now; the message is shown to the person as is."""


def _today():
    return timezone.localdate()


def _require_window_staff(actor) -> None:
    if not scope_for(actor).is_window_staff:
        raise PermissionDenied("queue calling")


def ticket_take(*, category: ServiceCategory, person=None, kiosk_id: str = "") -> Ticket:
    """The next number of ``category`` today (A001, A002 …)."""
    with transaction.atomic():
        locked = ServiceCategory.objects.select_for_update().get(pk=category.pk)
        if not locked.active:
            raise QueueRefused(_("Tickets for this service cannot be taken right now."))
        today = _today()
        last = Ticket.objects.filter(category=locked, service_date=today).aggregate(
            last=Max("number")
        )["last"]
        return Ticket.objects.create(
            category=locked,
            service_date=today,
            number=(last or 0) + 1,
            person=person if person is not None and person.is_authenticated else None,
            kiosk_id=kiosk_id[:64],
        )


def ticket_call_next(*, actor, window: str, categories: list[ServiceCategory]) -> Ticket | None:
    """Call the longest-waiting ticket of ``categories`` to ``window``; None when nobody waits.

    A window calls one person at a time: while its last called ticket is neither served nor
    marked a no-show, the next call is refused (otherwise the hall display and the estimate
    would count a person twice).
    """
    _require_window_staff(actor)
    window = window.strip()[:32]
    if not window:
        raise QueueRefused(_("Say which window you are calling to."))
    with transaction.atomic():
        today = _today()
        if Ticket.objects.filter(
            service_date=today, window=window, state=Ticket.State.CALLED
        ).exists():
            raise QueueRefused(
                _("Mark the ticket at this window served or not come before calling the next.")
            )
        ticket = (
            Ticket.objects.select_for_update()
            .filter(service_date=today, state=Ticket.State.WAITING, category__in=categories)
            .order_by("taken_at", "pk")
            .first()
        )
        if ticket is None:
            return None
        ticket.state = Ticket.State.CALLED
        ticket.window = window
        ticket.called_by = actor.get_username()
        ticket.called_at = timezone.now()
        ticket.save(update_fields=["state", "window", "called_by", "called_at"])
        return ticket


def _ticket_finish(*, actor, ticket: Ticket, state: str) -> Ticket:
    _require_window_staff(actor)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        if ticket.state != Ticket.State.CALLED:
            raise QueueRefused(_("This ticket is not being served at a window."))
        ticket.state = state
        ticket.finished_at = timezone.now()
        ticket.save(update_fields=["state", "finished_at"])
        return ticket


def ticket_serve(*, actor, ticket: Ticket) -> Ticket:
    """The person was served: their time at the window feeds the waiting-time estimate."""
    return _ticket_finish(actor=actor, ticket=ticket, state=Ticket.State.SERVED)


def ticket_no_show(*, actor, ticket: Ticket) -> Ticket:
    """Called, but nobody came: the window is free again and the time is not counted."""
    return _ticket_finish(actor=actor, ticket=ticket, state=Ticket.State.NO_SHOW)


def service_categories_ensure_demo() -> int:
    """The demo hall's categories (``queueing_load_demo``); existing ones are left alone."""
    created = 0
    for position, (prefix, name, minutes) in enumerate(
        [
            ("A", "综合受理", 6),
            ("B", "证明与成绩单", 3),
            ("C", "财务报销", 10),
        ]
    ):
        _, made = ServiceCategory.objects.get_or_create(
            prefix=prefix,
            defaults={"name": name, "default_service_minutes": minutes, "position": position},
        )
        created += made
    return created
