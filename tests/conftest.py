"""Shared fixtures.

The reference micro-power list (demo_data/micro_power_list.csv, 100 matters) is imported once
per test run into the test database (tests/conftest.py builds it once and copies it for each
test process), so ordinary ``db`` tests start from a real catalog and
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


# --- Test databases: migrated once per run, copied for each test process ----------------------
# Migrating the default database (~400 migrations) and the warehouse and importing the reference
# list cost every pytest-xdist process the same CPU seconds at the same time. Instead, for each
# database alias the first process to take that alias's lock builds a *template* the usual way
# (Django's own ``create_test_db``: the real migrations; then the import, for the default
# alias), and every process, that one included, copies it into its own test database (SQLite:
# the backup API; PostgreSQL: ``CREATE DATABASE … TEMPLATE …``). While one process builds the
# default template another builds the warehouse's. A template belongs to one run (xdist's
# ``testrunuid``) and is dropped when the run ends; a single process (``-n 0``) builds its
# databases directly. docs/performance.md has the figures.
TEMPLATE_SUFFIX = "template"


def _seed_reference_data() -> None:
    """What every ``db`` test starts from: the catalog home and the reference power list."""
    from campus_portal.applications.services import handler_bindings_ensure
    from campus_portal.catalog.services import catalog_home_ensure, power_list_import

    catalog_home_ensure()
    plan = power_list_import(
        data=REFERENCE_CSV.read_bytes(), filename=REFERENCE_CSV.name, dry_run=False
    )
    assert plan.ok, plan.problems
    handler_bindings_ensure()


def _template_file(alias: str, kind: str) -> Path:
    """``lock`` (taken around building and copying), ``record`` (the built template) or
    ``snapshot`` (the state ``serialized_rollback`` restores) of ``alias``'s template."""
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    return var_dir / f"test-db-template-{alias}.{kind}"


def _is_sqlite(alias: str) -> bool:
    return settings.DATABASES[alias]["ENGINE"].endswith("sqlite3")


def _template_build(*, alias: str, template: str, serialize: bool) -> None:
    """Create ``alias``'s template with the real migrations (and the reference import).

    ``serialized_rollback`` tests restore the state right after the migrations, before the
    import; Django keeps that snapshot in memory, so it is written to a file for the others.
    """
    from django.db import connections

    connection = connections[alias]
    test_settings = settings.DATABASES[alias]["TEST"]
    target, test_settings["NAME"] = test_settings["NAME"], template
    try:
        # What django.test.utils.setup_databases does for each alias (it cannot take the
        # warehouse alone: TEST["DEPENDENCIES"] puts every other alias after the default).
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        if serialize:
            _template_file(alias, "snapshot").write_text(
                connection.creation.serialize_db_to_string(), encoding="utf-8"
            )
        if alias == "default":
            # Built before this process's other aliases point at their test databases.
            with contextlib.ExitStack() as others_refused:
                for other in connections:
                    if other != alias:
                        others_refused.enter_context(
                            connections[other].execute_wrapper(_refuse_query(other))
                        )
                _seed_reference_data()
    finally:
        # CREATE DATABASE … TEMPLATE refuses a template that has open connections.
        connection.close()
        test_settings["NAME"] = target


def _refuse_query(alias: str):
    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"the reference import queried the {alias!r} database: {sql}")

    return refuse


def _template_copy(*, alias: str, template: str, target: str) -> None:
    """Replace the test database ``target`` with a copy of ``template``."""
    import sqlite3

    from django.db import connections

    if _is_sqlite(alias):
        for leftover in (target, f"{target}-wal", f"{target}-shm"):
            Path(leftover).unlink(missing_ok=True)
        # The backup API copies a consistent database whatever is still in the WAL file.
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        return
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")


def _template_drop(*, alias: str, template: str) -> None:
    """Remove a template database and its snapshot (its run is over, or another has begun)."""
    from django.db import connections

    if _is_sqlite(alias):
        for leftover in (template, f"{template}-wal", f"{template}-shm"):
            Path(leftover).unlink(missing_ok=True)
    else:
        connection = connections[alias]
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
    _template_file(alias, "snapshot").unlink(missing_ok=True)
    _template_file(alias, "record").unlink(missing_ok=True)


def _template_read(alias: str) -> dict:
    import json

    try:
        return json.loads(_template_file(alias, "record").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _database_from_template(*, alias: str, run: str, worker: str, serialize: bool) -> None:
    """Copy the run's template of ``alias`` into this process's test database, building the
    template first when this process is the first to get there. Holds the alias's lock."""
    import json

    target = settings.DATABASES[alias]["TEST"]["NAME"]
    template = f"{target.removesuffix('_' + worker)}_{TEMPLATE_SUFFIX}"
    wanted = {"run": run, "template": template, "serialized": serialize}
    record = _template_read(alias)
    if {key: record.get(key) for key in wanted} != wanted:
        if record.get("template"):
            _template_drop(alias=alias, template=record["template"])
        started = time.monotonic()
        _template_build(alias=alias, template=template, serialize=serialize)
        record = {**wanted, "built_by": worker, "seconds": round(time.monotonic() - started, 2)}
        _template_file(alias, "record").write_text(json.dumps(record), encoding="utf-8")
        _template_log(f"{worker} built {template} in {record['seconds']:.2f} s")
    started = time.monotonic()
    _template_copy(alias=alias, template=template, target=target)
    _template_log(f"{worker} copied it to {target} in {time.monotonic() - started:.2f} s")


def _template_log(line: str) -> None:
    """Timings of the database set-up, for docs/performance.md (var/test/test-db-setup.log)."""
    with (Path(settings.VAR_DIR) / "test-db-setup.log").open("a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%H:%M:%S')} {line}\n")


def _databases_from_templates(*, run: str, worker: str, aliases, serialized) -> list[tuple]:
    """This process's test databases (default, warehouse), each copied from its template.

    Each alias has its own lock: a process that finds one alias's lock taken (its template
    being built) goes on to the next, so two processes build the two templates at once.
    """
    import fcntl

    from django.db import connections

    # Building a template points the alias at it for a while; teardown restores these names.
    old_names = {alias: settings.DATABASES[alias]["NAME"] for alias in aliases}
    pending = sorted(aliases)
    while pending:
        for index, alias in enumerate(pending):
            with _template_file(alias, "lock").open("w") as lock:
                # Wait only for the last alias; until then try the others first.
                last_try = index == len(pending) - 1
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX if last_try else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                _database_from_template(
                    alias=alias, run=run, worker=worker, serialize=alias in serialized
                )
            pending.remove(alias)
            break
    old_config = []
    for alias in sorted(aliases):
        connection = connections[alias]
        connection.close()
        target = settings.DATABASES[alias]["TEST"]["NAME"]
        old_config.append((connection, old_names[alias], True))
        settings.DATABASES[alias]["NAME"] = target
        connection.settings_dict["NAME"] = target
        if alias in serialized:
            snapshot = _template_file(alias, "snapshot").read_text(encoding="utf-8")
            connection._test_serialized_contents = snapshot
    return old_config


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """The test databases of this process, with the reference list imported (see above).

    Replaces pytest-django's fixture of the same name (same databases, same serialization);
    ``--reuse-db`` and ``--nomigrations`` are not supported: the suite always migrates.
    """
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized = _get_databases_for_setup(request.session.items)
    workerinput = getattr(request.config, "workerinput", None)
    with django_db_blocker.unblock():
        if workerinput is None:
            old_config = setup_databases(
                verbosity=0, interactive=False, aliases=aliases, serialized_aliases=serialized
            )
            _seed_reference_data()
        else:
            old_config = _databases_from_templates(
                run=workerinput["testrunuid"],
                worker=workerinput["workerid"],
                aliases=aliases,
                serialized=serialized,
            )
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(old_config, verbosity=0)
        except Exception as exc:  # as pytest-django: a warning, not an error
            request.node.warn(pytest.PytestWarning(f"Error tearing down test databases: {exc!r}"))


def pytest_sessionfinish(session) -> None:
    """At the end of an xdist run (in the controller, after every worker), drop the templates."""
    if hasattr(session.config, "workerinput") or "django" not in sys.modules:
        return
    from pytest_django.plugin import blocking_manager_key

    for alias in settings.DATABASES:
        record = _template_read(alias)
        if record.get("template"):
            with session.config.stash[blocking_manager_key].unblock():
                _template_drop(alias=alias, template=record["template"])


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
