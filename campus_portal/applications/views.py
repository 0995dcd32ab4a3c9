"""The applicant's pages: start, consent, fill in, submit, follow, withdraw.

Views only translate HTTP into service calls; the rules live in services/permissions. The
panels of the apps that follow the lifecycle (delivery, ratings, results, documents) are
template includes with their own template tags: this module imports none of them.
"""

from __future__ import annotations

import contextlib
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campus_portal.applications import services
from campus_portal.applications.assignees import AssigneeRefused
from campus_portal.applications.models import Application, Channel
from campus_portal.applications.selectors import (
    application_for,
    application_view,
    extensions_granted,
    handler_for,
    matter_how_to_apply,
    my_applications,
)
from campus_portal.applications.supplement import (
    supplement_fields_add,
    supplement_fresh_attachments,
)
from campus_portal.applications.viewing import application_data_viewed
from campus_portal.attachments.services import attachment_store, attachments_discard
from campus_portal.catalog.models import Office
from campus_portal.catalog.selectors import matter_get
from campus_portal.plugin_api import ApplicationForm, UploadField, is_attachment, registry
from data_warehouse.selectors import data_items_describe

DRAFTABLE = (Application.State.DRAFT, Application.State.SUPPLEMENT)
# Decided, not yet closed: the applicant may confirm receipt (办结).
DECIDED = (
    Application.State.APPROVED,
    Application.State.REJECTED,
    Application.State.NOT_ACCEPTED,
)


def _channel(request: HttpRequest) -> str:
    """Phones get the same pages; the channel is told apart for the 105号 mobile target."""
    agent = request.headers.get("user-agent", "")
    return (
        Channel.PHONE if any(t in agent for t in ("Mobile", "Android", "iPhone")) else Channel.WEB
    )


@login_required
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    matter = matter_get(code=code)
    if matter is None:
        raise Http404
    handler = handler_for(matter)
    draft = my_applications(request.user).filter(matter=matter, state__in=DRAFTABLE).first()
    if request.method == "POST" and handler is not None:
        if draft is None:
            draft = services.application_start(
                user=request.user, matter=matter, channel=_channel(request)
            )
        return redirect("applications:form", reference=draft.reference)
    return render(
        request,
        "applications/apply_start.html",
        {
            "matter": matter,
            "handler": handler,
            "draft": draft,
            # Without online service the page says what to do instead (as the guide does).
            "how": matter_how_to_apply(matter=matter, handler=handler),
        },
    )


def _consent_items(needs) -> list[dict[str, str]]:
    items = data_items_describe(keys=list(needs))
    names = dict(Office.objects.values_list("code", "name"))
    for item in items:
        item["office"] = names.get(item["office_code"], item["office_code"])
    return items


@login_required
def application_form(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    if application.state not in DRAFTABLE:
        return redirect("applications:detail", reference=reference)
    handler = registry.get(application.handler_key)
    if handler is None:
        raise Http404
    view = services.application_view(application)
    needs = handler.data_needs_for(view)
    if needs and not application.consent_id:
        return render(
            request,
            "applications/consent.html",
            {"application": application, "handler": handler, "items": _consent_items(needs)},
        )
    form = _handler_form(handler.form_class_for(view), request, application)
    if request.method == "GET":  # window staff filling the form in see the applicant's data
        application_data_viewed(
            application=application, viewer=request.user, items=list(application.snapshot)
        )
    if request.method == "POST" and "save_draft" in request.POST:
        return _draft_save(request, application, form)
    if request.method == "POST" and (form is None or form.is_valid()):
        mode, address = _delivery_choice(request)
        key = request.POST.get("idempotency_key", "")[:64] or uuid.uuid4().hex
        stored: list = []
        try:
            with _uploads_atomic(form):
                services.application_submit(
                    application,
                    actor=request.user,
                    answers=_answers(form, application, request.user, key, stored),
                    idempotency_key=key,
                    channel=_channel(request),
                    delivery_mode=mode,
                    delivery_address=address,
                )
        except AssigneeRefused as refused:
            attachments_discard(stored)
            if form is None:
                messages.error(request, str(refused))
            for field, problems in refused.problems.items() if form is not None else ():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except services.TransitionRefused as refused:
            attachments_discard(stored)
            messages.error(request, str(refused))
        except ValidationError as invalid:  # the store's own check; the form checked first
            attachments_discard(stored)
            form.add_error(None, invalid)
        else:
            return redirect("applications:detail", reference=reference)
    elif request.method == "POST":
        _uploads_keep(request, application, form)
    return render(
        request,
        "applications/form.html",
        {
            "application": application,
            "handler": handler,
            "form": form,
            "snapshot": application.snapshot.values(),
            "idempotency_key": uuid.uuid4().hex,
        },
    )


DELIVERY_PREFIX = "delivery-"  # the delivery app's fields on the form (delivery/choice.html)


def _delivery_choice(request: HttpRequest) -> tuple[str | None, dict | None]:
    """The delivery mode and address as posted (checked or not: a draft keeps what was typed,
    the submit is checked by the delivery app); ``(None, None)`` when the form did not show
    the choice (keep what was saved, or the matter's default)."""
    data = request.POST
    if f"{DELIVERY_PREFIX}mode" not in data:
        return None, None
    address = {
        key: str(data.get(f"{DELIVERY_PREFIX}{key}", "")).strip()[:300]
        for key in ("name", "phone", "address")
    }
    return str(data.get(f"{DELIVERY_PREFIX}mode", "")).strip()[:16], address


def _uploads_atomic(form):
    """One transaction for the stored uploads and the submit, so a refused submit keeps no
    attachment rows. A form without upload fields writes nothing before the submit, whose own
    transaction is enough: no outer block, hence no savepoint round trips for it."""
    if form is not None and any(isinstance(f, UploadField) for f in form.fields.values()):
        return transaction.atomic()
    return contextlib.nullcontext()


def _handler_form(form_class, request: HttpRequest, application: Application):
    """The handler's form, bound to the POST and its files; ``ApplicationForm``s also get the
    application as the handler sees it (for rules such as "not the applicant themself")."""
    supplementing = application.state == Application.State.SUPPLEMENT
    if form_class is None and not (supplementing and application.supplement_notice):
        return None
    form_class = form_class or forms.Form  # a form of only the supplement's answers
    kwargs = {"initial": dict(application.answers)}
    if issubclass(form_class, ApplicationForm):
        kwargs["application"] = application_view(application)
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if supplementing:
        supplement_fields_add(
            form,
            notice=application.supplement_notice,
            materials=application.matter.materials.values_list("name", flat=True),
            fresh=supplement_fresh_attachments(application),
        )
    return form


def _answers(form, application: Application, user, key: str, stored: list) -> dict:
    """The cleaned form as JSON; each new upload is stored (appended to ``stored``) and its
    answer is the attachment's summary. A field without a new file keeps its earlier answer
    (``UploadField`` returns it). A replayed submission (same key) stores nothing again."""
    if form is None:
        return {}
    replay = None  # asked only when there is a new upload to store
    answers = {}
    for name, value in form.cleaned_data.items():
        field = form.fields[name]
        if not isinstance(field, UploadField):
            answers[name] = _jsonable({name: value})[name]
            continue
        if isinstance(value, UploadedFile) and replay is None:
            replay = Application.objects.filter(idempotency_key=key).exists()
        if isinstance(value, UploadedFile) and not replay:
            attachment = _upload_store(field, name, value, application, user)
            stored.append(attachment)
            answers[name] = attachment.summary()
        else:
            answers[name] = dict(value) if is_attachment(value) else None
    return answers


def _draft_answers(form, application: Application, user, stored: list) -> dict:
    """What the applicant typed and chose so far: the cleaned value where a field is valid,
    else what was posted (as its widget reads it, so a date range keeps both typed days), so
    that nothing is lost. A new upload that passes its field's checks is stored (appended to
    ``stored``) and kept with the draft; earlier attachments stay in the answers."""
    if form is None:
        return {}
    form.is_valid()  # fills cleaned_data for the fields that are valid
    cleaned = getattr(form, "cleaned_data", {})
    answers = {}
    for name, field in form.fields.items():
        if isinstance(field, UploadField):
            if isinstance(cleaned.get(name), UploadedFile):
                attachment = _upload_store(field, name, cleaned[name], application, user)
                stored.append(attachment)
                answers[name] = attachment.summary()
            continue
        if name in cleaned:
            answers[name] = _jsonable({name: cleaned[name]})[name]
            continue
        posted = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if isinstance(posted, (list, tuple)):
            answers[name] = [str(value)[:2000] for value in posted if value is not None]
        elif posted not in (None, ""):
            answers[name] = str(posted)[:2000]
    return answers


def _upload_store(field: UploadField, name: str, upload, application: Application, user):
    return attachment_store(
        application=application,
        field_name=name,
        upload=upload,
        user=user,
        label=str(field.label or name),
        content_types=field.content_types,
        max_bytes=field.max_bytes,
    )


def _uploads_keep(request: HttpRequest, application: Application, form) -> None:
    """A submit that fails validation still keeps the files that passed their checks (with
    the draft), so the applicant chooses them only once; what was typed stays in the form."""
    cleaned = getattr(form, "cleaned_data", {})
    if not any(isinstance(value, UploadedFile) for value in cleaned.values()):
        return
    stored: list = []
    try:
        with transaction.atomic():
            answers = {}
            for name, field in form.fields.items():
                if isinstance(field, UploadField) and isinstance(cleaned.get(name), UploadedFile):
                    attachment = _upload_store(
                        field, name, cleaned[name], application, request.user
                    )
                    stored.append(attachment)
                    answers[name] = attachment.summary()
            services.application_save_draft(
                application, actor=request.user, answers=answers, channel=_channel(request)
            )
    except (services.TransitionRefused, ValidationError):
        attachments_discard(stored)


def _draft_save(request: HttpRequest, application: Application, form) -> HttpResponse:
    mode, address = _delivery_choice(request)
    stored: list = []
    try:
        with _uploads_atomic(form):
            services.application_save_draft(
                application,
                actor=request.user,
                answers=_draft_answers(form, application, request.user, stored),
                channel=_channel(request),
                delivery_mode=mode,
                delivery_address=address,
            )
    except services.TransitionRefused as refused:
        attachments_discard(stored)
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Draft saved. You can continue from any device under “My applications”."),
        )
    return redirect("applications:form", reference=application.reference)


def _jsonable(data: dict) -> dict:
    """JSON values as they are (a multiple choice stays a list of its values); anything else,
    such as a date or a decimal, as its string."""
    return {key: _json_value(value) for key, value in data.items()}


def _json_value(value):
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return str(value)


@login_required
@require_POST
def application_consent(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    try:
        services.application_consent(application, actor=request.user, channel=_channel(request))
    except services.TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("applications:form", reference=reference)


@login_required
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    application_data_viewed(
        application=application, viewer=request.user, items=list(application.snapshot)
    )
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "steps": application.steps.all(),
            "events": application.events.all(),
            "snapshot": application.snapshot.values(),
            "is_applicant": application.applicant_id == request.user.pk,
            "decided_states": DECIDED,
            "extensions": (extensions := extensions_granted(application)),
            "extension_total": sum(extension.days for extension in extensions),
        },
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    try:
        services.application_withdraw(application, actor=request.user, channel=_channel(request))
    except PermissionDenied:
        raise
    except services.TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("applications:detail", reference=reference)


@login_required
@require_POST
def application_close(request: HttpRequest, reference: str) -> HttpResponse:
    """办结: the applicant confirms they have the decision (or the result), closing the case.

    The service checks who may (applicant side or involved staff) and that it is decided.
    """
    application = application_for(request.user, reference, request=request)
    try:
        services.application_close(application, actor=request.user, channel=_channel(request))
    except services.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The application is closed."))
    return redirect("applications:detail", reference=reference)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/list.html",
        {"applications": my_applications(request.user)[:200]},
    )
