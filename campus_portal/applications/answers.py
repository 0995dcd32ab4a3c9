"""Answers as people read them: the form's labels and choice names, not field names and codes.

Answers are stored as the handler's form cleaned them (JSON), keyed by field name. Staff need
the question the applicant saw and the option they chose; an uploaded file appears as its name
(the attachments list beside it has the download link).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from campus_portal.applications.supplement import supplement_label
from campus_portal.plugin_api import ApplicationView, MatterHandler
from campus_portal.plugin_api.uploads import is_attachment


def _display(field, value: Any) -> str:
    if is_attachment(value):
        return str(value.get("name", ""))
    choices = dict(getattr(field, "choices", None) or ()) if field is not None else {}
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(choices.get(value, value))


def answers_labelled(
    handler: MatterHandler | None,
    answers: dict,
    *,
    application: ApplicationView | None = None,
    notice: list[str] | None = None,
) -> list[tuple[str, str]]:
    """(label, value) pairs in the form's order; answers the form no longer has come last
    under their field name, so nothing the applicant said is hidden after a plugin changes.
    ``application`` picks the form of that application (a configured matter's version);
    ``notice`` (the supplement notice) labels the answers given to its items."""
    form_class = None
    if handler is not None:
        form_class = (
            handler.form_class_for(application) if application is not None else handler.form_class
        )
    form = form_class() if form_class else None
    fields = dict(form.fields) if form is not None else {}
    rows = [
        (str(field.label or name), _display(field, answers[name]))
        for name, field in fields.items()
        if name in answers and answers[name] not in ("", None)
    ]
    rows += [
        (supplement_label(name, notice or []) or name, _display(None, value))
        for name, value in answers.items()
        if name not in fields and value not in ("", None)
    ]
    return rows


def answers_oversize_problem(answers: dict) -> str | None:
    """Why ``answers`` are too big to keep, or None.

    Why: a draft is saved unvalidated (it may be incomplete), and a field repeated in the
    POST arrives as a list — 8,000 copies of one field stored 8 MB although each value is cut
    at 2,000 characters. A draft's answers are bounded as a whole (JSON size,
    ``APPLICATION_ANSWERS_MAX_BYTES``) and per field (number of values,
    ``APPLICATION_ANSWER_MAX_VALUES``), and a bigger save is refused, not cut, so that nothing
    typed is silently lost.
    """
    for name, value in answers.items():
        if isinstance(value, list) and len(value) > settings.APPLICATION_ANSWER_MAX_VALUES:
            return _(
                "The field “%(name)s” was sent %(count)s times; at most %(max)s values are kept."
            ) % {"name": name, "count": len(value), "max": settings.APPLICATION_ANSWER_MAX_VALUES}
    size = len(json.dumps(answers, ensure_ascii=False, default=str).encode())
    if size > settings.APPLICATION_ANSWERS_MAX_BYTES:
        return _(
            "The answers take %(size)s KB; at most %(max)s KB can be saved. Shorten the longest "
            "texts and save again."
        ) % {"size": size // 1024, "max": settings.APPLICATION_ANSWERS_MAX_BYTES // 1024}
    return None
