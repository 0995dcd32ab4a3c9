"""Admin screens for importing the micro-power list and exporting the catalog.

They only move files and call services/tasks; what an import does lives in ``services.py``.
Registered in ``wagtail_hooks.py``.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campus_portal.catalog.exports import catalog_xlsx
from campus_portal.catalog.importing.problems import ImportRejected
from campus_portal.catalog.importing.reading import check_size
from campus_portal.catalog.models import PowerListImport
from campus_portal.catalog.tasks import (
    import_progress,
    power_list_apply_task,
    power_list_check_task,
)

IMPORT_PERMISSION = "catalog.add_powerlistimport"
EXPORT_PERMISSION = "catalog.export_catalog"
ALLOWED_SUFFIXES = (".csv", ".xlsx")


class PowerListUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Micro-power list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        try:
            check_size(upload.size)  # before reading a byte of it
        except ImportRejected as rejected:
            raise forms.ValidationError([p.message for p in rejected.problems]) from rejected
        return upload


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def import_upload(request: HttpRequest) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    form = PowerListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        record = PowerListImport.objects.create(
            file=upload,
            original_name=upload.name[:255],
            sha256=digest.hexdigest(),
            created_by=request.user,
        )
        power_list_check_task.delay(record.pk)
        return redirect("catalog_import_status", import_id=record.pk)
    return TemplateResponse(
        request,
        "catalog/admin/import_upload.html",
        {"form": form, "recent": PowerListImport.objects.select_related("created_by")[:10]},
    )


def import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    record = get_object_or_404(PowerListImport, pk=import_id)
    return TemplateResponse(
        request,
        "catalog/admin/import_status.html",
        {"record": record, "report": record.report, "progress": import_progress(record.pk)},
    )


def import_progress_json(request: HttpRequest, import_id: int) -> JsonResponse:
    _require(request, IMPORT_PERMISSION)
    record = get_object_or_404(PowerListImport, pk=import_id)
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            **import_progress(record.pk),
        }
    )


@require_POST
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    updated = PowerListImport.objects.filter(
        pk=import_id, status=PowerListImport.Status.CHECKED, report__ok=True
    ).update(status=PowerListImport.Status.IMPORTING)
    if updated:  # a double-click confirms once: only the first request finds it CHECKED
        power_list_apply_task.delay(import_id)
    else:
        messages.warning(request, _("This import is not waiting for confirmation."))
    return redirect("catalog_import_status", import_id=import_id)


def catalog_export(request: HttpRequest) -> HttpResponse:
    _require(request, EXPORT_PERMISSION)
    high_frequency = request.GET.get("high_frequency") == "1"
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = (
        f"high-frequency-matters-{stamp}.xlsx" if high_frequency else f"matter-catalog-{stamp}.xlsx"
    )
    response = HttpResponse(
        catalog_xlsx(high_frequency=high_frequency),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def catalog_reports(request: HttpRequest) -> HttpResponse:
    _require(request, EXPORT_PERMISSION)
    return TemplateResponse(request, "catalog/admin/reports.html", {})
