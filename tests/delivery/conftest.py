"""Delivery fixtures: the fake locker controller, the test matter offering every delivery
mode, and a factory of applications approved by the office in a chosen mode."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.utils import translation

from campus_portal.applications import services
from campus_portal.catalog.models import MatterPage
from tests.fake_http import FakeLocker, running
from tests.workbench.conftest import (  # noqa: F401  (fixtures)
    MATTER_CODE,
    applicant,
    handler,
    jwc_staff,
    student,
    window_staff,
    xgb_staff,
)

ALL_MODES = ["electronic", "locker", "post", "window"]
ADDRESS = {"name": "张晓明", "phone": "13800138000", "address": "杭州市西湖区余杭塘路 866 号"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Service messages in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def locker(settings) -> Iterator[FakeLocker]:
    with running(FakeLocker(), settings, "LOCKER_CONTROLLER") as fake:
        yield fake


@pytest.fixture
def every_mode(handler):  # noqa: F811
    MatterPage.objects.filter(code=MATTER_CODE).update(delivery_modes=ALL_MODES)


@pytest.fixture
def approved(every_mode, applicant, xgb_staff):  # noqa: F811
    """``approved(mode, address=None)``: submitted with that mode, accepted and approved."""

    def make(mode: str, address: dict | None = None):
        application = services.application_start(
            user=applicant, matter=MatterPage.objects.get(code=MATTER_CODE)
        )
        services.application_consent(application, actor=applicant)
        application.refresh_from_db()
        services.application_submit(
            application,
            actor=applicant,
            answers={"note": "请寄送"},
            idempotency_key=uuid.uuid4().hex,
            delivery_mode=mode,
            delivery_address=address,
        )
        services.application_accept(application, actor=xgb_staff)
        services.step_finish(application.steps.get(), actor=xgb_staff, approved=True)
        application.refresh_from_db()
        return application

    return make
