"""Moved to ``platform_common.spreadsheets``: the importers' reading (``platform_common.tabular``)
undoes what our exports write, so both live below the data warehouse. This name stays for
callers not yet changed."""

from platform_common.spreadsheets import *  # noqa: F403
