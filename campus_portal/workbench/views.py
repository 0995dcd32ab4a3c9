"""The staff workbench pages. Views translate HTTP into selector reads and service calls only;
the rules live in ``campus_portal.applications.permissions`` and the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campus_portal.accounts.presence import METHODS as PRESENCE_METHODS
from campus_portal.accounts.presence import presence_challenge
from campus_portal.accounts.roles import scope_for
from campus_portal.applications import services as lifecycle
from campus_portal.applications.answers import answers_labelled
from campus_portal.applications.models import Application, Channel, Step, StepExtension
from campus_portal.applications.permissions import may
from campus_portal.applications.selectors import application_for
from campus_portal.applications.viewing import application_data_viewed
from campus_portal.delivery import services as delivery
from campus_portal.delivery.selectors import delivery_of
from campus_portal.plugin_api import registry
from campus_portal.queueing import selectors as queue_selectors
from campus_portal.queueing import services as queue_services
from campus_portal.queueing.models import Ticket
from campus_portal.workbench import selectors, supervision
from campus_portal.workbench import services as workbench_services

PAGE_SIZE = 25


def staff_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.workbench_allowed(request.user):
            if selectors.assignee_must_enrol(request.user):
                messages.info(
                    request, _("Set up two-factor authentication before using this service.")
                )
                return redirect("mfa_activate_totp")
            raise PermissionDenied("workbench")
        return view(request, *args, **kwargs)

    return wrapped


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.QueueFilters:
    get = request.GET
    return selectors.QueueFilters(
        matter=get.get("matter", "").strip()[:64],
        state=get.get("state", "") if get.get("state") in ("submitted", "in_progress") else "",
        office=get.get("office", "").strip()[:32],
        due_before=_date(get.get("due_before", "")),
        overdue_only=get.get("overdue") == "1",
    )


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    user = request.user
    steps = Paginator(selectors.queue_steps(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    acceptance = Paginator(selectors.queue_acceptance(user, filters), PAGE_SIZE).get_page(
        request.GET.get("apage")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("apage", None)
    return render(
        request,
        "workbench/queue.html",
        {
            "filters": filters,
            "steps": steps,
            "acceptance": acceptance,
            "now": timezone.now(),
            "offices": sorted(scope_for(user).processing_offices),
            "matters": selectors.queue_matter_choices(user),
            "query": query.urlencode(),
            "is_head": bool(selectors.head_offices(user)),
            "is_window": scope_for(user).is_window_staff,
            "window_started": selectors.window_started(user),
            "is_supervisor": supervision.supervision_allowed(user),
        },
    )


@staff_required
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    step_versions: dict[int, int | None] = {}
    for raw in request.POST.getlist("step"):
        step_id = _int(raw)
        if step_id is not None:
            step_versions[step_id] = _int(request.POST.get(f"version-{step_id}"))
    if not step_versions:
        messages.error(request, _("Select the steps to approve first."))
        return redirect("workbench:queue")
    result = workbench_services.steps_bulk_approve(
        actor=request.user,
        step_versions=step_versions,
        ip_address=request.META.get("REMOTE_ADDR", ""),
    )
    if result.succeeded:
        count = len(result.succeeded)
        messages.success(
            request,
            ngettext("%(count)d step approved.", "%(count)d steps approved.", count)
            % {"count": count},
        )
    for name, why in result.failed:
        messages.error(
            request, _("%(name)s was not approved: %(why)s") % {"name": name, "why": why}
        )
    return redirect("workbench:queue")


# --- One application ---------------------------------------------------------------------------


def _act(request: HttpRequest, application: Application) -> None:
    """Run the posted action through the services; refusals become messages."""
    post = request.POST
    action = post.get("action", "")
    version = _int(post.get("version"))
    user = request.user
    if action == "accept":
        lifecycle.application_accept(application, actor=user, version=version)
        messages.success(request, _("The application was accepted."))
    elif action == "not_accept":
        lifecycle.application_not_accept(
            application, actor=user, reason=post.get("reason", ""), version=version
        )
        messages.success(request, _("The application was not accepted."))
    elif action == "supplement":
        items = [*post.getlist("material"), *post.get("items", "").splitlines()]
        lifecycle.application_return_for_supplement(
            application, actor=user, items=items, version=version
        )
        messages.success(request, _("The application was returned for supplement."))
    elif action in ("approve", "reject"):
        step = application.steps.filter(pk=_int(post.get("step"))).first()
        if step is None:
            raise lifecycle.TransitionRefused(_("This step is not waiting for a decision."))
        lifecycle.step_finish(
            step,
            actor=user,
            approved=action == "approve",
            comment=post.get("comment", ""),
            version=version,
        )
        messages.success(request, _("Your decision on the step was recorded."))
    elif action == "close":
        lifecycle.application_close(application, actor=user)
        messages.success(request, _("The application is closed."))
    elif action == "transfer":
        step = application.steps.filter(pk=_int(post.get("step"))).first()
        if step is None:
            raise lifecycle.TransitionRefused(
                _("Only a step that is being processed can be transferred.")
            )
        moved = lifecycle.step_transfer(
            step,
            actor=user,
            to_office=post.get("to_office", "").strip()[:32],
            reason=post.get("reason", "")[:1000],
            version=version,
        )
        messages.success(
            request, _("The step was transferred to %(office)s.") % {"office": moved.office_code}
        )
    elif action == "extension_request":
        step = application.steps.filter(pk=_int(post.get("step"))).first()
        if step is None:
            raise lifecycle.TransitionRefused(
                _("Only a step that is being processed can be extended.")
            )
        lifecycle.step_extension_request(
            step,
            actor=user,
            days=post.get("days", "")[:6],
            reason=post.get("reason", "")[:4000],
            version=version,
        )
        messages.success(request, _("The extension was asked for; an office head decides."))
    elif action in ("extension_approve", "extension_refuse"):
        extension = StepExtension.objects.filter(
            pk=_int(post.get("extension")), step__application=application
        ).first()
        if extension is None:
            raise lifecycle.TransitionRefused(_("This extension has already been decided."))
        done = lifecycle.step_extension_decide(
            extension,
            actor=user,
            approve=action == "extension_approve",
            reason=post.get("reason", "")[:4000],
        )
        messages.success(
            request,
            _("The step is now due %(due)s.")
            % {"due": timezone.localtime(done.new_due_at).strftime("%Y-%m-%d")}
            if done.state == StepExtension.State.APPROVED
            else _("The extension was refused."),
        )
    elif action == "comment":
        workbench_services.application_comment(application, actor=user, text=post.get("text", ""))
        messages.success(request, _("The comment was added."))
    elif action in DELIVERY_ACTIONS:
        _deliver(request, application, action)
    elif action == "visit":
        lifecycle.visit_record(
            application,
            actor=user,
            channel=Channel.WINDOW,
            place=post.get("place", "").strip()[:100],
        )
        messages.success(request, _("The visit was recorded."))
    else:
        raise lifecycle.TransitionRefused(_("Unknown action."))


DELIVERY_ACTIONS = ("locker_deposit", "post_dispatch", "post_confirm", "window_handover")


def _deliver(request: HttpRequest, application: Application, action: str) -> None:
    """Delivery actions (campus_portal.delivery.services checks who may)."""
    user = request.user
    if action == "locker_deposit":
        done = delivery.locker_deposit(application=application, actor=user)
        messages.success(
            request,
            _("Deposited in compartment %(compartment)s; the applicant has the pickup code.")
            % {"compartment": done.compartment},
        )
    elif action == "post_dispatch":
        delivery.post_dispatch(
            application=application, actor=user, waybill=request.POST.get("waybill", "")[:40]
        )
        messages.success(request, _("The posting was recorded."))
    elif action == "post_confirm":
        delivery.post_delivered_confirm(application=application, actor=user)
        messages.success(request, _("The delivery is confirmed."))
    else:
        delivery.window_handover(application=application, actor=user)
        messages.success(request, _("The hand-over was recorded."))


@staff_required
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    if request.method == "POST":
        try:
            _act(request, application)
        except lifecycle.TransitionRefused as refused:
            messages.error(request, str(refused))
        if request.POST.get("action") == "transfer" and not may(request.user, application, "view"):
            return redirect("workbench:queue")  # transferred away: no longer this office's
        return redirect("workbench:detail", reference=reference)
    user = request.user
    steps = list(application.steps.all())
    application_data_viewed(application=application, viewer=user, items=list(application.snapshot))
    return render(
        request,
        "workbench/detail.html",
        {
            "application": application,
            "steps": steps,
            "events": application.events.all(),
            "snapshot": application.snapshot.values(),
            "answers": answers_labelled(
                registry.get(application.handler_key),
                application.answers,
                application=lifecycle.application_view(application),
                notice=application.supplement_notice,
            ),
            "my_steps": selectors.steps_actionable(user, application),
            "may_accept": may(user, application, "accept")
            and application.state == Application.State.SUBMITTED,
            "may_supplement": may(user, application, "return_for_supplement")
            and not application.supplement_used
            and application.state in (Application.State.SUBMITTED, Application.State.IN_PROGRESS),
            "may_close": may(user, application, "view")
            and application.state
            in (
                Application.State.APPROVED,
                Application.State.REJECTED,
                Application.State.NOT_ACCEPTED,
            ),
            "may_comment": may(user, application, "comment"),
            "may_visit": may(user, application, "record_visit"),
            "delivery": delivery_of(application),
            "may_deliver": application.office_code in scope_for(user).processing_offices
            or scope_for(user).is_window_staff,
            "transfer_steps": supervision.steps_transferable(user, application),
            "extension_steps": [
                (step, lifecycle.extension_days_left(step))
                for step in selectors.steps_extendable(user, application)
            ],
            "pending_extensions": selectors.extensions_decidable(user, application),
            "extension_total": sum(step.extended_days for step in steps),
            "transfer_offices": supervision.transfer_office_choices(),
            "materials": application.matter.materials.all(),
            "now": timezone.now(),
        },
    )


# --- Office heads ------------------------------------------------------------------------------


@staff_required
def office_overview(request: HttpRequest) -> HttpResponse:
    if not selectors.head_offices(request.user):
        raise PermissionDenied("office overview")
    now = timezone.now()
    late = supervision.overdue_steps(offices=selectors.head_offices(request.user), now=now)
    return render(
        request,
        "workbench/office.html",
        {
            "rows": selectors.office_counts(request.user),
            "overdue_rows": supervision.late_rows(late[:200], now=now),
        },
    )


# --- Supervision (督办) -----------------------------------------------------------------------


@login_required
def supervision_overview(request: HttpRequest) -> HttpResponse:
    """Overdue and escalated steps of every office, for supervisors and administrators."""
    if not supervision.supervision_allowed(request.user):
        raise PermissionDenied("supervision")
    if request.method == "POST":
        return _supervision_instruct(request)
    now = timezone.now()
    office = request.GET.get("office", "").strip()[:32]
    steps = supervision.overdue_steps(offices=[office] if office else None, now=now)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/supervision.html",
        {
            "page": page,
            "rows": supervision.late_rows(page.object_list, now=now),
            "counts": supervision.overdue_counts(now=now),
            "supervised": supervision.supervised_rows(),
            "may_instruct": scope_for(request.user).is_supervisor,
            "today": timezone.localdate(),
            "office": office,
            "offices": supervision.transfer_office_choices(),
        },
    )


def _supervision_instruct(request: HttpRequest) -> HttpResponse:
    """督办: the supervisor's instruction and deadline to the office of a listed step."""
    post = request.POST
    step = Step.objects.select_related("application").filter(pk=_int(post.get("step"))).first()
    if step is None:
        messages.error(request, _("This step is not listed for supervision."))
        return redirect("workbench:supervision")
    try:
        lifecycle.step_supervision_instruct(
            step,
            actor=request.user,
            instruction=post.get("instruction", "")[:4000],
            respond_by=_date(post.get("respond_by", "")),
        )
    except lifecycle.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("The instruction was sent to %(office)s.") % {"office": step.office_code},
        )
    return redirect("workbench:supervision")


# --- Window staff ------------------------------------------------------------------------------


@staff_required
def window_start(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_window_staff:
        raise PermissionDenied("window start")
    matters = selectors.window_matters()
    post = request.POST
    if request.method == "POST" and post.get("action") == "handover":
        try:
            handed = delivery.window_handover_by_reference(
                reference=post.get("reference", ""), actor=request.user, place=_("Service window")
            )
        except lifecycle.TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("The result of %(reference)s was handed over.") % {"reference": handed.reference},
            )
        return redirect("workbench:window")
    if request.method == "POST":
        applicant = selectors.person_user_find(post.get("campus_number", "")[:64])
        matter = matters.filter(code=post.get("matter", "")).first()
        if applicant is None:
            messages.error(request, _("Nobody with this campus number has an account."))
        elif matter is None:
            messages.error(request, _("Choose a matter that can be applied for."))
        else:
            try:
                application = workbench_services.window_application_start(
                    staff=request.user,
                    applicant=applicant,
                    matter=matter,
                    agreed=post.get("agreed") == "1",
                    presence_method=post.get("presence", "")[:16],
                    presence_data={
                        "card_number": post.get("card_number", "")[:64],
                        "pin": post.get("pin", "")[:16],
                        "qr_id": post.get("qr_id", "")[:12],
                    },
                    place=_("Service window"),
                    ip_address=request.META.get("REMOTE_ADDR", ""),
                )
            except lifecycle.TransitionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _("Application %(reference)s started for %(name)s.")
                    % {
                        "reference": application.reference,
                        "name": applicant.get_full_name() or applicant.get_username(),
                    },
                )
                return redirect(reverse("applications:form", args=[application.reference]))
    # A fresh QR code on every showing of the form: the applicant's phone confirms it.
    challenge = presence_challenge(
        method="qr", staff=request.user, absolute_url=request.build_absolute_uri
    )
    return render(
        request,
        "workbench/window.html",
        {
            "matters": matters,
            "online_codes": selectors.window_online_codes(),
            "campus_number": post.get("campus_number", ""),
            "chosen": post.get("matter", ""),
            "presence": post.get("presence", "card_pin"),
            "presence_methods": PRESENCE_METHODS,
            "qr": challenge,
        },
    )


# --- Queue calling (取号) at the window ---------------------------------------------------------


@staff_required
def queue_calling(request: HttpRequest) -> HttpResponse:
    """Call the next number to this window, then mark it served or not come.

    The window's name is remembered in the staff member's session (one person, one window).
    The rules — window staff only, one called ticket per window — are in queueing.services.
    """
    if not scope_for(request.user).is_window_staff:
        raise PermissionDenied("queue calling")
    window = request.session.get("queue_window", "")
    if request.method == "POST":
        window = request.POST.get("window", window).strip()[:32]
        request.session["queue_window"] = window
        action = request.POST.get("action")
        try:
            if action == "call":
                chosen = [_int(pk) for pk in request.POST.getlist("category")]
                categories = list(
                    queue_selectors.service_categories_active().filter(pk__in=chosen)
                ) or list(queue_selectors.service_categories_active())
                called = queue_services.ticket_call_next(
                    actor=request.user, window=window, categories=categories
                )
                if called is None:
                    messages.info(request, _("Nobody is waiting."))
            elif action in ("served", "no_show"):
                ticket = Ticket.objects.filter(
                    pk=_int(request.POST.get("ticket")), window=window
                ).first()
                if ticket is None:
                    messages.error(request, _("This ticket is not at your window."))
                elif action == "served":
                    queue_services.ticket_serve(actor=request.user, ticket=ticket)
                else:
                    queue_services.ticket_no_show(actor=request.user, ticket=ticket)
        except queue_services.QueueRefused as refused:
            messages.error(request, str(refused))
        return redirect("workbench:queue_calling")
    return render(
        request,
        "workbench/queue_calling.html",
        {
            "window": window,
            "queues": queue_selectors.queue_overview(),
            "current": queue_selectors.tickets_at_window(window=window) if window else [],
        },
    )
