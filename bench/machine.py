"""How busy the machine is, so that a benchmark can wait for quiet and say if it was disturbed.

The benchmarks often run on a shared development machine (2 cores): a test suite started by
someone else halves every number. Each timed section therefore waits until the CPU is mostly idle
and reports the share of CPU that other processes used while it ran.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1


def busy_seconds() -> float:
    """CPU seconds all processors have spent busy since boot (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def process_tree_seconds(pid: int) -> float:
    """CPU seconds used by process ``pid`` and its direct children (e.g. gunicorn's workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        fields = text[text.rindex(")") + 2 :].split()
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLOCK_TICKS


def wait_for_quiet(*, threshold: float = 0.2, window: float = 1.0, timeout: float = 120.0) -> float:
    """Wait until the CPU is busy less than ``threshold`` (share of all CPUs) over ``window``.

    Gives up after ``timeout`` seconds; returns the last measured share.
    """
    deadline = time.monotonic() + timeout
    warned = False
    while True:
        before = busy_seconds()
        time.sleep(window)
        share = (busy_seconds() - before) / (window * CPUS)
        if share < threshold or time.monotonic() > deadline:
            return share
        if not warned:
            print(f"[machine] CPU {share:.0%} busy; waiting for quiet …", file=sys.stderr)
            warned = True
