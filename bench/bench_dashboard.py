"""The 105号 dashboard and report over 1,000,000 applications on PostgreSQL.

Target (issue 9): "the dashboard and the report over 1,000,000 applications must answer in
< 0.5 s on PostgreSQL".

How:

1. Two throwaway PostgreSQL databases (portal, warehouse) on 127.0.0.1:5432 (``--database-url``
   for another server, ``--database-prefix`` for their names), migrated, with the demo catalog
   (100 matters and the four 一件事 bundles), its handler bindings and the targets.
2. ``--applications`` applications written by PostgreSQL itself with ``generate_series``
   (matters in proportion to their last-year volumes, submissions over the last 365 days,
   95 % decided within 0–4 days, 5 % steps overdue, visits on a quarter of them, 60 % rated,
   a rectification for each bad rating) — a few ``INSERT … SELECT``, no Python row loop.
3. ``dashboard_rollups_rebuild`` (facts and rollups recomputed by ``INSERT … SELECT``), timed.
4. Timed, each after one warm-up, median and worst of ``--repeat`` runs: the selectors of the
   dashboard (``dashboard_figures``, campus-wide and for one office head), the dashboard page
   rendered by Django's test client for an administrator, ``targets_report`` as JSON and as
   xlsx, and the incremental refresh of one application of the busiest matter (what the
   Celery task does after a lifecycle change). Then every matter is bound to a handler — the
   catalog once every matter is configured (issue 18) — and the figures and the page again:
   the online shares ask each bound matter's handler ``is_fully_online``.

Run: ``python -m bench.bench_dashboard [--applications N] [--repeat N] [--keep]
[--database-prefix NAME]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def databases(admin_url: str, names: list[str], *, drop: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop:
                db.execute(f'CREATE DATABASE "{name}"')


GENERATE = [
    # Matters with cumulative volume ranges, to pick one per application by volume.
    """
    CREATE TEMP TABLE bench_matter AS
    SELECT m.page_ptr_id AS id, o.code AS office,
           SUM(m.last_year_volume) OVER (ORDER BY m.code) - m.last_year_volume AS lo,
           SUM(m.last_year_volume) OVER (ORDER BY m.code) AS hi,
           m.promised_time_limit AS promised
    FROM catalog_matterpage m JOIN catalog_office o ON o.id = m.office_id
    WHERE m.last_year_volume > 0
    """,
    """
    INSERT INTO applications_application
      (reference, matter_id, handler_key, office_code, applicant_id, applicant_uid, channel,
       state, answers, snapshot, delivery_mode, delivery_address, supplement_notice,
       supplement_used, decision_reason, created_at, submitted_at, decided_at, version)
    SELECT 'B' || g, m.id, 'bench', m.office, %(user)s, '', 'web',
           CASE WHEN g %% 20 = 7 THEN 'in_progress' WHEN g %% 20 = 3 THEN 'rejected'
                ELSE 'approved' END,
           '{}', '{}', 'electronic', '{}', '[]', false, '', t.at, t.at,
           CASE WHEN g %% 20 = 7 THEN NULL ELSE t.at + ((g %% 5) || ' days')::interval END, 1
    FROM generate_series(1, %(n)s) AS g
    CROSS JOIN LATERAL (SELECT now() - ((g %% 365) || ' days')::interval
                               - ((g %% 480) || ' minutes')::interval AS at) AS t
    JOIN bench_matter m ON (g::bigint * 7919) %% (SELECT max(hi) FROM bench_matter) >= m.lo
                       AND (g::bigint * 7919) %% (SELECT max(hi) FROM bench_matter) < m.hi
    """,
    """
    INSERT INTO applications_step
      (application_id, key, position, "group", office_code, label, decided_by, assignee_uid,
       time_limit_days, state, started_at, due_at, finished_at, finished_by, comment, overdue,
       version)
    SELECT a.id, 'main', 1, '', a.office_code, '办理', 'office_staff', '', 3,
           CASE WHEN a.decided_at IS NULL THEN 'active' ELSE 'approved' END,
           a.submitted_at, a.submitted_at + interval '4 days', a.decided_at, '', '',
           a.id %% 20 = 0, 1
    FROM applications_application a
    """,
    """
    INSERT INTO applications_event
      (application_id, kind, actor, channel, from_state, to_state, detail, at)
    SELECT a.id, 'visited', 'window', 'window', '', '', '{}', a.submitted_at
    FROM applications_application a, generate_series(1, 2) AS v
    WHERE (v = 1 AND a.id %% 4 = 0) OR (v = 2 AND a.id %% 40 = 0)
    """,
    """
    INSERT INTO ratings_rating (application_id, office_code, overall, comment, created_at)
    SELECT a.id, a.office_code,
           CASE WHEN a.id %% 50 = 1 THEN 1 WHEN a.id %% 50 = 2 THEN 2 WHEN a.id %% 10 = 3 THEN 3
                WHEN a.id %% 3 = 0 THEN 4 ELSE 5 END,
           '', a.decided_at + interval '1 hour'
    FROM applications_application a
    WHERE a.decided_at IS NOT NULL AND a.id %% 5 < 3
    """,
    """
    INSERT INTO ratings_rectification
      (rating_id, office_code, state, opened_at, due_at, reply, replied_by)
    SELECT r.id, r.office_code, CASE WHEN r.id %% 10 = 0 THEN 'open' ELSE 'replied' END,
           r.created_at, r.created_at + interval '7 days', '', ''
    FROM ratings_rating r WHERE r.overall <= 2
    """,
    "ANALYZE",
]


def timed(function, repeat: int) -> tuple[float, float]:
    function()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def child(n: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from campus_portal.accounts.roles import Role
    from campus_portal.accounts.services import role_assign
    from campus_portal.applications.models import Application, Event
    from campus_portal.dashboard import rollups
    from campus_portal.dashboard.report import targets_report_json, targets_report_xlsx
    from campus_portal.dashboard.selectors import dashboard_figures, online_service

    user = get_user_model().objects.create_user("bench-applicant")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in GENERATE:
            cursor.execute(statement, {"n": n, "user": user.pk})
    generated = time.perf_counter() - started
    counts = {
        "applications": Application.objects.count(),
        "events": Event.objects.filter(kind=Event.Kind.VISITED).count(),
    }
    log(f"generated {counts} in {generated:.1f}s; rebuilding rollups …")
    started = time.perf_counter()
    sizes = rollups.rollups_rebuild()
    rebuild = time.perf_counter() - started
    log(f"rebuild {sizes} in {rebuild:.1f}s")
    today = timezone.localdate()
    admin = get_user_model().objects.create_user("bench-admin")
    role_assign(admin, role=Role.ADMINISTRATOR, office_code="", by="bench")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin, generate_totp_secret())
    client = Client()
    client.force_login(admin)

    def page() -> None:
        response = client.get("/admin/dashboard/")
        assert response.status_code == 200, response.status_code

    busiest = (
        Application.objects.values("matter_id")
        .annotate(n=django.db.models.Count("pk"))
        .order_by("-n")
        .first()
    )
    one = Application.objects.filter(matter_id=busiest["matter_id"]).order_by("-pk").first()
    figures = dashboard_figures(as_of=today)
    events = figures["scopes"]["all"]["events"]
    assert events["submitted"] > 0.9 * n, events  # the figures cover the generated history
    results = {
        "dashboard_figures (campus-wide)": timed(lambda: dashboard_figures(as_of=today), repeat),
        "dashboard_figures (one office)": timed(
            lambda: dashboard_figures(as_of=today, office_codes=frozenset({"JWC"})), repeat
        ),
        "dashboard page (GET /admin/dashboard/, rendered)": timed(page, repeat),
        "targets_report --format json": timed(lambda: targets_report_json(as_of=today), repeat),
        "targets_report --format xlsx": timed(lambda: targets_report_xlsx(as_of=today), repeat),
        "incremental refresh of one application (busiest matter)": timed(
            lambda: rollups.facts_refresh(application_ids=[one.pk]), repeat
        ),
        "online_service (bindings → online shares)": timed(online_service, repeat),
    }
    bound = len(online_service().online)
    every = every_matter_bound()
    results.update(
        {
            f"dashboard_figures (campus-wide), {every} matters bound": timed(
                lambda: dashboard_figures(as_of=today), repeat
            ),
            f"dashboard page, {every} matters bound": timed(page, repeat),
            f"online_service, {every} matters bound": timed(online_service, repeat),
        }
    )
    pg = connection.cursor().connection.info.server_version
    print(
        f"- PostgreSQL {pg // 10000}.{pg % 10000}; {counts['applications']:,} applications, "
        f"{counts['events']:,} visit events; generated in {generated:.0f} s"
    )
    print(
        f"- `dashboard_rollups_rebuild`: {rebuild:.1f} s → {sizes['facts']:,} facts, "
        f"{sizes['rollups']:,} rollup rows, {sizes['histogram']:,} histogram rows"
    )
    print(
        f"- figures: {events['submitted']:,} submitted in the period, realization "
        f"{events['realization_rate']}, on time {events['on_time_rate']}, p90 "
        f"{events['p90_days']} days, {figures['high_frequency']['count']} high-frequency matters"
    )
    print(f"- matters taking online applications: {bound} as in the demo, then {every}")
    print()
    print("| what | median | worst | < 0.5 s |")
    print("|---|---|---|---|")
    for name, (median, worst) in results.items():
        print(
            f"| {name} | {median * 1000:.0f} ms | {worst * 1000:.0f} ms | "
            f"{'yes' if worst < 0.5 else 'NO'} |"
        )


def every_matter_bound() -> int:
    """Bind every live matter without a binding to a registered handler; how many are bound."""
    from campus_portal.applications.models import HandlerBinding
    from campus_portal.catalog.models import MatterPage
    from campus_portal.plugin_api import registry

    keys = [handler.key for handler in registry]
    unbound = MatterPage.objects.live().filter(handler_binding__isnull=True)
    HandlerBinding.objects.bulk_create(
        HandlerBinding(matter=matter, handler_key=keys[n % len(keys)])
        for n, matter in enumerate(unbound)
    )
    return HandlerBinding.objects.filter(enabled=True).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--database-prefix", default="bench_dashboard")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.applications, args.repeat)
        return 0
    base = args.database_url.rsplit("/", 1)[0]
    names = [args.database_prefix, f"{args.database_prefix}_wh"]
    databases(args.database_url, names)
    var_dir = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"{base}/{names[0]}",
        "WAREHOUSE_DATABASE_URL": f"{base}/{names[1]}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    try:
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["migrate", "--noinput", "-v0", "--database=warehouse"],
            ["load_demo_data"],
            ["applications_load_demo"],
            ["dashboard_load_demo"],
        ):
            log(f"manage.py {' '.join(step)}")
            subprocess.run(
                [PYTHON, "manage.py", *step],
                cwd=REPO,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.bench_dashboard",
                "--child",
                "--applications",
                str(args.applications),
                "--repeat",
                str(args.repeat),
            ],
            cwd=REPO,
            env=env,
            check=True,
        )
    finally:
        if not args.keep:
            databases(args.database_url, names, drop=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
