"""Reading attachments: only through an application the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from campus_portal.attachments.models import Attachment


@dataclass(frozen=True)
class AttachmentRow:
    attachment: Attachment
    label: str
    current: bool  # still the answer to its field (not replaced in a supplement round)


def attachments_listed(application, *, labels: dict[str, str]) -> list[AttachmentRow]:
    """The application's attachments, oldest first, with their field's label (``labels``: field
    name → label, from the handler's form); the caller has already checked that the user may
    see the application."""
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


def attachment_ids_since(*, application, since) -> list[int]:
    """Ids of the application's files uploaded at or after ``since`` (a supplement round's)."""
    return list(
        Attachment.objects.filter(application=application, uploaded_at__gte=since).values_list(
            "pk", flat=True
        )
    )
