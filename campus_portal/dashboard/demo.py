"""A year of believable history for the demo dashboard (``dashboard_demo_history``).

Each live matter gets applications in proportion to its imported last-year volume
(``scale`` × volume; 0.01 keeps SQLite quick), spread over the last 365 days in office hours,
with handling times around the promised limit (a few late), visits around what the guide
requires (now and then one more, and now and then one for a matter promising none), ratings
mostly good and a few bad ones with their rectifications. Everything is written with
``bulk_create`` in a few statements per thousand rows, then the rollups are rebuilt.
Generation loops in Python — it *makes* rows; the measures never do.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campus_portal.applications.models import Application, Event, Step
from campus_portal.catalog.models import MatterPage
from campus_portal.dashboard.rollups import rollups_rebuild
from campus_portal.ratings.models import Rating, Rectification
from campus_portal.workdays.calendar import CALENDAR_TZ, add_working_days, next_working_day

REFERENCE_PREFIX = "DEMOH"
# A demo matter excluded as "special requirements", to show the exclusion in the report.
DEMO_SPECIAL = ("SF-BWC-003", "集体户口借用须本人持证件到保卫处现场办理（公安户籍管理规定）")
SCORE_WEIGHTS = {5: 62, 4: 24, 3: 9, 2: 3, 1: 2}


@contextmanager
def _keeping_timestamps(*fields):
    """Let bulk_create write our historical timestamps into ``auto_now_add`` fields."""
    saved = [(field, field.auto_now_add) for field in fields]
    for field, _ in saved:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in saved:
            field.auto_now_add = value


def _office_time(rng: random.Random, day: date) -> datetime:
    minutes = rng.randint(8 * 60 + 30, 17 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=CALENDAR_TZ)


def demo_history_generate(
    *, scale: float = 0.01, today: date | None = None, seed: int = 105, replace: bool = False
) -> int:
    """Create the history (unless it exists; ``replace`` deletes it first). Returns its size."""
    today = today or timezone.localdate()
    existing = Application.objects.filter(reference__startswith=REFERENCE_PREFIX)
    if existing.exists() and not replace:
        return 0
    rng = random.Random(seed)  # noqa: S311 — demo data, reproducible by seed
    user, _ = get_user_model().objects.get_or_create(
        username="demo-history", defaults={"email": "demo-history@example.edu.cn"}
    )
    matters = list(MatterPage.objects.live().select_related("office").order_by("code"))
    now = timezone.now()
    with transaction.atomic():
        Rectification.objects.filter(rating__application__in=existing).delete()
        existing.delete()
        special_code, reason = DEMO_SPECIAL
        MatterPage.objects.filter(code=special_code).update(
            special_requirements=True, special_requirements_reason=reason
        )
        plans = []
        # A few matters promising no visit where applicants still come (the dashboard flags them).
        flaky = {matter.pk for matter in matters if rng.random() < 0.08}
        for matter in matters:
            count = max(1, round(matter.last_year_volume * scale)) if matter.last_year_volume else 0
            for _ in range(count):
                plans.append((matter, today - timedelta(days=rng.randint(1, 365))))
        applications, extras = [], []
        for number, (matter, day) in enumerate(plans):
            application, extra = _one(rng, matter, day, number, user, now, matter.pk in flaky)
            applications.append(application)
            extras.append(extra)
        fields = [Application._meta.get_field("created_at")]
        with _keeping_timestamps(*fields):
            Application.objects.bulk_create(applications, batch_size=1000)
        steps, events, ratings = [], [], []
        for application, extra in zip(applications, extras, strict=True):
            steps.append(Step(application=application, **extra["step"]))
            events += [Event(application=application, **e) for e in extra["events"]]
            if extra["score"] is not None:
                ratings.append(
                    Rating(
                        application=application,
                        office_code=application.office_code,
                        overall=extra["score"],
                        created_at=extra["rated_at"],
                    )
                )
        Step.objects.bulk_create(steps, batch_size=1000)
        with _keeping_timestamps(Event._meta.get_field("at"), Rating._meta.get_field("created_at")):
            Event.objects.bulk_create(events, batch_size=2000)
            Rating.objects.bulk_create(ratings, batch_size=1000)
        rectifications = []
        for rating in ratings:
            if rating.overall <= 2:
                due = add_working_days(rating.created_at, 5)
                replied = due < now and rng.random() < 0.95
                rectifications.append(
                    Rectification(
                        rating=rating,
                        office_code=rating.office_code,
                        due_at=due,
                        state=Rectification.State.REPLIED if replied else Rectification.State.OPEN,
                        reply="已联系申请人并改进流程" if replied else "",
                        replied_by="demo" if replied else "",
                        replied_at=due - timedelta(days=1) if replied else None,
                    )
                )
        Rectification.objects.bulk_create(rectifications, batch_size=1000)
        rollups_rebuild()
    return len(applications)


def _one(
    rng: random.Random, matter: MatterPage, day: date, number: int, user, now: datetime, flaky: bool
):
    """One application and what happened to it (not saved)."""
    if day.weekday() >= 5 and rng.random() < 0.8:  # few applications at weekends
        day = next_working_day(day)
    submitted = _office_time(rng, day)
    promised = matter.promised_time_limit
    late = promised > 0 and rng.random() < 0.07
    if promised == 0:
        decided = submitted + timedelta(minutes=rng.randint(1, 30))
        due = add_working_days(submitted, 0)
    else:
        due = add_working_days(submitted, promised)
        days = promised + rng.randint(1, 3) if late else rng.randint(0, promised)
        decided_day = add_working_days(submitted, days).date() if days else submitted.date()
        decided = max(_office_time(rng, decided_day), submitted + timedelta(minutes=5))
    done = decided <= now
    visits = matter.visits_required
    roll = rng.random()
    if visits == 0 and flaky and roll < 0.1:
        visits = 1
    elif visits > 0 and roll < 0.06:
        visits += 1
    state = Application.State.APPROVED if rng.random() < 0.95 else Application.State.REJECTED
    application = Application(
        reference=f"{REFERENCE_PREFIX}{number:07d}",
        matter=matter,
        handler_key="demo.history",
        office_code=matter.office.code,
        applicant=user,
        channel=rng.choice(["web", "web", "phone", "phone", "kiosk", "window"]),
        state=state if done else Application.State.IN_PROGRESS,
        submitted_at=submitted,
        decided_at=decided if done else None,
        created_at=submitted,
    )
    events = [
        {
            "kind": Event.Kind.SUBMITTED,
            "actor": user.username,
            "channel": application.channel,
            "at": submitted,
        }
    ]
    for index in range(visits):
        at = submitted + (decided - submitted) * (index + 1) / (visits + 1)
        events.append(
            {"kind": Event.Kind.VISITED, "actor": "window", "channel": "window", "at": at}
        )
    score = rated_at = None
    if done:
        events.append({"kind": state, "actor": "office", "channel": "web", "at": decided})
        if rng.random() < 0.6:
            score = rng.choices(list(SCORE_WEIGHTS), weights=list(SCORE_WEIGHTS.values()))[0]
            rated_at = min(decided + timedelta(hours=rng.randint(1, 72)), now)
            events.append(
                {"kind": Event.Kind.RATED, "actor": user.username, "channel": "web", "at": rated_at}
            )
    step = {
        "key": "main",
        "position": 1,
        "office_code": matter.office.code,
        "label": "办理",
        "time_limit_days": promised,
        "state": Step.State.APPROVED if done else Step.State.ACTIVE,
        "started_at": submitted,
        "due_at": due,
        "finished_at": decided if done else None,
        "overdue": (decided if done else now) > due,
    }
    return application, {"step": step, "events": events, "score": score, "rated_at": rated_at}
