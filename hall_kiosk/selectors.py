"""Reads for the kiosk pages: the device presenting a token, a person's print jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from campus_portal.applications.models import Application
from campus_portal.applications.selectors import handler_for
from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.selectors import matter_queryset
from campus_portal.plugin_api import UploadField
from hall_kiosk.hashing import digest
from hall_kiosk.models import Kiosk, PrintJob


def kiosk_for_token(*, token: str) -> Kiosk | None:
    """The enrolled, active kiosk presenting ``token``; None for anything else."""
    if not token:
        return None
    return (
        Kiosk.objects.filter(token_digest=digest(token), active=True)
        .exclude(token_digest="")
        .first()
    )


def kiosk_matters() -> list[MatterPage]:
    """Published matters offered at the kiosk: the guide lists the kiosk channel and the
    matter takes online applications whose form needs no upload (no scanner at a kiosk)."""
    matters = []
    for matter in matter_queryset().filter(handler_binding__enabled=True):
        if "kiosk" not in (matter.channels or []):
            continue
        handler = handler_for(matter)
        # A configured matter's upload slots are in its published version's form.
        form_class = handler.form_class_for_matter(matter.code) if handler else None
        if handler is None or (
            form_class is not None
            and any(isinstance(f, UploadField) for f in form_class.base_fields.values())
        ):
            continue
        matters.append(matter)
    return matters


def my_kiosk_applications(*, user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("matter")[:20]


def print_job_for(*, kiosk: Kiosk, job_id: int, person) -> PrintJob | None:
    return PrintJob.objects.filter(pk=job_id, kiosk=kiosk, person=person).first()
