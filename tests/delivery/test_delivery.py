"""Delivery of results, end to end through the services and the workbench page, against a
local fake of the pickup locker controller (tests/fake_http.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campus_portal.applications import services as lifecycle
from campus_portal.applications.models import Application, Channel, Event
from campus_portal.applications.services import TransitionRefused
from campus_portal.delivery import services as delivery
from campus_portal.delivery.models import ResultDelivery
from campus_portal.delivery.selectors import locker_pickups_for
from campus_portal.notifications.models import Notification
from tests.delivery.conftest import ADDRESS
from tests.workbench.conftest import as_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

Kind = Notification.Kind
State = ResultDelivery.State


def events(application, kind) -> list[Event]:
    return list(application.events.filter(kind=kind))


def workbench_post(client, application, action, **data):
    return client.post(
        reverse("workbench:detail", args=[application.reference]),
        {"action": action, **data},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Pickup locker ------------------------------------------------------------------------


def test_locker_delivery_end_to_end(client, locker, approved, applicant, xgb_staff):
    application = approved("locker")
    row = ResultDelivery.objects.get(application=application)
    assert (row.mode, row.state) == ("locker", State.AWAITING_DEPOSIT)
    # The office is told a paper result waits for the locker; the applicant has no code yet.
    assert Notification.objects.filter(recipient=xgb_staff, kind=Kind.DEPOSIT_NEEDED).exists()
    assert not locker_pickups_for(user=applicant).exists()

    response = workbench_post(as_user(client, xgb_staff), application, "locker_deposit")
    assert any("compartment A01" in m for m in messages_of(response))
    row.refresh_from_db()
    assert (row.state, row.locker_id, row.compartment) == (State.READY, "HALL-1", "A01")
    assert len(row.pickup_code) == 8 and row.pickup_code.isdigit()
    (deposit,) = locker.deposits()
    assert deposit.headers["authorization"] == "Bearer test-token"
    assert deposit.body == {
        "request_id": row.deposit_request_id,
        "reference": application.reference,
    }
    # Only the applicant gets the code, in a message and on their application page.
    notice = Notification.objects.get(recipient=applicant, kind=Kind.READY_FOR_PICKUP)
    assert row.pickup_code in notice.body
    assert (
        not Notification.objects.filter(body__contains=row.pickup_code)
        .exclude(recipient=applicant)
        .exists()
    )
    assert [d.pk for d in locker_pickups_for(user=applicant)] == [row.pk]
    assert locker_pickups_for(user=xgb_staff).count() == 0
    page = as_user(client, applicant).get(
        reverse("applications:detail", args=[application.reference])
    )
    assert row.pickup_code in page.content.decode()

    pickup = delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="hall-kiosk-1")
    assert (pickup.reference, pickup.compartment, pickup.counted_as_visit) == (
        application.reference,
        "A01",
        True,
    )
    assert locker.compartments["A01"] == {"state": "open", "opened": 1}  # polled to "open"
    row.refresh_from_db()
    assert row.state == State.DELIVERED and row.delivered_by == "kiosk:hall-kiosk-1"
    (delivered,) = events(application, Event.Kind.DELIVERED)
    assert (delivered.channel, delivered.detail["mode"]) == (Channel.KIOSK, "locker")
    (visit,) = events(application, Event.Kind.VISITED)
    assert visit.detail["place"] == "locker"
    assert Notification.objects.filter(recipient=applicant, kind=Kind.RATING_INVITED).count() == 1
    # The code is spent: a second open finds nothing and opens nothing.
    with pytest.raises(delivery.PickupCodeInvalid):
        delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="hall-kiosk-1")
    assert locker.compartments["A01"]["opened"] == 1


def test_a_locker_pickup_is_no_extra_visit_when_the_applicant_came_for_something_else(
    locker, approved, applicant, xgb_staff, window_staff
):
    first, second = approved("locker"), approved("window")
    lifecycle.visit_record(second, actor=window_staff, channel=Channel.WINDOW, place="3号窗口")
    row = delivery.locker_deposit(application=first, actor=xgb_staff)
    pickup = delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="hall-kiosk-2")
    assert pickup.counted_as_visit is False
    assert events(first, Event.Kind.VISITED) == []
    assert len(events(first, Event.Kind.DELIVERED)) == 1


@pytest.mark.parametrize("fault", ["timeout", "error"])
def test_a_failing_controller_leaves_the_result_awaiting_deposit_and_staff_retry(
    client, locker, approved, applicant, xgb_staff, fault
):
    application = approved("locker")
    locker.fault = fault
    as_user(client, xgb_staff)
    for attempt in (1, 2):
        response = workbench_post(client, application, "locker_deposit")
        assert any("still awaiting deposit" in m for m in messages_of(response))
        row = ResultDelivery.objects.get(application=application)
        assert (row.state, row.attempts, row.pickup_code) == (State.AWAITING_DEPOSIT, attempt, None)
        assert row.last_error
    assert 'id="locker-deposit"' in response.content.decode()  # the retry button stays
    assert 'id="delivery-error"' in response.content.decode()
    assert not Notification.objects.filter(recipient=applicant, kind=Kind.READY_FOR_PICKUP).exists()

    locker.fault = None
    workbench_post(client, application, "locker_deposit")
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.READY, 3, "")
    # Every try carried the same request id: a deposit the controller did make during a
    # timeout is the one we get back, not a second compartment.
    assert {r.body["request_id"] for r in locker.deposits()} == {row.deposit_request_id}
    assert len(locker.compartments) <= 1 or fault == "error"
    assert list(locker.compartments) == ["A01"]


def test_a_failed_open_keeps_the_result_in_its_compartment(locker, approved, xgb_staff):
    application = approved("locker")
    row = delivery.locker_deposit(application=application, actor=xgb_staff)
    locker.fault = "error"
    with pytest.raises(delivery.LockerUnavailable):
        delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="k-3")
    row.refresh_from_db()
    assert row.state == State.READY and events(application, Event.Kind.DELIVERED) == []
    locker.fault = None
    assert delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="k-3").compartment == "A01"


def test_wrong_pickup_codes_are_refused_and_a_guessing_kiosk_is_locked_out(
    locker, approved, xgb_staff
):
    row = delivery.locker_deposit(application=approved("locker"), actor=xgb_staff)
    for wrong in ["", "abc", "1234", *[f"{n:08d}" for n in range(delivery.PICKUP_MAX_FAILURES)]]:
        if wrong == row.pickup_code:
            continue
        with pytest.raises(delivery.PickupCodeInvalid):
            delivery.locker_pickup_open(code=wrong, kiosk_id="guessing-kiosk")
    with pytest.raises(delivery.PickupCodeInvalid, match="Too many"):
        delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="guessing-kiosk")
    assert locker.compartments["A01"]["opened"] == 0
    assert delivery.locker_pickup_open(code=row.pickup_code, kiosk_id="other-kiosk")


def test_only_the_applications_office_deposits(
    locker, approved, applicant, jwc_staff, window_staff
):
    application = approved("locker")
    for outsider in (applicant, jwc_staff, window_staff):
        with pytest.raises(PermissionDenied):
            delivery.locker_deposit(application=application, actor=outsider)
    assert locker.received == []


# --- Post ---------------------------------------------------------------------------------


def test_post_needs_an_address_then_waybill_and_confirmation(
    client, approved, applicant, xgb_staff, jwc_staff
):
    with pytest.raises(TransitionRefused, match="name, phone and address"):
        approved("post", {"name": "张晓明", "phone": "", "address": ""})
    with pytest.raises(TransitionRefused, match="valid phone"):
        approved("post", {**ADDRESS, "phone": "call me"})
    application = approved("post", ADDRESS)
    assert application.delivery_address == ADDRESS
    row = ResultDelivery.objects.get(application=application)
    assert row.state == State.AWAITING_DISPATCH

    with pytest.raises(PermissionDenied):
        delivery.post_dispatch(application=application, actor=jwc_staff, waybill="SF1234567890")
    as_user(client, xgb_staff)
    page = client.get(reverse("workbench:detail", args=[application.reference])).content.decode()
    assert ADDRESS["address"] in page
    response = workbench_post(client, application, "post_dispatch", waybill="x")
    assert any("waybill number" in m for m in messages_of(response))
    workbench_post(client, application, "post_dispatch", waybill="SF1234567890")
    row.refresh_from_db()
    assert (row.state, row.waybill) == (State.DISPATCHED, "SF1234567890")
    notice = Notification.objects.get(recipient=applicant, kind=Kind.DISPATCHED)
    assert "SF1234567890" in notice.body

    # The applicant confirms on their page; confirming twice records one delivery.
    as_user(client, applicant)
    url = reverse("applications:delivery_confirm", args=[application.reference])
    client.post(url)
    client.post(url)
    row.refresh_from_db()
    assert row.state == State.DELIVERED and row.delivered_by == applicant.username
    assert len(events(application, Event.Kind.DELIVERED)) == 1
    assert events(application, Event.Kind.VISITED) == []  # 一次不用跑


# --- Window -------------------------------------------------------------------------------


def test_window_handover_is_a_visit_and_a_delivery(client, approved, applicant, window_staff):
    application = approved("window")
    assert Notification.objects.filter(recipient=applicant, kind=Kind.READY_FOR_PICKUP).exists()
    with pytest.raises(PermissionDenied):
        delivery.window_handover_by_reference(reference=application.reference, actor=applicant)
    as_user(client, window_staff)
    response = client.post(
        reverse("workbench:window"), {"action": "handover", "reference": "XW-NOPE"}, follow=True
    )
    assert any("No result is waiting" in m for m in messages_of(response))
    response = client.post(
        reverse("workbench:window"),
        {"action": "handover", "reference": application.reference},
        follow=True,
    )
    assert any("handed over" in m for m in messages_of(response))
    (visit,) = events(application, Event.Kind.VISITED)
    (delivered,) = events(application, Event.Kind.DELIVERED)
    assert visit.channel == delivered.channel == Channel.WINDOW
    assert visit.actor == delivered.actor == window_staff.username
    response = client.post(
        reverse("workbench:window"),
        {"action": "handover", "reference": application.reference},
        follow=True,
    )
    assert any("No result is waiting" in m for m in messages_of(response))
    assert len(events(application, Event.Kind.DELIVERED)) == 1


# --- Electronic ---------------------------------------------------------------------------


def test_electronic_result_is_delivered_by_the_applicants_download_once(
    approved, applicant, xgb_staff
):
    application = approved("electronic")
    assert Notification.objects.filter(recipient=applicant, kind=Kind.RESULT_READY).exists()
    assert delivery.delivery_electronic_downloaded(application=application, user=xgb_staff) is False
    assert delivery.delivery_electronic_downloaded(application=application, user=applicant) is True
    assert delivery.delivery_electronic_downloaded(application=application, user=applicant) is False
    (delivered,) = events(application, Event.Kind.DELIVERED)
    assert delivered.detail["how"] == "download"


def test_the_form_asks_the_mode_and_a_draft_keeps_it(client, every_mode, applicant):
    from campus_portal.catalog.models import MatterPage
    from tests.workbench.conftest import MATTER_CODE

    application = lifecycle.application_start(
        user=applicant, matter=MatterPage.objects.get(code=MATTER_CODE)
    )
    lifecycle.application_consent(application, actor=applicant)
    url = reverse("applications:form", args=[application.reference])
    as_user(client, applicant)
    html = client.get(url).content.decode()
    assert 'name="delivery-mode"' in html and 'value="locker"' in html
    client.post(
        url,
        {
            "save_draft": "1",
            "note": "暂存",
            "delivery-mode": "post",
            "delivery-name": "张晓明",
            "delivery-address": "余杭塘路 866 号",
        },
    )
    application.refresh_from_db()
    assert application.delivery_mode == "post"
    assert application.delivery_address["address"] == "余杭塘路 866 号"
    assert "余杭塘路 866 号" in client.get(url).content.decode()
    # Submitting without the phone is refused with the reason; nothing is lost.
    response = client.post(
        url,
        {
            "note": "暂存",
            "delivery-mode": "post",
            "delivery-name": "张晓明",
            "delivery-address": "余杭塘路 866 号",
            "idempotency_key": "k-1",
        },
        follow=True,
    )
    assert any("name, phone and address" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    assert application.delivery_address["address"] == "余杭塘路 866 号"
    client.post(
        url,
        {
            "note": "暂存",
            "delivery-mode": "post",
            "delivery-name": "张晓明",
            "delivery-phone": "13800138000",
            "delivery-address": "余杭塘路 866 号",
            "idempotency_key": "k-2",
        },
    )
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert application.delivery_address["phone"] == "13800138000"
