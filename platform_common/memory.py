"""A cap on the memory one piece of work may take (imports of uploaded files).

Why: the checks before parsing (platform_common.xlsx_limits) refuse the files we know to
be dangerous; the cap is the second line for the ones we did not think of. Parsing an upload
runs inside :func:`address_space_capped`, which lowers the process's address-space limit
(``RLIMIT_AS``) to what it uses now plus a budget, and restores it afterwards. Past the budget
an allocation fails with ``MemoryError``, which the importer turns into a refusal — instead of
the kernel killing the only worker, or the worker swapping the machine to a halt.

The limit is per process: it belongs in a Celery worker (one task per process at a time) or a
management command. ``IMPORT_MEMORY_LIMIT_MB`` sets the budget (0: no cap); where the platform
has no ``resource`` module (Windows) nothing is capped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import resource
except ImportError:  # pragma: no cover - not on POSIX
    resource = None  # type: ignore[assignment]


def address_space_used() -> int:
    """Bytes of address space the process holds now (VmSize)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def address_space_capped(*, budget_bytes: int) -> Iterator[None]:
    """Run the block with at most ``budget_bytes`` more address space than the process has."""
    if budget_bytes <= 0 or resource is None or not os.path.exists("/proc/self/statm"):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = address_space_used() + budget_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already capped at least as tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
