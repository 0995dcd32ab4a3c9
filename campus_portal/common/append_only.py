"""Moved to ``platform_common.append_only``: shared with the data warehouse, which imports nothing
of ``campus_portal``. This name stays for callers not yet changed."""

from platform_common.append_only import *  # noqa: F403
