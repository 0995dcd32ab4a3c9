"""暂存: what the applicant typed is kept, unvalidated, and found again from another device."""

from __future__ import annotations

import pytest
from django.test import Client

from campus_portal.applications import services
from campus_portal.applications.models import Application, Event
from tests.applications.conftest import make_student, make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def _started(user, matter) -> Application:
    application = services.application_start(user=user, matter=matter)
    services.application_consent(application, actor=user)
    return application


def test_an_incomplete_draft_is_kept_and_resumed_on_another_device(
    student_user, certificate_matter
):
    application = _started(student_user, certificate_matter)
    url = f"/applications/{application.reference}/form/"
    laptop = Client()
    laptop.force_login(student_user)
    response = laptop.post(url, {"use": "办理签证", "copies": "两份", "save_draft": "1"})
    assert response.status_code == 302 and response["Location"] == url

    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    # The valid field is stored cleaned, the invalid one as typed: nothing is lost.
    assert application.answers == {"use": "办理签证", "copies": "两份"}
    saved = application.events.filter(kind=Event.Kind.DRAFTED).last()
    assert saved.detail["fields"] == ["copies", "use"]

    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile")
    phone.force_login(student_user)
    page = phone.get(url).content.decode()
    assert 'value="办理签证"' in page and 'value="两份"' in page

    # Submitting checks everything the draft did not.
    refused = phone.post(url, {"use": "办理签证", "copies": "两份", "idempotency_key": "d-1"})
    assert refused.status_code == 200
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    phone.post(url, {"use": "办理签证", "copies": "2", "idempotency_key": "d-2"})
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert application.answers == {"use": "办理签证", "copies": 2}


def test_nobody_else_saves_into_a_draft_and_a_decided_one_is_closed_to_drafts(
    student_user, certificate_matter
):
    application = _started(student_user, certificate_matter)
    make_student("2023010777")
    other = make_user("2023010777", person_uid="2023010777")
    client = Client()
    client.force_login(other)
    url = f"/applications/{application.reference}/form/"
    assert client.post(url, {"use": "x", "save_draft": "1"}).status_code == 404
    application.refresh_from_db()
    assert application.answers == {}

    services.application_submit(
        application,
        actor=student_user,
        answers={"use": "签证", "copies": 1},
        idempotency_key="d-3",
    )
    with pytest.raises(services.TransitionRefused):
        services.application_save_draft(application, actor=student_user, answers={"use": "改"})


def test_a_draft_repeating_a_field_8000_times_is_refused_and_the_draft_kept(
    student_user, certificate_matter
):
    """Issue 17: 8,000 copies of one field stored 8 MB (the 2,000-character cap is per value).

    Over HTTP a single-valued field keeps one value as its widget reads it, so the flood stores
    one bounded value; a field that does take several values (a multiple choice) is refused
    whole by the lifecycle, and the draft keeps what it had."""
    application = _started(student_user, certificate_matter)
    url = f"/applications/{application.reference}/form/"
    client = Client()
    client.force_login(student_user)
    client.post(url, {"use": "办理签证", "copies": "2", "save_draft": "1"})
    client.post(url, {"use": ["x" * 1000] * 8000, "copies": "2", "save_draft": "1"})
    application.refresh_from_db()
    assert len(str(application.answers)) < 2_000
    with pytest.raises(services.TransitionRefused, match="8000"):
        services.application_save_draft(
            application, actor=student_user, answers={"use": ["x" * 1000] * 8000}
        )
    application.refresh_from_db()
    assert len(str(application.answers)) < 2_000


def test_a_draft_over_the_total_size_is_refused(student_user, certificate_matter, settings):
    settings.APPLICATION_ANSWERS_MAX_BYTES = 4096
    application = _started(student_user, certificate_matter)
    with pytest.raises(services.TransitionRefused):
        services.application_save_draft(
            application, actor=student_user, answers={"use": ["长" * 1000] * 5}
        )
    application.refresh_from_db()
    assert application.answers == {}
