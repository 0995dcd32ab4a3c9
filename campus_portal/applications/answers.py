"""Answers as people read them: the form's labels and choice names, not field names and codes.

Answers are stored as the handler's form cleaned them (JSON), keyed by field name. Staff need
the question the applicant saw and the option they chose; an uploaded file appears as its name
(the attachments list beside it has the download link).
"""

from __future__ import annotations

from typing import Any

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
