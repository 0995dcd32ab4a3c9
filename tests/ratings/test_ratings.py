"""好差评: one rating per delivered application, by its applicant only, never edited; a bad
one opens a rectification due on the holiday calendar, answered by the office head."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campus_portal.applications.models import Event
from campus_portal.applications.services import TransitionRefused
from campus_portal.delivery.services import delivery_electronic_downloaded
from campus_portal.notifications.models import Notification
from campus_portal.ratings import services
from campus_portal.ratings.models import Rating, Rectification, Score
from tests.workbench.conftest import as_user, staff_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

BEIJING = ZoneInfo("Asia/Shanghai")
Kind = Notification.Kind
RECTIFICATIONS = "/workbench/rectifications/"


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def delivered(approved, applicant):
    def make():
        application = approved("electronic")
        assert delivery_electronic_downloaded(application=application, user=applicant)
        return application

    return make


def test_a_bad_rating_opens_a_rectification_due_on_the_holiday_calendar(
    client, delivered, applicant, xgb_head, xgb_staff
):
    supervisor = staff_user("supervisor", ("supervisor", ""))
    other_head = staff_user("jwc-head", ("office_head", "JWC"))
    # Tuesday 29 September 2026: 5 working days are 9-30, then — after the National Day
    # holiday 10-01 … 10-07 — 10-08, 10-09, Saturday 10-10 (调休, a working day) and 10-12.
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        application = delivered()
        page = as_user(client, applicant).get(
            reverse("applications:detail", args=[application.reference])
        )
        assert 'id="rating-form"' in page.content.decode()
        client.post(
            reverse("applications:rate", args=[application.reference]),
            {"overall": Score.DISSATISFIED, "timeliness": "1", "comment": "等了太久"},
        )
    rating = Rating.objects.get(application=application)
    assert (rating.overall, rating.timeliness, rating.attitude) == (2, 1, None)
    assert rating.office_code == "XGB" and rating.comment == "等了太久"
    rectification = rating.rectification
    assert rectification.office_code == "XGB"
    assert rectification.due_at == at(2026, 10, 12, 23, 59, 59, 999999)
    assert Notification.objects.filter(recipient=xgb_head, kind=Kind.RECTIFICATION_OPENED).exists()
    assert not Notification.objects.filter(
        recipient=xgb_staff, kind=Kind.RECTIFICATION_OPENED
    ).exists()
    (rated,) = application.events.filter(kind=Event.Kind.RATED)
    assert rated.detail == {"overall": 2}

    # The head and supervision see it; another office's head does not; overdue after 10-12.
    with time_machine.travel(at(2026, 10, 12, 18, 0), tick=False):
        html = as_user(client, xgb_head).get(RECTIFICATIONS).content.decode()
        assert application.reference in html and "overdue-flag" not in html
    with time_machine.travel(at(2026, 10, 13, 9, 0), tick=False):
        html = as_user(client, supervisor).get(RECTIFICATIONS).content.decode()
        assert application.reference in html and "overdue-flag" in html
        assert f'id="reply-{rectification.pk}"' not in html  # supervision reads, heads reply
    assert (
        application.reference
        not in as_user(client, other_head).get(RECTIFICATIONS).content.decode()
    )
    assert as_user(client, xgb_staff).get(RECTIFICATIONS).status_code == 403

    # The head replies; the applicant is told and reads it on the application page.
    with pytest.raises(PermissionDenied):
        services.rectification_reply(rectification=rectification, actor=other_head, reply="x")
    as_user(client, xgb_head)
    client.post(RECTIFICATIONS, {"rectification": rectification.pk, "reply": ""})
    rectification.refresh_from_db()
    assert rectification.state == Rectification.State.OPEN
    client.post(RECTIFICATIONS, {"rectification": rectification.pk, "reply": "已优化审核流程"})
    rectification.refresh_from_db()
    assert (rectification.state, rectification.replied_by) == ("replied", xgb_head.username)
    told = Notification.objects.get(recipient=applicant, kind=Kind.RECTIFICATION_REPLIED)
    assert told.body == "已优化审核流程"
    with pytest.raises(TransitionRefused, match="already been answered"):
        services.rectification_reply(rectification=rectification, actor=xgb_head, reply="再答")
    page = as_user(client, applicant).get(
        reverse("applications:detail", args=[application.reference])
    )
    assert "已优化审核流程" in page.content.decode()


def test_the_rectification_deadline_is_a_setting(delivered, applicant, settings):
    settings.RATINGS_RECTIFICATION_DAYS = 1
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        rating = services.rating_submit(
            application=delivered(), actor=applicant, overall=Score.VERY_DISSATISFIED
        )
    assert rating.rectification.due_at == at(2026, 10, 8, 23, 59, 59, 999999)


def test_good_ratings_open_nothing(delivered, applicant):
    for score in (Score.VERY_SATISFIED, Score.SATISFIED, Score.FAIRLY_SATISFIED):
        rating = services.rating_submit(application=delivered(), actor=applicant, overall=score)
        assert not Rectification.objects.filter(rating=rating).exists()


def test_one_rating_per_application_whatever_is_sent_twice(client, delivered, applicant):
    application = delivered()
    url = reverse("applications:rate", args=[application.reference])
    as_user(client, applicant)
    client.post(url, {"overall": Score.VERY_DISSATISFIED})
    client.post(url, {"overall": Score.VERY_SATISFIED})
    again = services.rating_submit(application=application, actor=applicant, overall=5)
    assert Rating.objects.filter(application=application).count() == 1
    assert again.overall == Score.VERY_DISSATISFIED
    assert Rectification.objects.filter(rating__application=application).count() == 1
    assert application.events.filter(kind=Event.Kind.RATED).count() == 1
    page = client.get(reverse("applications:detail", args=[application.reference]))
    assert 'id="rating-form"' not in page.content.decode()


def test_only_the_applicant_rates_and_only_after_delivery(
    client, approved, delivered, applicant, xgb_staff
):
    waiting = approved("window")
    with pytest.raises(TransitionRefused, match="once the result reached you"):
        services.rating_submit(application=waiting, actor=applicant, overall=5)
    page = as_user(client, applicant).get(reverse("applications:detail", args=[waiting.reference]))
    assert 'id="rating-form"' not in page.content.decode()

    application = delivered()
    with pytest.raises(PermissionDenied):
        services.rating_submit(application=application, actor=xgb_staff, overall=1)
    response = as_user(client, xgb_staff).post(
        reverse("applications:rate", args=[application.reference]), {"overall": "1"}
    )
    assert response.status_code == 403
    for bad in (0, 6, "很好", None):
        with pytest.raises(TransitionRefused):
            services.rating_submit(application=application, actor=applicant, overall=bad)
    with pytest.raises(TransitionRefused, match="too long"):
        services.rating_submit(
            application=application, actor=applicant, overall=5, comment="长" * 2001
        )
    assert not Rating.objects.filter(application=application).exists()


def test_no_one_edits_a_rating_in_the_admin():
    """Ratings are in no admin: no Wagtail snippet, and Django's admin is not installed."""
    from django.apps import apps
    from wagtail.snippets.models import get_snippet_models

    assert not apps.is_installed("django.contrib.admin")
    assert Rating not in get_snippet_models()
    assert Rectification not in get_snippet_models()
