"""Prefill latency: ``warehouse_read`` of 10 items for one of 100,000 persons.

What is measured: one complete call of the read plugins make (catalog and grant checks, the
consent check, loading the person and current records, masking, and the access-log write in the
same transaction), for random persons of a 100,000-person warehouse. Target: p95 < 5 ms on
PostgreSQL. The same is run on SQLite for comparison.

Setup (not timed): a throwaway PostgreSQL database on 127.0.0.1:5432 (trust auth, as on the CI
machine) or SQLite file, migrated; the synthetic demo campus with 100,000 students and 1,000
staff (``demo_campus_load``); grants for one handler; a consent for each sampled application.

Run: ``python -m bench.bench_prefill [--persons N] [--reads N] [--sqlite-only]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HANDLER = "JWC.enrollment_certificate"
ITEMS = [
    "person.name",
    "person.gender",
    "person.id_card_number",
    "student.number",
    "student.school",
    "student.major",
    "student.class",
    "student.degree_level",
    "student.grade_year",
    "student.status",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_child(persons: int, reads: int) -> None:
    """Inside a configured process: build the warehouse and time the reads."""
    import django

    django.setup()
    from django.core.management import call_command

    from data_warehouse.demo_campus import demo_campus_load
    from data_warehouse.services import consent_record, grant_create, warehouse_read

    call_command("migrate", database="warehouse", verbosity=0)
    started = time.perf_counter()
    demo_campus_load(students=persons, staff=max(1, persons // 100))
    build_s = time.perf_counter() - started
    for key in ITEMS:
        grant_create(handler_key=HANDLER, item_key=key, purpose="开具在读证明", granted_by="bench")
    rng = random.Random(7)  # noqa: S311 - reproducible sample, not a secret
    sample = [f"DEMO-S{rng.randrange(persons):05d}" for _ in range(reads)]
    for n, uid in enumerate(sample):
        consent_record(
            person_uid=uid,
            handler_key=HANDLER,
            application_ref=f"APP-{n}",
            item_keys=ITEMS,
            purpose="开具在读证明",
        )
    # A production warehouse has current planner statistics; a freshly bulk-loaded one would
    # otherwise be measured while autovacuum analyses it in the background.
    from django.db import connections

    from bench import machine

    with connections["warehouse"].cursor() as cursor:
        cursor.execute("ANALYZE")

    def read(n: int, uid: str):
        return warehouse_read(
            person_uid=uid,
            item_keys=ITEMS,
            handler_key=HANDLER,
            application_ref=f"APP-{n}",
            purpose="开具在读证明",
            actor="bench",
        )

    for n, uid in enumerate(sample[:20]):  # warm-up
        read(n, uid)
    floor = commit_floor(connections["warehouse"])
    machine.wait_for_quiet()
    timings, cpu = [], []
    busy_before, process_before = machine.busy_seconds(), time.process_time()
    wall_started = time.monotonic()
    for n, uid in enumerate(sample):
        started, cpu_started = time.perf_counter(), time.process_time()
        values = read(n, uid)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert values["person.id_card_number"].masked, "ID numbers must come back masked"
    others = machine.busy_seconds() - busy_before - (time.process_time() - process_before)
    other_share = max(0.0, others) / ((time.monotonic() - wall_started) * machine.CPUS)
    from data_warehouse.models import AccessLog

    assert AccessLog.objects.count() == reads + 20, "every read must be logged"
    engine = os.environ.get("BENCH_ENGINE", "?")
    print(
        f"| {engine} | {persons:,} | {build_s:.1f} | {reads} | "
        f"{statistics.median(timings):.2f} | {percentile(timings, 0.95):.2f} | "
        f"{max(timings):.2f} | {statistics.median(cpu):.2f} | "
        f"{statistics.median(floor):.2f} / {percentile(floor, 0.95):.2f} | {other_share:.0%} |"
    )


def commit_floor(connection, rounds: int = 200) -> list[float]:
    """Milliseconds of a bare durable write: BEGIN, one small INSERT, COMMIT.

    A read cannot be faster than this, because its access-log entry must be on disk before the
    values are handed out; it is the machine's (fsync) share of every read.
    """
    from django.db import transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_commit_floor (n integer, at varchar(40))")
    timings = []
    for n in range(rounds):
        started = time.perf_counter()
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_commit_floor VALUES (%s, %s)", [n, time.ctime()])
        timings.append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_commit_floor")
    return timings


def _child_env(var_dir: str, database_url: str | None, engine: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "WAREHOUSE_DATABASE_URL", "CACHE_URL"))
    }
    env.update(VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings", BENCH_ENGINE=engine)
    if database_url:
        env["DATABASE_URL"] = env["WAREHOUSE_DATABASE_URL"] = database_url
    return env


def _postgres_database() -> tuple[str, str]:
    import psycopg

    name = f"bench_prefill_{os.getpid()}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgres://postgres@127.0.0.1:5432/{name}"


def _drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=500)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.persons, args.reads)
        return 0
    print(f"## Prefill (`warehouse_read` of {len(ITEMS)} items)\n")
    print(
        "| database | persons | build s | reads | p50 ms | p95 ms | max ms | CPU ms p50 "
        "| commit floor p50 / p95 ms | other CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    command = [
        sys.executable,
        "-m",
        "bench.bench_prefill",
        "--child",
        "--persons",
        str(args.persons),
        "--reads",
        str(args.reads),
    ]
    engines = ["sqlite"] if args.sqlite_only else ["postgresql", "sqlite"]
    for engine in engines:
        var_dir = tempfile.mkdtemp(prefix="bench-prefill-")
        database = None
        try:
            url = None
            if engine == "postgresql":
                database, url = _postgres_database()
            subprocess.run(command, cwd=REPO, env=_child_env(var_dir, url, engine), check=True)
        finally:
            if database:
                _drop_postgres_database(database)
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
