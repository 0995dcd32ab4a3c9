"""Queue tickets: numbering per category and day, the waiting-time estimate, window calling."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from campus_portal.accounts.roles import Role
from campus_portal.queueing import selectors, services
from campus_portal.queueing.models import ServiceCategory, Ticket
from tests.applications.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories():
    return (
        ServiceCategory.objects.create(prefix="A", name="综合受理", default_service_minutes=6),
        ServiceCategory.objects.create(prefix="B", name="证明", default_service_minutes=3),
    )


@pytest.fixture
def window_staff(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_user("window-1", roles=[(Role.WINDOW_STAFF, "")])


def test_numbers_run_per_category_and_restart_each_day(categories):
    a, b = categories
    labels = [services.ticket_take(category=c).label for c in (a, a, b, a)]
    assert labels == ["A001", "A002", "B001", "A003"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert services.ticket_take(category=a).label == "A001"


def test_an_inactive_category_gives_no_ticket(categories):
    a, _ = categories
    a.active = False
    a.save()
    with pytest.raises(services.QueueRefused):
        services.ticket_take(category=a)


def test_the_estimate_uses_the_usual_minutes_then_todays_pace(categories, window_staff):
    a, _ = categories
    tickets = [services.ticket_take(category=a) for _ in range(6)]
    assert selectors.queue_wait_minutes(category=a, ahead=5) == 30  # 5 × usual 6 min
    assert selectors.tickets_waiting_ahead(ticket=tickets[5]) == 5
    start = timezone.now()
    for index in range(3):  # three people served in 2 minutes each at one window
        with time_machine.travel(start + dt.timedelta(minutes=2 * index), tick=False):
            called = services.ticket_call_next(actor=window_staff, window="3", categories=[a])
        with time_machine.travel(start + dt.timedelta(minutes=2 * index + 2), tick=False):
            services.ticket_serve(actor=window_staff, ticket=called)
    assert called == tickets[2]
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        assert selectors.service_minutes_recent(category=a) == pytest.approx(2)
        assert selectors.queue_wait_minutes(category=a, ahead=3) == 6
        overview = {q.category.prefix: q for q in selectors.queue_overview()}
        assert overview["A"].waiting == 3 and overview["A"].wait_minutes == 6
        assert overview["B"].waiting == 0 and overview["B"].wait_minutes == 0


def test_window_calls_one_at_a_time_and_only_window_staff_call(categories, window_staff):
    a, b = categories
    first, second = services.ticket_take(category=b), services.ticket_take(category=a)
    called = services.ticket_call_next(actor=window_staff, window="5", categories=[a, b])
    assert called == first and called.state == Ticket.State.CALLED  # the longest waiting
    with pytest.raises(services.QueueRefused):
        services.ticket_call_next(actor=window_staff, window="5", categories=[a, b])
    services.ticket_no_show(actor=window_staff, ticket=called)
    with pytest.raises(services.QueueRefused):
        services.ticket_serve(actor=window_staff, ticket=called)
    assert services.ticket_call_next(actor=window_staff, window="5", categories=[a]) == second
    assert selectors.tickets_called_recently()[0] == second
    applicant = make_user("someone")
    with pytest.raises(PermissionDenied):
        services.ticket_call_next(actor=applicant, window="5", categories=[a])
    with pytest.raises(PermissionDenied):
        services.ticket_serve(actor=applicant, ticket=second)


def test_window_staff_call_from_the_workbench(categories, window_staff, client):
    a, _ = categories
    services.ticket_take(category=a)
    client.force_login(window_staff)
    page = client.get("/workbench/window/queue/")
    assert page.status_code == 200 and "综合受理" in page.content.decode()
    client.post("/workbench/window/queue/", {"action": "call", "window": "3号窗口"})
    ticket = Ticket.objects.get()
    assert ticket.state == Ticket.State.CALLED and ticket.window == "3号窗口"
    assert "A001" in client.get("/workbench/window/queue/").content.decode()
    client.post("/workbench/window/queue/", {"action": "served", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.SERVED and ticket.called_by == "window-1"
