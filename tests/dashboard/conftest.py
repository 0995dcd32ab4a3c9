"""Small hand-made histories for the 105号 measures.

``history`` writes applications, steps, visits and ratings straight to the models (the
lifecycle services are tested elsewhere; here only what they leave behind matters), then the
test refreshes the rollups the way the Celery task does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from campus_portal.applications.models import Application, Event, Step
from campus_portal.catalog.models import MatterPage
from campus_portal.ratings.models import Rating, Rectification
from campus_portal.workdays.calendar import CALENDAR_TZ


def at(text: str) -> datetime:
    """``"2026-03-02 10:00"`` in Beijing time."""
    return datetime.fromisoformat(text).replace(tzinfo=CALENDAR_TZ)


class History:
    def __init__(self, user) -> None:
        self.user = user
        self.count = 0

    def application(
        self,
        code: str,
        *,
        submitted: str,
        decided: str | None = None,
        state: str | None = None,
        visits: int = 0,
        late: bool = False,
        score: int | None = None,
        rated: str | None = None,
        rectification_due: str | None = None,
        extended_days: int = 0,
    ) -> Application:
        self.count += 1
        matter = MatterPage.objects.select_related("office").get(code=code)
        state = state or (Application.State.APPROVED if decided else Application.State.IN_PROGRESS)
        application = Application.objects.create(
            reference=f"T{self.count:06d}",
            matter=matter,
            handler_key="test",
            office_code=matter.office.code,
            applicant=self.user,
            channel="web",
            state=state,
            submitted_at=at(submitted),
            decided_at=at(decided) if decided else None,
        )
        start = at(submitted)
        Step.objects.create(
            application=application,
            key="main",
            position=1,
            office_code=matter.office.code,
            label="办理",
            time_limit_days=3,
            state=Step.State.APPROVED if decided else Step.State.ACTIVE,
            started_at=start,
            # Due an hour after the decision, unless the test wants it late.
            due_at=start + timedelta(hours=1)
            if late or not decided
            else at(decided) + timedelta(hours=1),
            finished_at=at(decided) if decided else None,
            overdue=late,
            base_days=3,
            extended_days=extended_days,  # the due time above is the extended one
        )
        for _ in range(visits):
            Event.objects.create(
                application=application, kind=Event.Kind.VISITED, actor="w", channel="window"
            )
        if score is not None:
            rating = Rating.objects.create(
                application=application, office_code=matter.office.code, overall=score
            )
            if rated:
                Rating.objects.filter(pk=rating.pk).update(created_at=at(rated))
            if rectification_due:
                Rectification.objects.create(
                    rating=rating, office_code=matter.office.code, due_at=at(rectification_due)
                )
        return application


@pytest.fixture
def history(db, django_user_model):
    return History(django_user_model.objects.create_user("dash-applicant", "a@x.cn", "pw-A-1234"))
