"""The admin screen for importing students and staff exports into the warehouse.

The views only move the file and call the tasks module; what an import does lives in
``sources/record_import.py``, and the work runs in the Celery worker (``tasks.py``): the upload
is checked first (problems by row and column, nothing imported), then applied on confirmation.
Registered in ``wagtail_hooks.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied

from data_warehouse.models.records import RecordImport
from data_warehouse.sources.record_import import max_bytes
from data_warehouse.tasks import (
    record_import_confirm,
    record_import_progress,
    record_import_start,
)
from platform_common.tabular import ImportRejected, check_size

IMPORT_PERMISSION = "data_warehouse.import_records"
ALLOWED_SUFFIXES = (".csv", ".xlsx")


class RecordUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of records"), choices=RecordImport.Kind)
    file = forms.FileField(
        label=gettext_lazy("Export (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        try:
            check_size(upload.size, max_bytes())  # before reading a byte of it
        except ImportRejected as rejected:
            raise forms.ValidationError([p.message for p in rejected.problems]) from rejected
        return upload


def _require_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


def stewards_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 403 to users without ``import_records``.

    Wagtail's admin wrapper would turn ``PermissionDenied`` into a redirect to the dashboard;
    a plain 403 makes the refusal explicit (and testable) for a screen that handles personal
    data.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            _require_permission(request)
        except PermissionDenied as denied:
            return permission_denied(request, denied)
        return view(request, *args, **kwargs)

    return wrapped


@stewards_only
def record_import_upload(request: HttpRequest) -> HttpResponse:
    form = RecordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = record_import_start(
            kind=form.cleaned_data["kind"],
            name=upload.name,
            data=b"".join(upload.chunks()),
            user=request.user.get_username(),
        )
        return redirect("warehouse_record_import_status", import_id=job.pk)
    recent = RecordImport.objects.defer("data")[:10]
    return TemplateResponse(
        request, "data_warehouse/admin/record_import_upload.html", {"form": form, "recent": recent}
    )


def _job(import_id: int) -> RecordImport:
    """The import without its file: pages only need its status and report."""
    return get_object_or_404(RecordImport.objects.defer("data"), pk=import_id)


@stewards_only
def record_import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    job = _job(import_id)
    return TemplateResponse(
        request,
        "data_warehouse/admin/record_import_status.html",
        {"record": job, "report": job.report, "progress": record_import_progress(job.pk)},
    )


@stewards_only
def record_import_progress_json(request: HttpRequest, import_id: int) -> JsonResponse:
    job = _job(import_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            **record_import_progress(job.pk),
        }
    )


@require_POST
@stewards_only
def record_import_confirm_view(request: HttpRequest, import_id: int) -> HttpResponse:
    _job(import_id)  # 404 for an unknown import
    if not record_import_confirm(import_id):
        messages.warning(request, _("This import is not waiting for confirmation."))
    return redirect("warehouse_record_import_status", import_id=import_id)
