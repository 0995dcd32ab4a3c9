"""Run every benchmark and print one markdown report (``make bench``).

Runs ``bench.bench_throughput`` (gunicorn + wrk) and then ``bench.bench_search`` (search over
2,000 matters), each in its own process because each sets Django up on its own throwaway
``VAR_DIR``, one after the other so they do not compete for the CPU. Progress goes to stderr,
the report to stdout, headed by what the numbers depend on: CPU count and model, load average,
Python, Django and Wagtail versions. docs/performance.md records a run and explains it.

Run: ``python bench/run_all.py [--only throughput|search] [--quick]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS: dict[str, tuple[str, list[str]]] = {
    # name: (module, extra arguments for --quick)
    "throughput": ("bench.bench_throughput", ["--duration", "3", "--warmup", "1"]),
    "search": ("bench.bench_search", ["--matters", "300", "--repeat", "10"]),
    "import": ("bench.bench_import", ["--rows", "200", "--changed", "20"]),
    "prefill": ("bench.bench_prefill", ["--persons", "2000", "--reads", "50"]),
    "ldap_sync": ("bench.bench_ldap_sync", ["--people", "2000"]),
    "record_import": ("bench.bench_record_import", ["--rows", "2000", "--changed", "100"]),
    "submit": ("bench.bench_submit", ["--students", "100", "--sequential", "10"]),
    "dashboard": ("bench.bench_dashboard", ["--applications", "100000", "--repeat", "3"]),
}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def command_output(args: Sequence[str]) -> str:
    try:
        completed = subprocess.run(args, capture_output=True, text=True, check=False)
    except OSError:
        return "not found"
    return (completed.stdout or completed.stderr).strip().splitlines()[0]


def machine_markdown() -> str:
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}" for name in ("Django", "wagtail", "gunicorn")
    )
    return "\n".join(
        [
            "## Machine",
            "",
            f"- Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            f"- CPU: `nproc` = {command_output(['nproc'])}, {cpu_model()}",
            f"- Load average before the run: {load}",
            f"- {platform.platform()}; Python {platform.python_version()}; {versions}",
            f"- {command_output(['wrk', '--version'])}",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--quick", action="store_true", help="short runs, small catalog")
    args = parser.parse_args(argv)
    sections = ["# Benchmarks", "", machine_markdown()]
    failed = []
    for name, (module, quick_args) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        print(f"== {name} ==", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", module, *(quick_args if args.quick else [])]
        completed = subprocess.run(
            command, cwd=REPO, stdout=subprocess.PIPE, text=True, check=False
        )
        if completed.returncode != 0:
            failed.append(name)
            sections.append(f"## {name}\n\nFAILED (exit {completed.returncode}); see stderr.\n")
        else:
            sections.append(completed.stdout)
    print("\n".join(sections))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
