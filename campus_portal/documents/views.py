"""Downloading a notice. Whoever may see the application may download its notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from campus_portal.applications.selectors import application_for
from campus_portal.documents.downloads import pdf_attachment
from campus_portal.documents.notices import notice_get, notice_pdf


@login_required
@require_GET
def notice_download(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """The notice as a PDF attachment; 404 for others' applications (logged by
    ``application_for``) and for a notice that has not been issued yet."""
    application = application_for(request.user, reference, request=request)
    notice = notice_get(application, kind)
    if notice is None:
        raise Http404
    return pdf_attachment(
        notice_pdf(application, notice),
        ascii_name=notice.ascii_filename,
        display_name=notice.display_filename,
    )
