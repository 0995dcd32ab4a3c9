"""Printing through CUPS with its own command-line tools (``lp``, ``lpstat``, ``cancel``).

The printer is outside what we run: it may be offline, out of paper or switched off. CUPS
tells us in two ways, and both become a ``PrinterError`` with a message for the person:

- ``lp`` itself fails (no such queue, the queue is not accepting jobs, cupsd unreachable);
- the job is accepted but does not print: the queue is *stopped* (CUPS stops a queue whose
  backend failed — paper out, device unreachable — or an operator disabled it). Such a job is
  cancelled, so that it cannot come out hours later for someone who took the electronic copy.

This module knows nothing about applications: it takes PDF bytes and a title. The server is
``KIOSK_CUPS_SERVER`` (``host:port``; empty for the machine's default CUPS).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from django.conf import settings

TIMEOUT_SECONDS = 15
_REQUEST_ID = re.compile(r"request id is (\S+)")


class PrinterError(Exception):
    """The printer cannot print this now; ``str()`` is CUPS's own reason (for the log)."""


@dataclass(frozen=True)
class JobStatus:
    state: str  # "printing", "completed", "stopped", "gone"
    reason: str = ""


def _server_args() -> list[str]:
    server = getattr(settings, "KIOSK_CUPS_SERVER", "")
    return ["-h", server] if server else []


def _run(command: list[str], *, data: bytes | None = None) -> subprocess.CompletedProcess:
    executable = shutil.which(command[0])
    if executable is None:
        raise PrinterError(f"{command[0]} is not installed (Debian package cups-client)")
    try:
        return subprocess.run(  # noqa: S603 (fixed executable, arguments are not a shell line)
            [executable, *command[1:]],
            input=data,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PrinterError(f"{command[0]} timed out") from error


def cups_print(*, printer: str, pdf: bytes, title: str) -> str:
    """Send ``pdf`` to ``printer``; the CUPS job id (``kiosk3-17``) once CUPS has accepted it."""
    if not printer:
        raise PrinterError("this kiosk has no printer configured")
    result = _run(
        [
            "lp",
            *_server_args(),
            "-d",
            printer,
            "-t",
            title[:100],
            "-o",
            "document-format=application/pdf",
            "-",
        ],
        data=pdf,
    )
    output = result.stdout.decode(errors="replace")
    match = _REQUEST_ID.search(output)
    if result.returncode != 0 or match is None:
        raise PrinterError((result.stderr.decode(errors="replace") or output).strip()[:500])
    job_id = match.group(1)
    status = cups_printer_stopped(printer=printer)
    if status:
        cups_cancel(job_id=job_id)
        raise PrinterError(status)
    return job_id


def cups_printer_stopped(*, printer: str) -> str:
    """The reason the queue is stopped (disabled), or "" when it is idle or printing."""
    result = _run(["lpstat", *_server_args(), "-p", printer])
    text = result.stdout.decode(errors="replace")
    if result.returncode != 0:
        return (result.stderr.decode(errors="replace") or text).strip()[:500] or "lpstat failed"
    first, _, rest = text.partition("\n")
    if " disabled " in f" {first} ":
        return rest.strip()[:500] or first.strip()[:500]
    return ""


def _jobs(printer: str, which: str) -> set[str]:
    result = _run(["lpstat", *_server_args(), "-W", which, "-o", printer])
    return {line.split()[0] for line in result.stdout.decode(errors="replace").splitlines() if line}


def cups_job_status(*, printer: str, job_id: str) -> JobStatus:
    """Where the job is now: still printing, completed, held on a stopped queue, or gone."""
    if job_id in _jobs(printer, "not-completed"):
        stopped = cups_printer_stopped(printer=printer)
        return JobStatus("stopped", stopped) if stopped else JobStatus("printing")
    if job_id in _jobs(printer, "completed"):
        return JobStatus("completed")
    return JobStatus("gone", "the job was cancelled or aborted")


def cups_cancel(*, job_id: str) -> None:
    _run(["cancel", *_server_args(), job_id])
