"""Throughput of the portal under gunicorn, measured with wrk.

What is measured: requests per second (and latency) that ``gunicorn`` with 2 sync workers serves
on this machine for

(a) a bare baseline view (``bench.baseline``: one query, one small template),
(b) the catalog home ``/`` (about 100 matters),
(c) a guide page ``/jwc/sf-jwc-003/``,
(d) a search page ``/?q=cjd``,
(e) the API ``/api/v1/matters/?q=cjd``,

all of them with the default settings (anonymous page cache on, persistent DB connections);
(a)-(d) with the page cache off (``PAGE_CACHE_SECONDS=0``); (a)-(c) and (e) also without
persistent connections (``DATABASE_CONN_MAX_AGE=0``). Each server configuration has its own
baseline, and the ratios are taken against it.

Why: the portal pages are read far more often than they change, and the target is that a guide
page and the catalog home keep at least 50 % of the throughput of a bare Django view. Comparing
with a baseline measured in the same run, on the same machine and stack, makes the ratio
meaningful across machines even though the absolute numbers are not.

Each measurement starts when the CPU is quiet and is repeated (at most 3 times, the least
disturbed kept) when other processes took more than 15 % of the CPU meanwhile, because the
machine may be shared; the share is reported per row.

Everything runs in a throwaway ``VAR_DIR`` (SQLite database, file cache, broker folders): the
script migrates, loads the demo data, and removes the folder at the end (``--keep`` keeps it).
Environment variables that would point the run at another database or cache are dropped.
Before timing, each URL is fetched and must answer HTTP 200 with the text expected on it.

Run: ``python -m bench.bench_throughput`` (markdown on stdout, progress on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    from bench import machine
except ModuleNotFoundError:  # run as a script (python bench/bench_throughput.py)
    import machine  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SETTINGS_MODULE = "bench.settings"
WORKERS = 2
# A measurement during which other processes used more than this share of the CPU is repeated.
DISTURBED = 0.15
ATTEMPTS = 3
# Variables that would send the benchmark to a shared database, cache or broker, or change
# what is measured; the run always uses the embedded defaults inside its own VAR_DIR.
DROPPED_ENV = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "CELERY_BROKER_URL",
    "CELERY_BROKER_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PAGE_CACHE_SECONDS",
    "DJANGO_DEBUG",
    "DJANGO_SECURE",
    "PYTEST_XDIST_WORKER",
)


@dataclass(frozen=True)
class Target:
    """One URL to measure and what its response must contain (and must not)."""

    key: str
    label: str
    path: str
    expect: tuple[str, ...]
    reject: tuple[str, ...] = ()
    # Whether the anonymous page cache is expected to serve it (when the cache is on).
    page_cached: bool = True


TARGETS: dict[str, Target] = {
    t.key: t
    for t in (
        Target(
            "baseline",
            "(a) baseline view",
            "/bench/baseline/",
            expect=("bench-baseline", "JWC"),
            page_cached=False,
        ),
        Target(
            "catalog",
            "(b) catalog home",
            "/",
            expect=("共 100 项事项", "学生集体户口迁入", "SF-BWC-001", 'rel="next"'),
        ),
        Target(
            "guide",
            "(c) guide page",
            "/jwc/sf-jwc-003/",
            expect=("成绩单打印", 'data-code="SF-JWC-003"'),
        ),
        Target(
            "search",
            "(d) search page",
            "/?q=cjd",
            expect=("成绩单打印", "SF-JWC-003"),
            reject=("校园卡补办",),
        ),
        Target(
            "api",
            "(e) API search",
            "/api/v1/matters/?q=cjd",
            expect=('"code":"SF-JWC-003"', "成绩单打印"),
            reject=("校园卡补办",),
            page_cached=False,
        ),
    )
}


@dataclass(frozen=True)
class ServerConfig:
    """One gunicorn start: extra environment and the targets measured against it."""

    key: str
    label: str
    env: dict[str, str]
    targets: tuple[str, ...]


CONFIGS: tuple[ServerConfig, ...] = (
    ServerConfig(
        "default",
        "Default settings (page cache 300 s, DATABASE_CONN_MAX_AGE=60)",
        {},
        ("baseline", "catalog", "guide", "search", "api"),
    ),
    ServerConfig(
        "uncached",
        "Page cache off (PAGE_CACHE_SECONDS=0), persistent connections on",
        {"PAGE_CACHE_SECONDS": "0"},
        # Search pages are cached per query string; real queries are a long tail of misses.
        ("baseline", "catalog", "guide", "search"),
    ),
    ServerConfig(
        "uncached-no-persistent",
        "Page cache off and no persistent connections (DATABASE_CONN_MAX_AGE=0)",
        {"PAGE_CACHE_SECONDS": "0", "DATABASE_CONN_MAX_AGE": "0"},
        ("baseline", "catalog", "guide", "api"),
    ),
)


@dataclass
class WrkResult:
    requests_per_second: float
    requests: int
    latency_p50_ms: float
    latency_p99_ms: float
    non_2xx: int
    socket_errors: int
    # Share of the machine's CPU time used by processes other than gunicorn and wrk while wrk
    # ran: the machine may be shared, and a high value means the run was disturbed.
    other_cpu: float = 0.0


@dataclass
class Measurement:
    target: Target
    page_cache: str  # X-Page-Cache of a repeated request: "hit", "miss" or "-"
    body_bytes: int
    wrk: WrkResult


@dataclass
class ConfigResult:
    config: ServerConfig
    measurements: list[Measurement] = field(default_factory=list)

    def rps(self, key: str) -> float | None:
        for m in self.measurements:
            if m.target.key == key:
                return m.wrk.requests_per_second
        return None


class BenchError(RuntimeError):
    """A page is broken or the server would not start: nothing is timed."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Environment and server -------------------------------------------------------------------


def base_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run_step(args: Sequence[str], env: dict[str, str]) -> float:
    """Run a setup command in the repository; return its wall time in seconds."""
    started = time.perf_counter()
    completed = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return time.perf_counter() - started


def free_port() -> int:
    """A free TCP port on 127.0.0.1 below 32768 (outside Linux's ephemeral range)."""
    start = 20000 + os.getpid() % 10000
    for offset in range(12768):
        port = 20000 + (start - 20000 + offset) % 12768
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise BenchError("no free port below 32768")


def http_get(url: str, timeout: float = 30.0) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "zh-hans"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode(errors="replace")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_file: Path) -> Iterator[tuple[str, int]]:
    """Serve ``config.wsgi:application`` with 2 sync workers; yield base URL and master pid."""
    port = free_port()
    args = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--workers", str(WORKERS),
        "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--chdir", str(REPO),
        "--log-level", "warning",
        "--error-logfile", str(log_file),
    ]  # fmt: skip
    server = subprocess.Popen(args, cwd=REPO, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise BenchError(f"gunicorn exited ({server.returncode}); see {log_file}")
            with contextlib.suppress(OSError):
                if http_get(f"{base}/healthz", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchError("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield base, server.pid
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


# --- Checking and timing ---------------------------------------------------------------------


def check_target(base: str, target: Target, *, cache_on: bool) -> tuple[str, int]:
    """Fetch twice: HTTP 200, expected text present, rejected text absent; cache as expected.

    Returns the ``X-Page-Cache`` header of the second fetch and the body size.
    """
    url = base + target.path
    status, _, body = http_get(url)
    problems = []
    if status != 200:
        problems.append(f"HTTP {status}")
    problems += [f"missing {text!r}" for text in target.expect if text not in body]
    problems += [f"unexpected {text!r}" for text in target.reject if text in body]
    status2, headers, body2 = http_get(url)
    if status2 != 200 or (body2 != body and target.page_cached and cache_on):
        problems.append(f"second fetch differs (HTTP {status2})")
    page_cache = headers.get("X-Page-Cache", "-")
    expected_cache = "hit" if cache_on and target.page_cached else "-"
    if page_cache != expected_cache:
        problems.append(f"X-Page-Cache is {page_cache!r}, expected {expected_cache!r}")
    if problems:
        raise BenchError(f"{target.label} {url}: " + "; ".join(problems) + f"\n{body[:2000]}")
    return page_cache, len(body.encode())


_DURATION_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"cannot read wrk duration {text!r}")
    return float(match.group(1)) * _DURATION_UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    def number(pattern: str, default: str | None = None) -> str:
        match = re.search(pattern, output)
        if match is None:
            if default is None:
                raise BenchError(f"unexpected wrk output:\n{output}")
            return default
        return match.group(1)

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)")),
        requests=int(number(r"(\d+) requests in")),
        latency_p50_ms=_duration_ms(number(r"\s50%\s+([\d.]+\w+)")),
        latency_p99_ms=_duration_ms(number(r"\s99%\s+([\d.]+\w+)")),
        non_2xx=int(number(r"Non-2xx or 3xx responses:\s+(\d+)", "0")),
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    )


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(
    url: str, *, threads: int, connections: int, seconds: int, server_pid: int
) -> WrkResult:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    before = (time.monotonic(), machine.busy_seconds(), machine.process_tree_seconds(server_pid))
    wrk_before = children_seconds()
    completed = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.monotonic() - before[0]
    busy = machine.busy_seconds() - before[1]
    ours = machine.process_tree_seconds(server_pid) - before[2] + children_seconds() - wrk_before
    if completed.returncode != 0:
        raise BenchError(f"wrk failed: {completed.stderr}")
    result = parse_wrk(completed.stdout)
    result.other_cpu = max(0.0, busy - ours) / (wall * machine.CPUS)
    return result


# --- Report -----------------------------------------------------------------------------------


def ratio(value: float, reference: float | None) -> str:
    return f"{100 * value / reference:.0f} %" if reference else "–"


def render_markdown(
    results: list[ConfigResult], *, setup: dict[str, float], args: argparse.Namespace
) -> str:
    lines = [
        "## Throughput (gunicorn, wrk)",
        "",
        f"gunicorn {WORKERS} sync workers on 127.0.0.1, `wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s --latency` after a {args.warmup} s warm-up per URL; demo catalog "
        f"(100 matters) in a throwaway SQLite `VAR_DIR`. Setup: migrate {setup['migrate']:.1f} s, "
        f'`load_demo_data` {setup["load_demo_data"]:.1f} s. "vs baseline": share of the '
        "baseline's req/s in the same server configuration. \"other CPU\": share of the machine's "
        "CPU used "
        "by processes other than gunicorn and wrk during the measurement (high = disturbed run).",
        "",
    ]
    for result in results:
        baseline = result.rps("baseline")
        lines += [
            f"### {result.config.label}",
            "",
            "| URL | req/s | vs baseline | p50 ms | p99 ms | X-Page-Cache | body KB | errors "
            "| other CPU |",
            "|---|---:|---:|---:|---:|---|---:|---:|---:|",
        ]
        for m in result.measurements:
            errors = m.wrk.non_2xx + m.wrk.socket_errors
            lines.append(
                f"| {m.target.label} `{m.target.path}` | {m.wrk.requests_per_second:,.0f} "
                f"| {ratio(m.wrk.requests_per_second, baseline)} | {m.wrk.latency_p50_ms:.1f} "
                f"| {m.wrk.latency_p99_ms:.1f} | {m.page_cache} | {m.body_bytes / 1024:.1f} "
                f"| {errors} | {100 * m.wrk.other_cpu:.0f} % |"
            )
        lines.append("")
    return "\n".join(lines)


# --- Main -------------------------------------------------------------------------------------


def least_disturbed(run: Callable[[], WrkResult]) -> WrkResult:
    """Measure when the CPU is quiet; if others still took much of it, measure again.

    At most ``ATTEMPTS`` runs; the one during which other processes used the least CPU is kept.
    """
    best: WrkResult | None = None
    for attempt in range(1, ATTEMPTS + 1):
        machine.wait_for_quiet()
        result = run()
        if best is None or result.other_cpu < best.other_cpu:
            best = result
        if result.other_cpu <= DISTURBED:
            break
        log(f"[throughput] attempt {attempt} disturbed ({result.other_cpu:.0%} other CPU)")
    assert best is not None
    return best


def measure(args: argparse.Namespace, var_dir: Path) -> tuple[list[ConfigResult], dict[str, float]]:
    env = base_env(var_dir)
    (var_dir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns otherwise
    python = str(BIN / "python")
    log(f"[throughput] VAR_DIR={var_dir}: migrate …")
    setup = {"migrate": run_step([python, "manage.py", "migrate", "--noinput", "-v0"], env)}
    log("[throughput] load_demo_data …")
    setup["load_demo_data"] = run_step([python, "manage.py", "load_demo_data"], env)
    results = []
    for config in CONFIGS:
        if args.only_default and config.key != "default":
            continue
        config_env = {**env, **config.env}
        cache_on = int(config_env.get("PAGE_CACHE_SECONDS", "300")) > 0
        result = ConfigResult(config)
        with gunicorn(config_env, var_dir / f"gunicorn-{config.key}.log") as (base, server_pid):
            for key in config.targets:
                target = TARGETS[key]
                page_cache, size = check_target(base, target, cache_on=cache_on)
                url = base + target.path
                log(f"[throughput] {config.key}: {target.label} {target.path} warm-up …")
                load = {
                    "threads": args.threads,
                    "connections": args.connections,
                    "server_pid": server_pid,
                }
                run_wrk(url, **load, seconds=args.warmup)
                wrk = least_disturbed(
                    functools.partial(run_wrk, url, **load, seconds=args.duration)
                )
                rps = wrk.requests_per_second
                log(f"[throughput] {config.key}: {target.label}: {rps:,.0f} req/s")
                result.measurements.append(Measurement(target, page_cache, size, wrk))
        results.append(result)
    return results, setup


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per URL")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only-default", action="store_true", help="skip the uncached runs")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway VAR_DIR")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        log("wrk is not installed (apt-get install wrk)")
        return 2
    var_dir = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    try:
        results, setup = measure(args, var_dir)
    except BenchError as error:
        log(f"[throughput] FAILED: {error}")
        return 1
    finally:
        if args.keep:
            log(f"[throughput] kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    print(render_markdown(results, setup=setup, args=args))
    if args.json:
        payload = {
            "setup_seconds": setup,
            "configs": {
                r.config.key: {m.target.key: vars(m.wrk) for m in r.measurements} for r in results
            },
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
