"""The kiosk's pages. Each one turns a touch into one service call and renders the answer.

Rules live in the services (campus_portal.applications, .queueing; hall_kiosk.services); these
views only carry the device (``request.kiosk``) and the person (``request.kiosk_user``) there.
"""

from __future__ import annotations

import io
import uuid

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campus_portal.applications import services as lifecycle
from campus_portal.applications.models import Application, Channel
from campus_portal.catalog.selectors import matter_get
from campus_portal.delivery import selectors as delivery_selectors
from campus_portal.delivery import services as delivery_services
from campus_portal.plugin_api import ApplicationForm
from campus_portal.queueing import selectors as queue_selectors
from campus_portal.queueing import services as queue_services
from campus_portal.queueing.models import ServiceCategory, Ticket
from data_warehouse.selectors import data_items_describe
from hall_kiosk import selectors, services
from hall_kiosk.kiosk_session import (
    DEVICE_COOKIE,
    LANGUAGE_KEY,
    PENDING_CARD_KEY,
    PREFS_KEY,
    kiosk_sign_in,
    kiosk_sign_out,
    kiosk_view,
    no_store,
)
from hall_kiosk.models import PrintJob
from hall_kiosk.printable import printable_document

DRAFTABLE = (Application.State.DRAFT, Application.State.SUPPLEMENT)
PREF_VALUES = {"text": {"normal", "large"}, "contrast": {"normal", "high"}}


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image file for the next person to find in a cache)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


# --- Device, preferences, signing in and out ---------------------------------------------------


def enrol(request: HttpRequest, code: str) -> HttpResponse:
    """Opened once on the kiosk itself: the GET asks, the POST enrols (a link preview or a
    prefetch cannot use up the code)."""
    error = ""
    if request.method == "POST":
        try:
            _kiosk, token = services.kiosk_enrol(code=code, ip_address=_ip(request))
        except services.KioskRefused as refused:
            error = str(refused)
        else:
            response = redirect("hall_kiosk:home")
            response.set_cookie(
                DEVICE_COOKIE,
                token,
                max_age=10 * 365 * 24 * 3600,
                secure=request.is_secure(),
                httponly=True,
                samesite="Strict",
            )
            return no_store(response)
    return no_store(
        render(request, "hall_kiosk/enrol.html", {"error": error}, status=400 if error else 200)
    )


@kiosk_view(kinds=("terminal", "display"))
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """Language, text size and contrast: kept in the session, so the next person starts afresh."""
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        request.session[LANGUAGE_KEY] = language
    prefs = dict(request.session.get(PREFS_KEY, {}))
    for name, values in PREF_VALUES.items():
        if request.POST.get(name) in values:
            prefs[name] = request.POST[name]
    request.session[PREFS_KEY] = prefs
    next_url = request.POST.get("next", "")
    if not (
        next_url.startswith("/kiosk/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    ):
        next_url = reverse("hall_kiosk:home")
    return redirect(next_url)


@kiosk_view
def home(request: HttpRequest) -> HttpResponse:
    """The start screen: sign in (card or QR), or take a ticket / collect without signing in."""
    if request.kiosk_user is not None:
        return render(request, "hall_kiosk/menu.html")
    return render(request, "hall_kiosk/start.html")


@kiosk_view
@require_POST
def card_swipe(request: HttpRequest) -> HttpResponse:
    try:
        credential = services.card_sign_in_start(
            card_number=request.POST.get("card_number", ""),
            kiosk=request.kiosk,
            ip_address=_ip(request),
        )
    except services.KioskRefused as refused:
        messages.error(request, str(refused))
        return redirect("hall_kiosk:home")
    request.session[PENDING_CARD_KEY] = credential.pk
    return redirect("hall_kiosk:pin")


@kiosk_view
def pin(request: HttpRequest) -> HttpResponse:
    credential_id = request.session.get(PENDING_CARD_KEY)
    if credential_id is None:
        return redirect("hall_kiosk:home")
    if request.method == "POST":
        try:
            user = services.card_pin_verify(
                credential_id=credential_id,
                pin=request.POST.get("pin", "")[:12],
                kiosk=request.kiosk,
                ip_address=_ip(request),
            )
        except services.KioskRefused as refused:
            messages.error(request, str(refused))
        else:
            kiosk_sign_in(request, user)
            return redirect("hall_kiosk:home")
    return render(request, "hall_kiosk/pin.html", {"digits": "123456789"})


@kiosk_view
def qr_sign_in(request: HttpRequest) -> HttpResponse:
    qr, token = services.qr_sign_in_start(kiosk=request.kiosk)
    url = request.build_absolute_uri(reverse("kiosk_qr_confirm", args=[token]))
    return render(
        request,
        "hall_kiosk/qr.html",
        {
            "qr": qr,
            "svg": qr_svg(url),
            "url": url,
            "poll_url": reverse("hall_kiosk:qr_poll", args=[qr.pk]),
            "valid_seconds": settings.KIOSK_QR_SECONDS,
        },
    )


@kiosk_view
def qr_poll(request: HttpRequest, qr_id: int) -> JsonResponse:
    """The kiosk asks every two seconds whether the phone has confirmed."""
    user = services.qr_sign_in_collect(kiosk=request.kiosk, qr_id=qr_id)
    if user is None:
        return JsonResponse({"signed_in": False})
    kiosk_sign_in(request, user)
    return JsonResponse({"signed_in": True, "next": reverse("hall_kiosk:home")})


@kiosk_view(kinds=("terminal", "display"))
def sign_out(request: HttpRequest) -> HttpResponse:
    """Idle timeout, the 退出 button and every finished task end here."""
    kiosk_sign_out(request)
    reason = request.GET.get("reason", "")
    response = redirect(
        reverse("hall_kiosk:home") + ("?signed_out=idle" if reason == "idle" else "")
    )
    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


# --- Applying ------------------------------------------------------------------------------------


@kiosk_view(signed_in=True)
def matters(request: HttpRequest) -> HttpResponse:
    return render(request, "hall_kiosk/matters.html", {"matters": selectors.kiosk_matters()})


def _kiosk_matter(code: str):
    matter = matter_get(code=code)
    if matter is None or matter not in selectors.kiosk_matters():
        raise Http404
    return matter


def _form(handler, application: Application, data=None):
    view = lifecycle.application_view(application)
    form_class = handler.form_class_for(view)
    if form_class is None:
        return None
    kwargs = {"initial": application.answers}
    if issubclass(form_class, ApplicationForm):
        kwargs["application"] = view
    form = form_class(data, **kwargs)
    for field in form.fields.values():
        field.widget.attrs.update({"autocomplete": "off", "class": "kiosk-input"})
    return form


def _answers(form) -> dict:
    if form is None:
        return {}
    return {
        name: value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        for name, value in form.cleaned_data.items()
    }


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("x-requested-with") == "fetch"


@kiosk_view(signed_in=True)
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start (or resume) the application, ask for consent, then the form — one screen each.

    The submit is one service call: one transaction, keyed by the idempotency key the page
    was rendered with, so a submit whose answer was lost (network down) and is sent again
    makes one application, and a submit that never arrived makes none.
    """
    user = request.kiosk_user
    matter = _kiosk_matter(code)
    handler = lifecycle.handler_for(matter)
    key = request.POST.get("idempotency_key", "")[:64] if request.method == "POST" else ""
    sent = Application.objects.filter(applicant=user, idempotency_key=key).first() if key else None
    if sent is not None:  # the answer to an earlier send of this very form was lost
        done = reverse("hall_kiosk:application", args=[sent.reference])
        return JsonResponse({"ok": True, "next": done}) if _wants_json(request) else redirect(done)
    application = (
        Application.objects.filter(applicant=user, matter=matter, state__in=DRAFTABLE)
        .select_related("matter")
        .first()
    )
    if application is None:
        try:
            application = lifecycle.application_start(
                user=user, matter=matter, channel=Channel.KIOSK
            )
        except lifecycle.TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect("hall_kiosk:matters")
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "consent":
        try:
            lifecycle.application_consent(application, actor=user, channel=Channel.KIOSK)
        except lifecycle.TransitionRefused as refused:
            messages.error(request, str(refused))
        return redirect("hall_kiosk:apply", code=code)
    needs = handler.data_needs_for(lifecycle.application_view(application))
    if needs and not application.consent_id:
        return render(
            request,
            "hall_kiosk/consent.html",
            {
                "matter": matter,
                "handler": handler,
                "items": data_items_describe(keys=list(needs)),
            },
        )
    form = _form(handler, application, request.POST if action == "submit" else None)
    errors: list[str] = []
    if action == "submit":
        if form is None or form.is_valid():
            key = key or uuid.uuid4().hex
            try:
                lifecycle.application_submit(
                    application,
                    actor=user,
                    answers=_answers(form),
                    idempotency_key=key,
                    channel=Channel.KIOSK,
                )
            except lifecycle.TransitionRefused as refused:
                errors.append(str(refused))
            else:
                done = reverse("hall_kiosk:application", args=[application.reference])
                if _wants_json(request):
                    return JsonResponse({"ok": True, "next": done})
                return redirect(done)
        else:
            errors.extend(str(e) for field_errors in form.errors.values() for e in field_errors)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": errors}, status=400)
    return render(
        request,
        "hall_kiosk/form.html",
        {
            "matter": matter,
            "application": application,
            "form": form,
            "errors": errors,
            "snapshot": application.snapshot.values(),
            "idempotency_key": uuid.uuid4().hex,
        },
    )


@kiosk_view(signed_in=True)
def applications(request: HttpRequest) -> HttpResponse:
    """我的办件: the person's latest applications, with a print button where there is a result."""
    return render(
        request,
        "hall_kiosk/applications.html",
        {"applications": selectors.my_kiosk_applications(user=request.kiosk_user)},
    )


def _own_application(request: HttpRequest, reference: str) -> Application:
    application = (
        Application.objects.filter(applicant=request.kiosk_user, reference=reference)
        .select_related("matter")
        .first()
    )
    if application is None:
        raise Http404
    return application


@kiosk_view(signed_in=True)
def application(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request, reference)
    document = printable_document(application=application, actor=request.kiosk_user)
    portal_url = request.build_absolute_uri(reverse("applications:detail", args=[reference]))
    return render(
        request,
        "hall_kiosk/application.html",
        {
            "application": application,
            "document": document,
            "can_print": document is not None and bool(request.kiosk.printer_name),
            "portal_svg": qr_svg(portal_url),
        },
    )


@kiosk_view(signed_in=True)
@require_POST
def print_start(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request, reference)
    try:
        job = services.print_job_start(
            kiosk=request.kiosk, person=request.kiosk_user, application=application
        )
    except services.KioskRefused as refused:
        messages.error(request, str(refused))
        return redirect("hall_kiosk:application", reference=reference)
    return redirect("hall_kiosk:print_job", job_id=job.pk)


def _job(request: HttpRequest, job_id: int) -> PrintJob:
    job = selectors.print_job_for(kiosk=request.kiosk, job_id=job_id, person=request.kiosk_user)
    if job is None:
        raise Http404
    return job


@kiosk_view(signed_in=True)
def print_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = services.print_job_refresh(job=_job(request, job_id))
    return render(
        request,
        "hall_kiosk/print_job.html",
        {"job": job, "status_url": reverse("hall_kiosk:print_status", args=[job.pk])},
    )


@kiosk_view(signed_in=True, poll=True)
def print_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = services.print_job_refresh(job=_job(request, job_id))
    return JsonResponse({"state": job.state})


@kiosk_view(signed_in=True)
@require_POST
def print_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = services.print_job_retry(job=_job(request, job_id), person=request.kiosk_user)
    except services.KioskRefused as refused:
        messages.error(request, str(refused))
        return redirect("hall_kiosk:print_job", job_id=job_id)
    return redirect("hall_kiosk:print_job", job_id=job.pk)


# --- Pickup locker ------------------------------------------------------------------------------


@kiosk_view
def locker(request: HttpRequest) -> HttpResponse:
    """Collect a result from the pickup locker: type the pickup code, or — signed in — choose
    one of one's own waiting results (their codes are not shown on the screen). An open door
    is a finished task: the person is signed out."""
    person = request.kiosk_user
    waiting = list(delivery_selectors.locker_pickups_for(user=person)) if person else []
    if request.method == "POST":
        code = request.POST.get("code", "")
        chosen = _int(request.POST.get("delivery"))
        if chosen is not None:  # one of the signed-in person's own results
            code = next((d.pickup_code for d in waiting if d.pk == chosen), "") or ""
        try:
            pickup = delivery_services.locker_pickup_open(
                code=code[:16], kiosk_id=str(request.kiosk.number), actor=person
            )
        except lifecycle.TransitionRefused as refused:  # wrong code, controller failure
            messages.error(request, str(refused))
            return redirect("hall_kiosk:locker")
        kiosk_sign_out(request)
        return render(request, "hall_kiosk/locker_open.html", {"pickup": pickup})
    return render(request, "hall_kiosk/locker.html", {"waiting": waiting})


# --- Queue tickets -------------------------------------------------------------------------------


@kiosk_view
def queue(request: HttpRequest) -> HttpResponse:
    """取号 — with or without signing in; a finished ticket signs the person out."""
    if request.method == "POST":
        category = ServiceCategory.objects.filter(
            pk=_int(request.POST.get("category")), active=True
        ).first()
        if category is None:
            messages.error(request, _("Choose a service."))
        else:
            try:
                ticket = queue_services.ticket_take(
                    category=category,
                    person=request.kiosk_user,
                    kiosk_id=str(request.kiosk.number),
                )
            except queue_services.QueueRefused as refused:
                messages.error(request, str(refused))
            else:
                kiosk_sign_out(request)
                request.session["kiosk_ticket"] = ticket.pk
                return redirect("hall_kiosk:ticket")
    return render(request, "hall_kiosk/queue.html", {"queues": queue_selectors.queue_overview()})


@kiosk_view
def ticket(request: HttpRequest) -> HttpResponse:
    """The ticket just taken, shown once (the next person does not see it)."""
    ticket_id = request.session.pop("kiosk_ticket", None)
    ticket = (
        Ticket.objects.select_related("category")
        .filter(pk=ticket_id, kiosk_id=str(request.kiosk.number))
        .first()
    )
    if ticket is None:
        return redirect("hall_kiosk:home")
    ahead = queue_selectors.tickets_waiting_ahead(ticket=ticket)
    return render(
        request,
        "hall_kiosk/ticket.html",
        {
            "ticket": ticket,
            "ahead": ahead,
            "wait_minutes": queue_selectors.queue_wait_minutes(
                category=ticket.category, ahead=ahead
            ),
        },
    )


@kiosk_view(kinds=("display", "terminal"))
def hall_display(request: HttpRequest) -> HttpResponse:
    """The hall screen: the number called last, big, and the calls before it."""
    called = queue_selectors.tickets_called_recently()
    return render(
        request,
        "hall_kiosk/hall_display.html",
        {
            "latest": called[0] if called else None,
            "earlier": called[1:],
            "queues": queue_selectors.queue_overview(),
            "refresh_seconds": settings.KIOSK_DISPLAY_REFRESH_SECONDS,
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
