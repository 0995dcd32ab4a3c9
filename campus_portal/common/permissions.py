"""Moved to ``platform_common.permissions``: shared with the data warehouse, which imports nothing
of ``campus_portal``. This name stays for callers not yet changed."""

from platform_common.permissions import *  # noqa: F403
