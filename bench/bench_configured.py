"""A configured matter against a code plugin's: the form page and the submission, one run.

Target (issue 18, Tests and measures): the configured matter's form page and submission within
20 % of a code plugin's. Compared: the registrar's 在读证明 plugin (``jwc.enrollment_certificate``,
SF-JWC-001) and a configured matter set up as its twin — the same eight warehouse items, the
same two questions (purpose, copies), an instant decision (JSON-logic: ``student.status`` is
在读) and a certificate result — served by ``config.generic`` from its pinned version.

What one sample is, per applicant and matter (Django's test client in this process, the real
views, middleware and sessions): **form page** = ``GET /applications/<ref>/form/`` after the
consent (the form built from the handler, the snapshot, the delivery choice); **submission** =
the form's ``POST`` (validation, answers, the instant decision, events, delivery). Starting the
draft and the consent are not timed. The two matters alternate applicant by applicant, so a
busy neighbour on the shared machine slows both alike; the ratio is of the medians.

Setup (not timed): a throwaway ``VAR_DIR`` with SQLite (or ``--database-url`` /
``--warehouse-url`` for PostgreSQL), migrated, the demo catalog, a synthetic campus, the demo
bindings, grants and configurations (``applications_load_demo``, ``matter_config_load_demo``).

Run: ``python -m bench.bench_configured [--applicants N] [--database-url URL --warehouse-url URL]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGIN_MATTER = "SF-JWC-001"
PLUGIN_KEY = "jwc.enrollment_certificate"
TARGET_RATIO = 1.20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _twin_configure() -> str:
    """Make a configured matter the plugin's twin; returns its code."""
    from campus_portal.applications.models import HandlerBinding
    from campus_portal.matter_config.models import MatterConfiguration
    from campus_portal.matter_config.selectors import HANDLER_KEY
    from campus_portal.matter_config.services import configuration_publish
    from campus_portal.plugin_api import registry
    from data_warehouse.services import grant_create

    needs = list(registry.get(PLUGIN_KEY).data_needs)
    for key in needs:
        grant_create(handler_key=HANDLER_KEY, item_key=key, purpose="bench", granted_by="bench")
    binding = (
        HandlerBinding.objects.filter(handler_key=HANDLER_KEY, enabled=True)
        .select_related("matter")
        .order_by("matter__code")
        .filter(matter__online_depth=4)
        .first()
    )
    configuration = MatterConfiguration.objects.get(matter=binding.matter)
    common = {"label_en": "", "help_zh": "", "help_en": "", "visible_when_field": "",
              "visible_when_equals": "", "choices": [], "required": True}  # fmt: skip
    configuration.fields = [
        ("field", {**common, "key": "use", "type": "text", "label_zh": "证明用途"}),
        ("field", {**common, "key": "copies", "type": "number", "label_zh": "份数"}),
    ]
    configuration.steps = [
        ("office", {"key": "check", "office": configuration.office_code, "label": "核验",
                    "time_limit_days": 1, "group": "", "decided_by_head": False}),
    ]  # fmt: skip
    configuration.data_needs = needs
    configuration.purpose = "开具证明"
    configuration.decision_mode = "instant"
    configuration.decision_rule = {"==": [{"var": "data.student.status"}, "在读"]}
    configuration.result_kind = "certificate"
    configuration.result_title = "证明"
    configuration.result_body = "兹证明该生在读。"
    configuration.delivery_modes = ["electronic"]
    configuration.save()
    configuration_publish(configuration=configuration, user="bench")
    return binding.matter.code


def run_child(applicants: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from bench import machine
    from campus_portal.accounts.services import identity_link
    from campus_portal.applications.models import Application
    from data_warehouse.demo_campus import demo_campus_load

    demo_campus_load(students=applicants + 2, staff=5)
    for command in ("applications_load_demo", "matter_config_load_demo"):
        call_command(command, verbosity=0)
    twin = _twin_configure()
    users = get_user_model()
    times: dict[tuple[str, str], list[float]] = {}
    machine.wait_for_quiet(timeout=20)
    for n in range(applicants + 2):  # the first two warm the caches and are not counted
        user = users.objects.create_user(f"bench-c{n}")
        identity_link(user, person_uid=f"DEMO-S{n:05d}", source="bench")
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        order = (PLUGIN_MATTER, twin) if n % 2 else (twin, PLUGIN_MATTER)
        for code in order:
            client.post(f"/apply/{code}/")
            application = Application.objects.filter(applicant=user, matter__code=code).get()
            url = f"/applications/{application.reference}/form/"
            client.post(f"/applications/{application.reference}/consent/")
            started = time.perf_counter()
            page = client.get(url)
            shown = time.perf_counter()
            sent = client.post(
                url,
                {"idempotency_key": uuid.uuid4().hex, "use": "签证", "copies": "1",
                 "delivery-mode": "electronic"},
            )  # fmt: skip
            done = time.perf_counter()
            assert page.status_code == 200, (code, page.status_code)
            assert sent.status_code == 302, (code, sent.status_code, sent.content[:300])
            application.refresh_from_db()
            assert application.state == Application.State.APPROVED, (code, application.state)
            if n >= 2:
                kind = "plugin" if code == PLUGIN_MATTER else "configured"
                times.setdefault((kind, "form page"), []).append((shown - started) * 1000)
                times.setdefault((kind, "submission"), []).append((done - shown) * 1000)
    engine = os.environ.get("BENCH_ENGINE", "?")
    print(
        f"| engine | phase | plugin median / p95 ms | configured ({twin}) median / p95 ms | ratio |"
    )
    print("|---|---|---|---|---|")
    for phase in ("form page", "submission"):
        plugin, configured = times[("plugin", phase)], times[("configured", phase)]
        ratio = statistics.median(configured) / statistics.median(plugin)
        print(
            f"| {engine} | {phase} | {statistics.median(plugin):.1f} / "
            f"{percentile(plugin, 0.95):.1f} | {statistics.median(configured):.1f} / "
            f"{percentile(configured, 0.95):.1f} | {ratio:.2f}"
            f"{'' if ratio <= TARGET_RATIO else ' (above 1.20)'} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applicants", type=int, default=40)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--warehouse-url", default="")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.applicants)
        return 0
    var = tempfile.mkdtemp(prefix="bench-configured-")
    ignored = ("DATABASE_URL", "WAREHOUSE_DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL")
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env = {**env, "VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "config.settings",
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO), "BENCH_ENGINE": "SQLite"}  # fmt: skip
    if args.database_url:
        env.update(DATABASE_URL=args.database_url, WAREHOUSE_DATABASE_URL=args.warehouse_url,
                   BENCH_ENGINE="PostgreSQL")  # fmt: skip
    python = sys.executable
    try:
        for extra in ([], ["--database=warehouse"]):
            subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0", *extra],
                           cwd=REPO, env=env, check=True)  # fmt: skip
        subprocess.run([python, "manage.py", "load_demo_data"], cwd=REPO, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        command = [python, "-m", "bench.bench_configured", "--child"]
        subprocess.run([*command, "--applicants", str(args.applicants)], cwd=REPO, env=env,
                       check=True)  # fmt: skip
    finally:
        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
