"""Moved to ``platform_common.tabular``: shared with the data warehouse, which imports nothing
of ``campus_portal``. This name stays for callers not yet changed."""

from platform_common.tabular import *  # noqa: F403
