"""How guide facts are worded for people (shared by pages, the API and exports)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_PROCESS_SEPARATORS = re.compile(r"\s*(?:→|->|—>|＞|>|\n)\s*")


def visit_label(visits_required: int) -> str:
    """一次不用跑 for none, 最多跑一次 for one, otherwise the number of visits."""
    if visits_required == 0:
        return _("No visit needed")
    if visits_required == 1:
        return _("At most one visit")
    return ngettext("%(n)d visit", "%(n)d visits", visits_required) % {"n": visits_required}


def visit_level(visits_required: int) -> str:
    """A stable CSS/API code for the visit promise: ``zero``, ``one`` or ``more``."""
    return {0: "zero", 1: "one"}.get(visits_required, "more")


def split_process(process: str) -> list[str]:
    """Split "申请→审核→出具" (or one step per line) into its steps."""
    return [step for step in _PROCESS_SEPARATORS.split(process or "") if step]
