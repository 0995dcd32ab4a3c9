# ruff: noqa: F811 (fixtures imported from the workbench tests are used as arguments)
"""Closing (办结): the last transition, by the applicant's side or the staff involved.

``application_close`` accepts a decided application (approved, rejected, not accepted) from the
applicant, the window staff member who started it, or staff of an office that handled it; it
refuses everyone else and anything still open. The pages reach it through the applicant's
"confirm receipt" button and the workbench's close action.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from campus_portal.applications import services
from campus_portal.applications.models import Application, Event
from campus_portal.catalog.models import MatterPage
from campus_portal.workbench.services import window_application_start
from hall_kiosk.services import card_credential_set
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    MATTER_CODE,
    applicant,
    as_user,
    handler,
    jwc_staff,
    staff_user,
    student,
    submit,
    window_staff,
    xgb_head,
    xgb_staff,
)

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

State = Application.State


def _rejected(application, staff) -> Application:
    services.application_accept(application, actor=staff)
    step = application.steps.get()
    services.step_finish(step, actor=staff, approved=False, comment="材料不符")
    application.refresh_from_db()
    return application


def test_the_applicant_confirms_receipt_on_the_page(client, submit, applicant, xgb_staff):
    application = submit()
    services.application_accept(application, actor=xgb_staff)
    services.step_finish(application.steps.get(), actor=xgb_staff, approved=True)
    as_user(client, applicant)
    page = client.get(f"/applications/{application.reference}/")
    assert b'id="close-application"' in page.content
    response = client.post(f"/applications/{application.reference}/close/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.CLOSED
    event = application.events.get(kind=Event.Kind.CLOSED)
    assert (event.actor, event.channel, event.from_state) == ("zhangxm", "web", "approved")
    page = client.get(f"/applications/{application.reference}/")
    assert b'id="close-application"' not in page.content
    assert b'data-state="closed"' in page.content


def test_an_open_application_cannot_be_closed(client, submit, applicant, xgb_staff):
    application = submit()
    as_user(client, applicant)
    assert (
        b'id="close-application"'
        not in client.get(f"/applications/{application.reference}/").content
    )
    response = client.post(f"/applications/{application.reference}/close/", follow=True)
    assert "not possible while the application" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    services.application_accept(application, actor=xgb_staff)
    with pytest.raises(services.TransitionRefused):
        services.application_close(application, actor=applicant)
    assert not application.events.filter(kind=Event.Kind.CLOSED).exists()


def test_involved_staff_close_a_rejection_in_the_workbench(client, submit, xgb_staff):
    application = _rejected(submit(), xgb_staff)
    as_user(client, xgb_staff)
    page = client.get(f"/workbench/{application.reference}/")
    assert b'id="close-application"' in page.content
    response = client.post(f"/workbench/{application.reference}/", {"action": "close"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.CLOSED
    assert application.events.get(kind=Event.Kind.CLOSED).actor == "xgb-staff"
    # Closed once: a second close is refused with a message, not a second event.
    response = client.post(f"/workbench/{application.reference}/", {"action": "close"}, follow=True)
    assert "not possible while the application" in response.content.decode()
    assert application.events.filter(kind=Event.Kind.CLOSED).count() == 1


def test_the_office_head_may_close_too(submit, xgb_staff, xgb_head):
    application = _rejected(submit(), xgb_staff)
    services.application_close(application, actor=xgb_head)
    application.refresh_from_db()
    assert application.state == State.CLOSED


def test_the_window_that_started_it_closes_a_non_acceptance(
    client, handler, applicant, window_staff
):
    card_credential_set(user=applicant, card_number="CARD20230101", pin="2468")
    application = window_application_start(
        staff=window_staff,
        applicant=applicant,
        matter=MatterPage.objects.get(code=MATTER_CODE),
        agreed=True,
        presence_method="card_pin",
        presence_data={"card_number": "CARD20230101", "pin": "2468"},
    )
    application.refresh_from_db()
    services.application_submit(
        application, actor=window_staff, answers={"note": "窗口"}, idempotency_key="w-1"
    )
    services.application_not_accept(application, actor=window_staff, reason="不属于本校事项")
    as_user(client, window_staff)
    page = client.get(f"/workbench/{application.reference}/")
    assert b'id="close-application"' in page.content
    client.post(f"/workbench/{application.reference}/", {"action": "close"})
    application.refresh_from_db()
    assert application.state == State.CLOSED
    assert application.events.get(kind=Event.Kind.CLOSED).from_state == "not_accepted"


def test_nobody_else_may_close(client, submit, xgb_staff, jwc_staff, window_staff):
    application = _rejected(submit(), xgb_staff)
    stranger = staff_user("stranger")  # signed in, no role, not the applicant
    for outsider in (jwc_staff, window_staff, stranger):
        with pytest.raises(PermissionDenied):
            services.application_close(application, actor=outsider)
    # Through the pages it does not even exist for them.
    as_user(client, jwc_staff)
    assert client.post(f"/applications/{application.reference}/close/").status_code == 404
    assert (
        client.post(f"/workbench/{application.reference}/", {"action": "close"}).status_code == 404
    )
    application.refresh_from_db()
    assert application.state == State.REJECTED


def test_close_is_post_only(client, submit, applicant, xgb_staff):
    application = _rejected(submit(), xgb_staff)
    as_user(client, applicant)
    assert client.get(f"/applications/{application.reference}/close/").status_code == 405
