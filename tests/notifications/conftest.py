"""Notification fixtures: the workbench's staff-decided handler and people, a real local SMTP
server, and a second real Celery worker that sends email through it (on its own queue)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import celery_worker_start
from tests.notifications.smtp_server import SmtpServer
from tests.workbench.conftest import (  # noqa: F401  (fixtures)
    applicant,
    handler,
    student,
    submit,
    xgb_head,
    xgb_staff,
)

# The SMTP worker gives up after this many retries (production: 5), 1 s backoff base.
SMTP_WORKER_MAX_RETRIES = 2


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def smtp_worker(django_db_setup, smtp_server, tmp_path_factory) -> Iterator[str]:
    """A real worker whose email backend is SMTP to ``smtp_server``; yields its queue name."""
    base = f"xiaowu-notify-{os.getpid()}"
    queue = base + os.environ.get("PYTEST_XDIST_WORKER", "")
    log = tmp_path_factory.mktemp("smtp-worker") / "worker.log"
    env = {
        "CELERY_TASK_DEFAULT_QUEUE": base,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_TIMEOUT": "5",
        "NOTIFICATIONS_RETRY_BACKOFF": "1",
        "NOTIFICATIONS_MAX_RETRIES": str(SMTP_WORKER_MAX_RETRIES),
    }
    with celery_worker_start(env, log, name="SMTP worker"):
        yield queue


@pytest.fixture
def live_catalog(db):
    """The test matter, in transactional tests (their flush removes the session's catalog)."""
    from campus_portal.catalog.models import MatterPage
    from campus_portal.catalog.services import catalog_home_ensure, power_list_import
    from tests.conftest import reference_rows, rows_to_csv
    from tests.workbench.conftest import MATTER_CODE

    catalog_home_ensure()
    if not MatterPage.objects.filter(code=MATTER_CODE).exists():
        rows = [row for row in reference_rows() if row["事项编码"] in (MATTER_CODE, "SF-JWC-001")]
        plan = power_list_import(data=rows_to_csv(rows), filename="live.csv", dry_run=False)
        assert plan.ok, plan.problems
