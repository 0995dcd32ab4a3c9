"""Collecting a result from the pickup locker at the kiosk (the fake locker controller of
tests/delivery stands for the hardware): by typing the code, or signed in, by choosing it."""

from __future__ import annotations

import pytest

from campus_portal.delivery import services as delivery_services
from campus_portal.delivery.models import ResultDelivery
from hall_kiosk import services
from tests.delivery.conftest import approved, every_mode, locker  # noqa: F401 (fixtures)
from tests.hall_kiosk.conftest import kiosk_client
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    applicant,
    handler,
    student,
    xgb_staff,
)

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def _ready(approved, xgb_staff) -> ResultDelivery:  # noqa: F811
    application = approved("locker")
    delivery_services.locker_deposit(application=application, actor=xgb_staff)
    return ResultDelivery.objects.get(application=application)


def test_collecting_by_pickup_code(kiosk, locker, approved, xgb_staff):  # noqa: F811
    row = _ready(approved, xgb_staff)
    browser = kiosk_client(kiosk.token)
    assert "locker-form" in browser.get("/kiosk/locker/").content.decode()
    wrong = browser.post("/kiosk/locker/", {"code": "00000000"}, follow=True)
    assert "kiosk-message error" in wrong.content.decode()
    row.refresh_from_db()
    assert row.state == ResultDelivery.State.READY
    opened = browser.post("/kiosk/locker/", {"code": row.pickup_code}).content.decode()
    assert 'id="locker-open"' in opened and row.compartment in opened
    row.refresh_from_db()
    assert row.state == ResultDelivery.State.DELIVERED
    assert row.delivered_by == f"kiosk:{kiosk.number}"


def test_collecting_after_sign_in_without_typing_the_code(
    kiosk,
    locker,  # noqa: F811
    approved,  # noqa: F811
    applicant,  # noqa: F811
    xgb_staff,  # noqa: F811
    settings,
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    row = _ready(approved, xgb_staff)
    services.card_credential_set(user=applicant, card_number="5500112233", pin="8642")
    browser = kiosk_client(kiosk.token)
    browser.post("/kiosk/sign-in/card/", {"card_number": "5500112233"})
    browser.post("/kiosk/sign-in/pin/", {"pin": "8642"})
    page = browser.get("/kiosk/locker/").content.decode()
    assert f"locker-open-{row.pk}" in page and row.pickup_code not in page
    opened = browser.post("/kiosk/locker/", {"delivery": row.pk}).content.decode()
    assert 'id="locker-open"' in opened
    row.refresh_from_db()
    assert row.state == ResultDelivery.State.DELIVERED
    # A finished task: the person is signed out.
    assert browser.get("/kiosk/applications/")["Location"] == "/kiosk/"
