"""Submitting an instant 在读证明 application, end to end over HTTP, on PostgreSQL.

Target (issue 6, Performance): "from POST to decision recorded (prefill, consent, decide,
events): median < 300 ms, ≥ 50 submissions/s with 2 web workers on PostgreSQL", reported
against the same server's bare Django view.

What one submission is. The applicant's pages split the work over two POSTs
(``campus_portal/applications/views.py``): the **consent** POST records the consent in the
warehouse, reads the eight data needs of ``jwc.enrollment_certificate`` (the prefill) with its
access-log entry and stores the snapshot; the **form** POST submits the answers with an
idempotency key, which runs ``decide()`` (秒批: approved because the warehouse says 在读) and
records the submitted and approved events. "From POST to decision recorded" therefore spans
both, and a submission's latency here is the consent POST plus the form POST of one
application, each timed from connect to the last byte of the response (a 302). Starting the
draft (``POST /apply/SF-JWC-001/``) happens before, in an untimed phase, and is reported
apart.

How:

1. Two throwaway PostgreSQL databases (portal, warehouse) on 127.0.0.1:5432 (trust auth, as
   on the CI machine; ``--database-url`` for another server) and a throwaway ``VAR_DIR``;
   migrate both aliases, the demo catalog, a synthetic warehouse campus (every student 在读),
   the demo bindings and grants (``applications_load_demo``), then one account per student,
   linked to its warehouse person, with a signed-in session (made in the database: password
   hashing is not what is measured).
2. gunicorn, 2 sync workers, the product's settings (``bench.settings``: the product's URL map
   plus the baseline view) on those databases with persistent connections.
3. Drafts for every student (untimed phase), then ``--sequential`` submissions by one client
   (latency without queueing), then the rest by ``--clients`` concurrent clients, each on its
   own students (throughput = decided submissions / wall time of that phase; latency includes
   the wait for a free worker, as users would see it).
4. The bare view (``bench.baseline``) on the same server with wrk, same concurrency.
5. Checks, afterwards, in the database: every application is APPROVED by "system", has its
   snapshot, a consent, an access-log entry, and the drafted/submitted/approved events — else
   the run fails and prints no numbers.
6. A profile of one submission in-process (Django's test client on the same database): the
   queries each POST runs, per alias, and the time they take.

Each timed phase waits for a quiet CPU first and reports the share of CPU other processes used
(the machine may be shared), and the CPU time gunicorn's workers spent per submission.

Run: ``python -m bench.bench_submit [--students N] [--clients N] [--keep]``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    from bench import bench_throughput as throughput
    from bench import machine
except ModuleNotFoundError:  # run as a script (python bench/bench_submit.py)
    import bench_throughput as throughput  # type: ignore[no-redef]
    import machine  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parent.parent
MATTER = "SF-JWC-001"
HANDLER = "jwc.enrollment_certificate"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PROFILE_STUDENTS = 6  # half for the query log, half under cProfile
TARGET_MEDIAN_MS = 300
TARGET_RATE = 50


def log(message: str) -> None:
    print(f"[submit] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- Inside a configured Django process (setup, verify, profile) ----------------------------


def child_setup(count: int, out: Path) -> None:
    """Warehouse students, their accounts and sessions; bindings and grants (not timed)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from campus_portal.accounts.services import identity_link
    from data_warehouse.demo_campus import demo_campus_load

    demo_campus_load(students=count + PROFILE_STUDENTS, staff=0)  # the last few: profile
    call_command("applications_load_demo", verbosity=0)
    users = get_user_model()
    client = Client()
    sessions = []
    for n in range(count):
        uid = f"DEMO-S{n:05d}"
        user = users.objects.create_user(f"bench-{uid.lower()}")  # unusable password
        identity_link(user, person_uid=uid, source="bench")
        client.force_login(user)
        sessions.append({"uid": uid, "session": client.cookies["sessionid"].value})
        client.cookies.clear()
    out.write_text(json.dumps(sessions), encoding="utf-8")


def child_verify(refs_file: Path, out: Path) -> None:
    """What the database says about the applications the clients submitted."""
    from django.db.models import Count

    from campus_portal.applications.models import Application, Event
    from campus_portal.plugin_api import registry
    from data_warehouse.models import AccessLog, Consent

    refs = json.loads(refs_file.read_text(encoding="utf-8"))
    apps = Application.objects.filter(reference__in=refs)
    needs = set(registry.get(HANDLER).data_needs)
    problems: list[str] = []
    found = {a.reference: a for a in apps}
    for ref in refs:
        a = found.get(ref)
        if a is None:
            problems.append(f"{ref}: missing")
            continue
        if a.state != Application.State.APPROVED or a.decided_at is None:
            problems.append(f"{ref}: {a.state} {a.decision_reason!r}")
        if set(a.snapshot) != needs or not a.consent_id or not a.idempotency_key:
            problems.append(f"{ref}: snapshot/consent/idempotency key incomplete")
    kinds = {
        (row["application__reference"], row["kind"]): row["n"]
        for row in Event.objects.filter(application__reference__in=refs)
        .values("application__reference", "kind")
        .annotate(n=Count("id"))
    }
    for ref in refs:
        for kind in ("drafted", "submitted", "approved"):
            if kinds.get((ref, kind)) != 1:
                problems.append(f"{ref}: {kinds.get((ref, kind), 0)} {kind} events")
    approved_by_system = Event.objects.filter(
        application__reference__in=refs, kind="approved", actor="system"
    ).count()
    consents = Consent.objects.filter(application_ref__in=refs, handler_key=HANDLER).count()
    reads = AccessLog.objects.filter(application_ref__in=refs, handler_key=HANDLER).count()
    if approved_by_system != len(refs):
        problems.append(f"{approved_by_system} of {len(refs)} approved by the system")
    if consents != len(refs) or reads != len(refs):
        problems.append(f"{consents} consents, {reads} access-log entries for {len(refs)}")
    report = {
        "applications": len(found),
        "approved": sum(a.state == Application.State.APPROVED for a in found.values()),
        "events": sum(kinds.values()),
        "consents": consents,
        "access_log": reads,
        "problems": problems[:20],
        "problem_count": len(problems),
    }
    out.write_text(json.dumps(report), encoding="utf-8")


def child_profile(first: int, out: Path) -> None:
    """One submission through the real views (test client, same databases): its queries per
    POST and alias for half the profile students, where CPU time goes (cProfile) for the rest."""
    import cProfile
    import pstats

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    half = PROFILE_STUDENTS // 2
    rows = []
    for n in range(first, first + half):
        row = {}
        for label, client, url, data in _profile_posts(n):
            with contextlib.ExitStack() as stack:
                captured = {
                    alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
                    for alias in ("default", "warehouse")
                }
                t0 = time.perf_counter()
                response = client.post(url, data)
                elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 302, (label, response.status_code)
            row[label] = {"ms": elapsed}
            for alias, c in captured.items():
                row[label][alias] = {
                    "queries": len(c.captured_queries),
                    "sql_ms": 1000 * sum(float(q["time"]) for q in c.captured_queries),
                    "statements": [_statement(q["sql"]) for q in c.captured_queries],
                }
        rows.append(row)
    profiler = cProfile.Profile()
    for n in range(first + half, first + PROFILE_STUDENTS):
        for label, client, url, data in _profile_posts(n):
            profiler.enable()
            response = client.post(url, data)
            profiler.disable()
            assert response.status_code == 302, (label, response.status_code)
    by_package: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in pstats.Stats(
        profiler
    ).stats.items():
        package = _package(filename)
        by_package[package] = by_package.get(package, 0.0) + own
    share = {k: 1000 * v / (PROFILE_STUDENTS - half) for k, v in by_package.items()}
    out.write_text(json.dumps({"queries": rows, "cpu_ms_by_package": share}), encoding="utf-8")


def _profile_posts(n: int):
    """Start a draft for demo student ``n``; yield its consent and form POSTs to be sent."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from campus_portal.accounts.services import identity_link

    uid = f"DEMO-S{n:05d}"
    user = get_user_model().objects.create_user(f"profile-{uid.lower()}")
    identity_link(user, person_uid=uid, source="bench")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    form_url = client.post(f"/apply/{MATTER}/").headers["Location"]
    answers = {"use": "办理签证", "copies": "1", "idempotency_key": uuid.uuid4().hex}
    yield "consent", client, form_url.replace("/form/", "/consent/"), {}
    yield "submit", client, form_url, answers


def _package(filename: str) -> str:
    """Where a profiled function lives: a site-packages distribution, a top-level folder of
    the repository, or the standard library / C built-ins."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    path = Path(filename)
    if path.is_absolute() and REPO in path.parents:
        parts = path.relative_to(REPO).parts
        return "/".join(parts[:2]) if parts[0] in ("campus_portal", "plugins") else parts[0]
    return "(standard library, built-ins)"


def _statement(sql: str) -> str:
    """A query's verb and its table, e.g. ``SELECT applications_application``."""
    words = sql.replace('"', "").split()
    if not words:
        return "?"
    verb = words[0].upper()
    keyword = {"INSERT": "INTO", "UPDATE": "UPDATE"}.get(verb, "FROM")
    upper = [w.upper() for w in words]
    if keyword in upper:
        index = upper.index(keyword)
        if index + 1 < len(words):
            return f"{verb} {words[index + 1]}"
    return verb


def run_child(argv: Sequence[str]) -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["setup", "verify", "profile"])
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--refs", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    django.setup()
    if args.action == "setup":
        child_setup(args.count, args.out)
    elif args.action == "verify":
        child_verify(args.refs, args.out)
    else:
        child_profile(args.count, args.out)
    return 0


# --- The HTTP clients -------------------------------------------------------------------------


@dataclass
class Student:
    uid: str
    session: str
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))  # a 32-character secret
    reference: str = ""
    consent_ms: float = 0.0
    submit_ms: float = 0.0
    start_ms: float = 0.0
    error: str = ""


def post(port: int, student: Student, path: str, data: dict[str, str]) -> tuple[int, str, float]:
    """One POST as the signed-in student's browser would send it; (status, Location, ms)."""
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": student.csrf})
    headers = {
        "Cookie": f"sessionid={student.session}; csrftoken={student.csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept-Language": "zh-hans",
        "Accept": "text/html",
        "User-Agent": "bench-submit (X11; Linux x86_64)",
    }
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read()
        location = response.getheader("Location", "")
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 302:
        student.error = f"{path}: HTTP {response.status} {text[:300]!r}"
    return response.status, location, elapsed


def start_draft(port: int, student: Student) -> None:
    status, location, elapsed = post(port, student, f"/apply/{MATTER}/", {})
    student.start_ms = elapsed
    parts = location.strip("/").split("/")
    if status == 302 and len(parts) >= 3 and parts[-1] == "form":
        student.reference = parts[-2]
    elif not student.error:
        student.error = f"start: unexpected redirect {location!r}"


def submit(port: int, student: Student) -> None:
    """Consent (prefill) then the form (decide, events): one submission."""
    base = f"/applications/{student.reference}"
    status, location, student.consent_ms = post(port, student, f"{base}/consent/", {})
    if status != 302 or not location.endswith(f"{base}/form/"):
        student.error = student.error or f"consent: redirect {location!r}"
        return
    answers = {"use": "办理签证", "copies": "1", "idempotency_key": uuid.uuid4().hex}
    status, location, student.submit_ms = post(port, student, f"{base}/form/", answers)
    if status != 302 or not location.endswith(f"{base}/"):
        student.error = student.error or f"submit: redirect {location!r} (form refused?)"


def run_clients(port: int, students: list[Student], clients: int, work) -> float:
    """Run ``work(port, student)`` for every student, ``clients`` at a time; wall seconds."""
    shares = [students[i::clients] for i in range(clients)]

    def client(mine: list[Student]) -> None:
        for student in mine:
            try:
                work(port, student)
            except OSError as error:  # connection refused/reset: counted, not hidden
                student.error = f"{type(error).__name__}: {error}"

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


@dataclass
class Phase:
    label: str
    clients: int
    submissions: int
    seconds: float
    latencies_ms: list[float]
    consent_ms: list[float]
    submit_ms: list[float]
    worker_cpu_ms: float  # gunicorn workers' CPU per submission
    other_cpu: float  # share of the machine used by anything else (PostgreSQL, clients, others)

    @property
    def rate(self) -> float:
        return self.submissions / self.seconds


def timed_phase(
    label: str, port: int, server_pid: int, students: list[Student], clients: int
) -> Phase:
    machine.wait_for_quiet()
    cpu_before = machine.process_tree_seconds(server_pid)
    busy_before = machine.busy_seconds()
    seconds = run_clients(port, students, clients, submit)
    worker_cpu = machine.process_tree_seconds(server_pid) - cpu_before
    busy = machine.busy_seconds() - busy_before
    failed = [s for s in students if s.error]
    if failed:
        raise throughput.BenchError(
            f"{label}: {len(failed)} of {len(students)} submissions failed, e.g. {failed[0].error}"
        )
    return Phase(
        label=label,
        clients=clients,
        submissions=len(students),
        seconds=seconds,
        latencies_ms=[s.consent_ms + s.submit_ms for s in students],
        consent_ms=[s.consent_ms for s in students],
        submit_ms=[s.submit_ms for s in students],
        worker_cpu_ms=1000 * worker_cpu / len(students),
        other_cpu=max(0.0, busy - worker_cpu) / (seconds * machine.CPUS),
    )


# --- Orchestration ----------------------------------------------------------------------------


def child(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "bench.bench_submit", "--child", *args]
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise throughput.BenchError(f"{' '.join(args)}:\n{completed.stdout}\n{completed.stderr}")


def make_env(var_dir: Path, urls: Sequence[str]) -> dict[str, str]:
    env = throughput.base_env(var_dir)
    env["DATABASE_URL"], env["WAREHOUSE_DATABASE_URL"] = urls
    return env


@contextlib.contextmanager
def postgres_databases(admin_url: str):
    """Two databases of their own on the server (portal, warehouse), dropped at the end.

    Two, not one: with both aliases on one database, ``migrate`` of either alias records the
    other's migrations as applied without creating their tables (one ``django_migrations``
    table), so the warehouse tables never appear. Yields both URLs and the server version.
    """
    import psycopg

    names = [f"bench_submit_{os.getpid()}", f"bench_submit_{os.getpid()}_warehouse"]
    with psycopg.connect(admin_url, autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        version = db.execute("SHOW server_version").fetchone()[0]
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield [f"{base}/{name}" for name in names], version
    finally:
        with psycopg.connect(admin_url, autocommit=True) as db:
            for name in names:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(args: argparse.Namespace, var_dir: Path, urls: Sequence[str]) -> dict:
    env = make_env(var_dir, urls)
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    python = str(throughput.BIN / "python")
    total = args.students + args.sequential
    setup: dict[str, float] = {}
    log(f"VAR_DIR={var_dir}, databases {[u.rsplit('/', 1)[1] for u in urls]}: migrate …")
    setup["migrate"] = throughput.run_step(
        [python, "manage.py", "migrate", "--noinput", "-v0"], env
    )
    setup["migrate"] += throughput.run_step(
        [python, "manage.py", "migrate", "--noinput", "-v0", "--database=warehouse"], env
    )
    setup["load_demo_data"] = throughput.run_step([python, "manage.py", "load_demo_data"], env)
    log(f"{total} students, accounts and sessions …")
    started = time.perf_counter()
    sessions_file = var_dir / "sessions.json"
    child(env, "setup", "--count", str(total), "--out", str(sessions_file))
    setup["students"] = time.perf_counter() - started
    students = [Student(**row) for row in json.loads(sessions_file.read_text())]

    result: dict = {"setup": setup}
    with throughput.gunicorn(env, var_dir / "gunicorn.log") as (base, server_pid):
        port = int(base.rsplit(":", 1)[1])
        throughput.check_target(base, throughput.TARGETS["baseline"], cache_on=True)
        log(f"drafts for {len(students)} students (not timed as submissions) …")
        draft_seconds = run_clients(port, students, args.clients, start_draft)
        failed = [s for s in students if s.error]
        if failed:
            raise throughput.BenchError(f"{len(failed)} drafts failed, e.g. {failed[0].error}")
        result["drafts"] = {
            "count": len(students),
            "rate": len(students) / draft_seconds,
            "p50_ms": statistics.median(s.start_ms for s in students),
        }
        log(f"{args.sequential} submissions, one client …")
        sequential = timed_phase(
            "1 client", port, server_pid, students[: args.sequential], clients=1
        )
        log(f"{args.students} submissions, {args.clients} clients …")
        loaded = timed_phase(
            f"{args.clients} clients", port, server_pid, students[args.sequential :], args.clients
        )
        median = statistics.median(loaded.latencies_ms)
        log(f"{loaded.rate:.1f} submissions/s, median {median:.0f} ms")
        log("bare view with wrk …")
        wrk = throughput.least_disturbed(
            lambda: throughput.run_wrk(
                f"{base}/bench/baseline/",
                threads=2,
                connections=args.clients,
                seconds=args.wrk_duration,
                server_pid=server_pid,
            )
        )
    result["phases"] = [sequential, loaded]
    result["baseline"] = wrk

    log("checking every application in the database …")
    refs_file = var_dir / "refs.json"
    refs_file.write_text(json.dumps([s.reference for s in students]))
    verify_file = var_dir / "verify.json"
    child(env, "verify", "--refs", str(refs_file), "--out", str(verify_file))
    verified = json.loads(verify_file.read_text())
    if verified["problem_count"]:
        raise throughput.BenchError(f"results not as expected: {verified}")
    result["verified"] = verified

    log("profiling one submission's queries …")
    profile_file = var_dir / "profile.json"
    child(env, "profile", "--count", str(total), "--out", str(profile_file))
    result["profile"] = json.loads(profile_file.read_text())
    return result


# --- Report -----------------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.0f} / {percentile(values, 0.95):.0f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render_markdown(result: dict, args: argparse.Namespace, pg_version: str) -> str:
    sequential, loaded = result["phases"]
    wrk = result["baseline"]
    verified = result["verified"]
    setup = result["setup"]
    median = statistics.median(loaded.latencies_ms)
    lines = [
        "## Submission of an instant 在读证明 (gunicorn, PostgreSQL)",
        "",
        f"gunicorn {throughput.WORKERS} sync workers, product settings (`bench.settings`), "
        f"PostgreSQL {pg_version} on 127.0.0.1 (portal and warehouse in two throwaway "
        "databases on that server), persistent connections. A submission = the consent POST "
        "(consent, prefill of 8 items, access log, snapshot) + the form POST (submit with "
        "idempotency key, `decide()` → approved, events); latency is their sum per "
        "application, from connect to the 302. Drafts were started beforehand "
        f"({result['drafts']['count']} × "
        f"`POST /apply/{MATTER}/`, median {result['drafts']['p50_ms']:.0f} ms, "
        f"{result['drafts']['rate']:.0f}/s, not counted). Every student distinct. Setup: "
        f"migrate {setup['migrate']:.0f} s, demo catalog {setup['load_demo_data']:.0f} s, "
        f"students/accounts/sessions {setup['students']:.0f} s.",
        "",
        "| run | submissions | submissions/s | median / p95 ms | consent POST median / p95 "
        "| form POST median / p95 | worker CPU ms per submission | other CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in (sequential, loaded):
        lines.append(
            f"| {phase.label} | {phase.submissions} | {phase.rate:.1f} "
            f"| {_ms(phase.latencies_ms)} | {_ms(phase.consent_ms)} | {_ms(phase.submit_ms)} "
            f"| {phase.worker_cpu_ms:.0f} | {100 * phase.other_cpu:.0f} % |"
        )
    lines += [
        f"| bare view `/bench/baseline/`, wrk -c{args.clients} | – "
        f"| {wrk.requests_per_second:,.0f} req/s | {wrk.latency_p50_ms:.1f} / "
        f"p99 {wrk.latency_p99_ms:.1f} | – | – | – | {100 * wrk.other_cpu:.0f} % |",
        "",
        f"Target: median < {TARGET_MEDIAN_MS} ms under load — "
        f"{_verdict(median < TARGET_MEDIAN_MS)} "
        f"({median:.0f} ms); ≥ {TARGET_RATE} submissions/s — "
        f"{_verdict(loaded.rate >= TARGET_RATE)} ({loaded.rate:.1f}/s, "
        f"{100 * loaded.rate / wrk.requests_per_second:.1f} % of the bare view's req/s; one "
        "submission is two requests).",
        "",
        f"Checked afterwards in the database: {verified['applications']} applications, "
        f"{verified['approved']} approved by the system, {verified['events']} events "
        "(drafted, submitted, approved: one each), "
        f"{verified['consents']} consents and {verified['access_log']} access-log entries.",
        "",
        "Queries of one submission (in-process, test client, same database; median of "
        f"{len(result['profile']['queries'])}):",
        "",
        "| POST | ms | default queries | default SQL ms | warehouse queries | warehouse SQL ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label in ("consent", "submit"):
        rows = [r[label] for r in result["profile"]["queries"]]
        lines.append(
            f"| {label} | {statistics.median(r['ms'] for r in rows):.0f} "
            f"| {statistics.median(r['default']['queries'] for r in rows):.0f} "
            f"| {statistics.median(r['default']['sql_ms'] for r in rows):.1f} "
            f"| {statistics.median(r['warehouse']['queries'] for r in rows):.0f} "
            f"| {statistics.median(r['warehouse']['sql_ms'] for r in rows):.1f} |"
        )
    lines.append("")
    for label in ("consent", "submit"):
        statements = result["profile"]["queries"][-1][label]
        counted: dict[str, int] = {}
        for alias in ("default", "warehouse"):
            for s in statements[alias]["statements"]:
                key = f"{alias}: {s}"
                counted[key] = counted.get(key, 0) + 1
        listing = ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in counted.items())
        lines.append(f"- {label}: {listing}")
    lines += [
        "",
        "(The warehouse's own statements — the person-and-records read, the access-log entry — "
        "are server-side prepared statements on PostgreSQL and do not appear in Django's query "
        "log.)",
        "",
        "Where the Python time of one submission (both POSTs) goes, cProfile, own time by "
        "package (profiler overhead included, so only the shares mean something):",
        "",
        "| package | ms | share |",
        "|---|---:|---:|",
    ]
    by_package = result["profile"]["cpu_ms_by_package"]
    total = sum(by_package.values())
    for package, ms in sorted(by_package.items(), key=lambda item: -item[1])[:12]:
        lines.append(f"| {package} | {ms:.1f} | {100 * ms / total:.0f} % |")
    lines += [f"| total | {total:.1f} | 100 % |", ""]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1200, help="submissions under load")
    parser.add_argument("--sequential", type=int, default=40, help="submissions by one client")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--wrk-duration", type=int, default=10)
    parser.add_argument("--database-url", default=ADMIN_URL, help="a server's maintenance DB")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway VAR_DIR")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return run_child(argv[1:])
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        log("wrk is not installed (apt-get install wrk)")
        return 2
    var_dir = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    try:
        with postgres_databases(args.database_url) as (urls, pg_version):
            result = measure(args, var_dir, urls)
    except throughput.BenchError as error:
        log(f"FAILED: {error}")
        return 1
    finally:
        if args.keep:
            log(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    print(render_markdown(result, args, pg_version))
    if args.json:
        phases = result["phases"]
        payload = {
            "phases": [
                {
                    "label": p.label,
                    "rate": p.rate,
                    "median_ms": statistics.median(p.latencies_ms),
                    "p95_ms": percentile(p.latencies_ms, 0.95),
                    "worker_cpu_ms": p.worker_cpu_ms,
                }
                for p in phases
            ],
            "baseline": vars(result["baseline"]),
            "verified": result["verified"],
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
