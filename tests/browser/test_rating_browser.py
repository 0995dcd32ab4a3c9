"""好差评 in a real browser: a delivered 在读证明, rated 不满意 from the application page, opens a
rectification for 教务处. The application is made through the services (the apply flow has
its own browser tests); what is clicked here is the rating."""

from __future__ import annotations

import uuid

import pytest

from campus_portal.applications import services
from campus_portal.catalog.models import MatterPage
from campus_portal.delivery.services import delivery_electronic_downloaded
from campus_portal.ratings.models import Rating, Score
from tests.browser.flows import grants_for, student

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]


def test_the_applicant_rates_a_delivered_result_once_and_a_bad_rating_opens_a_rectification(
    portal,
):
    grants_for("jwc.enrollment_certificate")
    zhang = student()
    application = services.application_start(
        user=zhang.user, matter=MatterPage.objects.get(code="SF-JWC-001")
    )
    services.application_consent(application, actor=zhang.user)
    application.refresh_from_db()
    services.application_submit(
        application,
        actor=zhang.user,
        answers={"use": "办理签证", "copies": 1},
        idempotency_key=uuid.uuid4().hex,
        delivery_mode="electronic",
    )
    application.refresh_from_db()
    assert application.state == "approved"
    assert delivery_electronic_downloaded(application=application, user=zhang.user)

    portal.sign_in(zhang, then=f"/applications/{application.reference}/")
    portal.wait_for("#rating-form")
    portal.find(f"[name='overall'][value='{Score.DISSATISFIED}']").click()
    portal.find("[name='comment']").send_keys("打印排队太久")
    portal.click("#submit-rating")
    rating_box = portal.wait_for("#rating")
    assert rating_box.get_attribute("data-overall") == str(Score.DISSATISFIED)
    assert "打印排队太久" in rating_box.text
    assert not portal.all("#rating-form")  # rated once: the form is gone

    rating = Rating.objects.get(application=application)
    assert (rating.overall, rating.office_code) == (Score.DISSATISFIED, "JWC")
    assert rating.rectification.state == "open"
