"""Reading attachments: only through an application the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from campus_portal.attachments.models import Attachment


@dataclass(frozen=True)
class AttachmentRow:
    attachment: Attachment
    label: str
    current: bool  # still the answer to its field (not replaced in a supplement round)


def _field_labels(application) -> dict[str, str]:
    from campus_portal.plugin_api import ApplicationView, registry

    handler = registry.get(application.handler_key)
    view = ApplicationView(
        reference=application.reference,
        handler_key=application.handler_key,
        applicant_uid=application.applicant_uid or None,
        data={},
        answers=dict(application.answers or {}),
    )
    form_class = handler.form_class_for(view) if handler is not None else None
    fields = getattr(form_class, "base_fields", {}) if form_class else {}
    return {name: str(field.label or name) for name, field in fields.items()}


def attachments_listed(application) -> list[AttachmentRow]:
    """The application's attachments, oldest first, with their field's label; the caller has
    already checked that the user may see the application."""
    labels = _field_labels(application)
    current = {
        answer.get("attachment")
        for answer in (application.answers or {}).values()
        if isinstance(answer, dict)
    }
    return [
        AttachmentRow(
            attachment=attachment,
            label=labels.get(attachment.field_name, attachment.field_name),
            current=attachment.pk in current,
        )
        for attachment in application.attachments.all()
    ]
