"""Downloading, verifying and revoking result documents. Views are thin: the rules are in
``services``/``selectors``; the rate limit of the public verify page is here because it is
about HTTP clients, not documents."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campus_portal.applications.selectors import application_for
from campus_portal.common.client_address import client_address
from campus_portal.delivery.services import delivery_electronic_downloaded
from campus_portal.documents.downloads import pdf_attachment
from campus_portal.results.forms import VerifyUploadForm
from campus_portal.results.selectors import (
    issued_document_by_number,
    issued_document_pdf,
    upload_verify,
)
from campus_portal.results.services import (
    ResultNotAvailable,
    RevocationRefused,
    result_document_issue,
    result_document_revoke,
)
from campus_portal.results.signing import SigningUnavailable

logger = logging.getLogger(__name__)


@login_required
@require_GET
def result_download(request: HttpRequest, reference: str) -> HttpResponse:
    """THE download of an application's result document (the one place to hook delivery in).

    Only the applicant and the application's staff get it (``application_for``: others get a
    logged 404); it is issued here if the Celery task has not done it yet.
    """
    application = application_for(request.user, reference, request=request)
    try:
        document = result_document_issue(application=application, actor=request.user)
    except ResultNotAvailable as missing:
        raise Http404 from missing
    except SigningUnavailable:
        logger.exception("cannot issue the result of %s: no signing key", reference)
        return render(request, "results/unavailable.html", status=503)
    try:
        pdf = issued_document_pdf(document=document)
    except FileNotFoundError:  # storage not mounted here, or a restore without the files
        logger.exception("the file of result document %s is missing", document.number)
        return render(request, "results/unavailable.html", status=503)
    # For an electronic result the applicant's own download is the delivery (issue 7).
    delivery_electronic_downloaded(application=application, user=request.user)
    return pdf_attachment(
        pdf,
        ascii_name=document.ascii_filename,
        display_name=document.display_filename,
    )


def _client_address(request: HttpRequest) -> str:
    # The same client address as the sign-in limits (behind the proxy: the real client's).
    return client_address(request) or "unknown"


def _rate_limited(request: HttpRequest, bucket: str) -> bool:
    """Count one attempt of this client in ``bucket``; True once over the limit of the window
    (``RESULTS_VERIFY_RATE_LIMIT``, "attempts/seconds"). Numbers are unguessable already; this
    makes trying many of them, or uploading many files, slow as well."""
    attempts, seconds = (int(part) for part in settings.RESULTS_VERIFY_RATE_LIMIT.split("/"))
    key = f"results:rate:{bucket}:{_client_address(request)}"
    try:
        if cache.add(key, 1, seconds):
            return False
        return cache.incr(key) > attempts
    except Exception:  # a cache outage must not close verification
        logger.warning("verify rate limit unavailable", exc_info=True)
        return False


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "results/verify.html", {"limited": True}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, number: str | None = None) -> HttpResponse:
    """Public: is the document genuine, still valid or revoked? Shows only the masked copy of
    what the document itself shows; a POSTed PDF is checked by signature and by its bytes."""
    document = issued_document_by_number(number=number) if number else None
    if number and document is None and _rate_limited(request, "miss"):
        return _limited(request)
    form = VerifyUploadForm()
    upload = None
    if request.method == "POST":
        if _rate_limited(request, "upload"):
            return _limited(request)
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = upload_verify(data=form.cleaned_data["file"], number=number)
            document = document or upload.document
    status = 404 if number and document is None else 200
    if form.errors:
        status = 400
    context = {"number": number, "document": document, "form": form, "upload": upload}
    return render(request, "results/verify.html", context, status=status)


@login_required
@require_POST
def result_revoke(request: HttpRequest, number: str) -> HttpResponse:
    """An office revokes a document it issued (workbench page); others get 404 or 403."""
    document = issued_document_by_number(number=number)
    if document is None:
        raise Http404
    application = application_for(request.user, document.application.reference, request=request)
    try:
        # The service checks who may revoke before it looks at the reason.
        result_document_revoke(
            document=document, actor=request.user, reason=request.POST.get("reason", "")[:500]
        )
    except RevocationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The document %(number)s is revoked.") % {"number": number})
    return redirect("workbench:detail", application.reference)
