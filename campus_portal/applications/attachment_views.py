"""The only way an uploaded file leaves the server: to someone who may view its application.

It lives with the lifecycle, not in ``attachments``: the rule is the application's (who may
view it), and the attachments app sits below the lifecycle."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from campus_portal.applications.permissions import may
from campus_portal.applications.selectors import application_for
from campus_portal.applications.viewing import application_data_viewed
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record


@login_required
def attachment_download(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    """The file as a download (never rendered inline), with its detected type and ``nosniff``.

    Someone who may not view the application gets the same 404 as for a missing file, and the
    attempt is logged (``application_for`` logs it).
    """
    application = application_for(request.user, reference, request=request)
    if not may(request.user, application, "view"):
        security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=request.user.get_username(),
            ip_address=request.META.get("REMOTE_ADDR", ""),
            detail={"application": reference[:40], "via": "attachment"},
        )
        raise Http404
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    application_data_viewed(
        application=application,
        viewer=request.user,
        items=[f"attachment:{attachment.original_name}"],
        view_of=f"attachment:{attachment.pk}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
