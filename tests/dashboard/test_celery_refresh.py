"""The rollups follow lifecycle changes through a real Celery worker, after commit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from campus_portal.applications.models import Event
from campus_portal.dashboard.models import ApplicationFact, MonthlyRollup
from tests.browser.flows import catalog_ready
from tests.conftest import wait_for
from tests.dashboard.conftest import History


@pytest.mark.django_db(
    databases=["default", "warehouse"], transaction=True, serialized_rollback=True
)
@pytest.mark.celery
def test_a_committed_visit_reaches_the_rollups_through_the_worker(catalog_home, celery_worker):
    catalog_ready()
    history = History(get_user_model().objects.create_user("celery-dash", "c@x.cn", "pw-C-1234"))
    application = history.application("SF-JWC-001", submitted="2026-11-02 09:00")
    fact = wait_for(
        lambda: ApplicationFact.objects.filter(application=application).first(),
        message="the worker writes the application's facts",
    )
    assert fact.visits == 0
    Event.objects.create(
        application=application, kind=Event.Kind.VISITED, actor="w", channel="window"
    )
    wait_for(
        lambda: ApplicationFact.objects.filter(application=application, visits=1).exists(),
        message="the visit reaches the facts",
    )
    row = MonthlyRollup.objects.filter(matter=application.matter, submitted=1).get()
    assert (row.with_visits, row.office_code) == (1, "JWC")
