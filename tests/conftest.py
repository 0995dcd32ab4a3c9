"""Shared fixtures.

The reference micro-power list (demo_data/micro_power_list.csv, 100 matters) is imported once
per test process into the test database, so ordinary ``db`` tests start from a real catalog and
roll back their own changes. Tests that need committed data (a real Celery worker, a real
browser) are transactional; they restore Wagtail's initial rows with ``serialized_rollback``
and import what they need themselves.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_CSV = ROOT / "demo_data" / "micro_power_list.csv"


def reference_rows() -> list[dict[str, str]]:
    with REFERENCE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_to_csv(rows: list[dict[str, str]], *, encoding: str = "utf-8", prefix: str = "") -> bytes:
    """A CSV file in the reference layout (``prefix`` adds lines above the header)."""
    buffer = io.StringIO()
    buffer.write(prefix)
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def sample_rows(count: int = 3, *, prefix: str = "T") -> list[dict[str, str]]:
    """``count`` valid rows with fresh codes of a fresh office, based on reference rows."""
    base = reference_rows()
    rows = []
    for index in range(count):
        row = dict(base[index % len(base)])
        row["事项编码"] = f"{prefix}-NEW-{index + 1:03d}"
        row["部门编码"] = f"{prefix}XB"
        row["责任部门"] = f"测试学院{prefix}"
        rows.append(row)
    return rows


@receiver(post_migrate)
def _seed_warehouse_created_from_models(sender, using, plan=None, **kwargs) -> None:
    """The warehouse test database is built without migrations (config/settings.py), so the
    data catalog its seed migration would create is created here, before Django serializes the
    database for ``serialized_rollback``."""
    if using == "warehouse" and sender.label == "data_warehouse" and not plan:
        from data_warehouse.catalog_defaults import data_catalog_seed

        data_catalog_seed()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from campus_portal.catalog.services import catalog_home_ensure, power_list_import

    with django_db_blocker.unblock():
        catalog_home_ensure()
        plan = power_list_import(
            data=REFERENCE_CSV.read_bytes(), filename=REFERENCE_CSV.name, dry_run=False
        )
        assert plan.ok, plan.problems
        from campus_portal.applications.services import handler_bindings_ensure

        handler_bindings_ensure()


@pytest.fixture
def catalog_home(db):
    """The catalog home as site root (transactional tests start from Wagtail's initial rows)."""
    from campus_portal.catalog.services import catalog_home_ensure

    return catalog_home_ensure()


@pytest.fixture
def reference_csv() -> bytes:
    return REFERENCE_CSV.read_bytes()


@pytest.fixture
def admin_user(django_user_model):
    """A superuser who has enrolled an authenticator (staff must, campus_portal.accounts.mfa)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = django_user_model.objects.create_superuser("root", "root@example.edu.cn", "pw-Root-123")
    TOTP.activate(user, generate_totp_secret())
    return user


def _database_url(alias: str = "default") -> str:
    """The URL of a *test* database (Django has renamed it by the time fixtures run)."""
    db = settings.DATABASES[alias]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


@contextlib.contextmanager
def celery_worker_start(
    env_overrides: Mapping[str, str], log_path: Path, *, name: str = "Celery worker"
) -> Iterator[subprocess.Popen]:
    """Run a real ``celery worker`` on the test databases until the block ends.

    ``env_overrides`` are added to this process's environment (a worker of its own queue or
    email backend); the worker's output goes to ``log_path``, quoted when it does not start.
    """
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "WAREHOUSE_DATABASE_URL": _database_url("warehouse"),
        **env_overrides,
    }
    with log_path.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while b"ready." not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{name} did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` process on the test database and this process's queue."""
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    with celery_worker_start({}, log) as process:
        yield process


def wait_for(condition, *, timeout: float = 60, interval: float = 0.2, message: str = ""):
    """Poll ``condition`` until it returns something truthy (work done in another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")
