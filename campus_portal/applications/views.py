"""The applicant's pages: start, consent, fill in, submit, follow, withdraw.

Views only translate HTTP into service calls; the rules live in services/permissions.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campus_portal.applications import services
from campus_portal.applications.models import Application, Channel
from campus_portal.applications.selectors import application_for, my_applications
from campus_portal.catalog.models import Office
from campus_portal.catalog.selectors import matter_get
from data_warehouse.selectors import data_items_describe

DRAFTABLE = (Application.State.DRAFT, Application.State.SUPPLEMENT)


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
    handler = services.handler_for(matter)
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
        {"matter": matter, "handler": handler, "draft": draft},
    )


def _consent_items(handler) -> list[dict[str, str]]:
    items = data_items_describe(keys=list(handler.data_needs))
    names = dict(Office.objects.values_list("code", "name"))
    for item in items:
        item["office"] = names.get(item["office_code"], item["office_code"])
    return items


@login_required
def application_form(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    if application.state not in DRAFTABLE:
        return redirect("applications:detail", reference=reference)
    handler = services.registry.get(application.handler_key)
    if handler is None:
        raise Http404
    if handler.data_needs and not application.consent_id:
        return render(
            request,
            "applications/consent.html",
            {"application": application, "handler": handler, "items": _consent_items(handler)},
        )
    form_class = handler.form_class
    form = form_class(request.POST or None, initial=application.answers) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.application_submit(
                application,
                actor=request.user,
                answers=_jsonable(form.cleaned_data) if form else {},
                idempotency_key=request.POST.get("idempotency_key", "")[:64] or uuid.uuid4().hex,
                channel=_channel(request),
            )
        except services.TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            return redirect("applications:detail", reference=reference)
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


def _jsonable(data: dict) -> dict:
    return {
        key: value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        for key, value in data.items()
    }


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
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "steps": application.steps.all(),
            "events": application.events.all(),
            "snapshot": application.snapshot.values(),
            "is_applicant": application.applicant_id == request.user.pk,
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
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/list.html",
        {"applications": my_applications(request.user)[:200]},
    )
