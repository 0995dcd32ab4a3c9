"""The admin screen: export by offices, matters or everything; import with the dry-run diff,
on-screen choices for the references this instance lacks, then confirm.

The uploaded archive waits in a private folder under ``VAR_DIR`` between the dry run and the
confirmation (its name is random and carries the uploader's id); the confirmation imports
exactly the bytes the diff was computed from.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campus_portal.catalog.models import MatterPage, Office
from campus_portal.config_transfer.archive import MAX_ARCHIVE_BYTES, ArchiveRefused
from campus_portal.config_transfer.diff import KIND_LABELS, UNCHANGED
from campus_portal.config_transfer.permissions import may_transfer
from campus_portal.config_transfer.references import (
    MappingRefused,
    choices_for,
    mapping_parse,
)
from campus_portal.config_transfer.scope import Scope
from campus_portal.config_transfer.services import configuration_export, configuration_import

TOKEN = re.compile(r"^[0-9a-f]{32}$")
PROBLEM_LABELS = {
    "offices": gettext_lazy("Office"),
    "data_items": gettext_lazy("Data item"),
    "handlers": gettext_lazy("Matter handler"),
    "fonts": gettext_lazy("Template font"),
    "staff": gettext_lazy("Staff for a step office"),
    "versions": gettext_lazy("Published version"),
}


class ExportForm(forms.Form):
    offices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Offices"),
        queryset=Office.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave offices and matters empty to export everything."),
    )
    matters = forms.CharField(
        label=gettext_lazy("Matter codes"),
        required=False,
        help_text=gettext_lazy("Separated by spaces or commas."),
    )

    def clean_matters(self) -> list[str]:
        codes = [c for c in re.split(r"[\s,，]+", self.cleaned_data["matters"]) if c]
        known = set(MatterPage.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Unknown matter codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return codes


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("Configuration archive (.zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
    mapping = forms.FileField(
        label=gettext_lazy("Mapping file (optional, JSON)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(_("The archive is too large."))
        return upload


def _require(request: HttpRequest) -> None:
    if not may_transfer(request.user):
        raise PermissionDenied


def _pending_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "config-transfer"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_path(request: HttpRequest, token: str, suffix: str) -> Path:
    if not TOKEN.match(token or ""):
        raise PermissionDenied
    return _pending_dir() / f"{request.user.pk}-{token}.{suffix}"


def transfer_home(request: HttpRequest) -> HttpResponse:
    _require(request)
    export_form = ExportForm(request.POST if "export" in request.POST else None, prefix="export")
    if request.method == "POST" and "export" in request.POST and export_form.is_valid():
        offices = frozenset(o.code for o in export_form.cleaned_data["offices"])
        scope = Scope(offices=offices, matters=frozenset(export_form.cleaned_data["matters"]))
        response = HttpResponse(configuration_export(scope=scope), content_type="application/zip")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="configuration-{stamp}.zip"'
        return response
    import_form = ImportForm(prefix="import")
    return TemplateResponse(
        request,
        "config_transfer/home.html",
        {"export_form": export_form, "import_form": import_form},
    )


def _report_context(report, token: str) -> dict:
    kinds = []
    for kind, label in KIND_LABELS.items():
        entries = [e for e in report.entries if e.kind == kind]
        if entries:
            kinds.append(
                {
                    "label": label,
                    "entries": [e for e in entries if e.status != UNCHANGED],
                    "unchanged": sum(e.status == UNCHANGED for e in entries),
                }
            )
    problems = [
        {
            "problem": p,
            "label": PROBLEM_LABELS.get(p.kind, p.kind),
            "field": f"map-{p.kind}-{p.name}",
            "choices": choices_for(p.kind) if p.blocking and p.kind != "versions" else [],
        }
        for p in report.problems
    ]
    return {"report": report, "kinds": kinds, "problems": problems, "token": token}


def _choices(request: HttpRequest, report_problems) -> dict[str, dict[str, str]]:
    mapping: dict[str, dict[str, str]] = {}
    for problem in report_problems:
        chosen = request.POST.get(f"map-{problem.kind}-{problem.name}", "")
        if chosen and chosen in {value for value, _label in choices_for(problem.kind)}:
            mapping.setdefault(problem.kind, {})[problem.name] = chosen
    return mapping


def transfer_import(request: HttpRequest) -> HttpResponse:
    """Upload → dry run and diff; then the same archive with choices → import or diff again."""
    _require(request)
    if request.method != "POST":  # the archive comes from the form on the home screen
        return HttpResponseNotAllowed(["POST"])
    errors: list[str] = []
    if "token" in request.POST:
        token = request.POST["token"]
        path = _pending_path(request, token, "zip")
        if not path.exists():
            errors.append(_("This import has expired; upload the archive again."))
            return _home_with(request, errors)
        data, filename = path.read_bytes(), request.POST.get("filename", "archive.zip")[:200]
        mapping_path = _pending_path(request, token, "json")
        mapping = (
            mapping_parse(data=mapping_path.read_bytes(), filename="mapping.json")
            if mapping_path.exists()
            else {}
        )
        confirm = request.POST.get("confirm") == "1"
    else:
        form = ImportForm(request.POST, request.FILES, prefix="import")
        if not form.is_valid():
            return TemplateResponse(
                request, "config_transfer/home.html",
                {"export_form": ExportForm(prefix="export"), "import_form": form},
            )  # fmt: skip
        upload = form.cleaned_data["archive"]
        data, filename = upload.read(), upload.name[:200]
        mapping = {}
        token = secrets.token_hex(16)
        if form.cleaned_data["mapping"]:
            raw = form.cleaned_data["mapping"].read()
            try:
                mapping = mapping_parse(data=raw, filename=form.cleaned_data["mapping"].name)
            except MappingRefused as refused:
                return _home_with(request, [refused.message])
            _pending_path(request, token, "json").write_bytes(raw)
        _pending_path(request, token, "zip").write_bytes(data)
        confirm = False
    try:
        first = configuration_import(data=data, filename=filename, mapping=mapping, dry_run=True)
        for kind, entries in _choices(request, first.problems).items():
            mapping.setdefault(kind, {}).update(entries)
        report = configuration_import(
            data=data, filename=filename, mapping=mapping, dry_run=not confirm, user=request.user
        )
    except ArchiveRefused as refused:
        _pending_path(request, token, "zip").unlink(missing_ok=True)
        return _home_with(request, refused.messages)
    if report.applied:
        _pending_path(request, token, "zip").unlink(missing_ok=True)
        _pending_path(request, token, "json").unlink(missing_ok=True)
        return TemplateResponse(
            request, "config_transfer/done.html", _report_context(report, token)
        )
    context = _report_context(report, token)
    context["filename"] = filename
    context["mapping"] = mapping
    return TemplateResponse(request, "config_transfer/diff.html", context)


def _home_with(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return TemplateResponse(
        request,
        "config_transfer/home.html",
        {
            "export_form": ExportForm(prefix="export"),
            "import_form": ImportForm(prefix="import"),
            "errors": errors,
        },
        status=400,
    )
