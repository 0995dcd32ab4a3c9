"""Plausible values for checking an office's edited result template before it is saved (the
model's ``clean`` and the admin preview render with them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def sample_context() -> dict[str, Any]:
    """Plausible values for checking an edited template before it is saved."""
    return {
        "applicant_name": "张晓明",
        "title": "在读证明",
        "body": "兹证明……",
        "fields": [("用途", "办理签证")],
        "matter_title": "在读证明开具",
        "reference": "XW20261202ABCDEF",
        "number": "XW20261202ABCDEF-ZM-0000",
        "submitted_on": "2026年12月2日",
        "issued_on": "2026年12月2日",
        "office_name": "教务处",
        "university": settings.UNIVERSITY_NAME,
        "result_name": "在读证明",
        "reason": "",
    }
