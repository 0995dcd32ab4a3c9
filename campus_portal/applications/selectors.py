"""Reading applications: always through the user's scope (permissions.py has the rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from campus_portal.accounts.roles import scope_for
from campus_portal.applications.models import Application, HandlerBinding, Step, StepExtension
from campus_portal.applications.permissions import assignee_capable, person_uid
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record
from campus_portal.catalog.choices import MaterialSource, OnlineDepth
from campus_portal.catalog.models import MatterMaterial, MatterPage
from campus_portal.plugin_api import ApplicationView, MatterHandler, registry


def handler_for(matter) -> MatterHandler | None:
    """The enabled handler of a matter, or None when it does not accept online applications."""
    binding = HandlerBinding.objects.filter(matter=matter, enabled=True).first()
    handler = registry.get(binding.handler_key) if binding else None
    return handler if handler is not None and handler.accepts(matter.code) else None


def window_handler_for(matter) -> MatterHandler | None:
    """The handler of a window start (无差别受理): the matter's own handler, else a registered
    window-intake handler that accepts it (a matter with no configuration and no plugin)."""
    handler = handler_for(matter)
    if handler is not None:
        return handler
    intake = (h for h in registry if h.window_intake and h.accepts(matter.code))
    return next(intake, None)


def application_view(application: Application) -> ApplicationView:
    """The application as handlers and plugins see it: answers and the data snapshot's values,
    never the model (a plugin cannot change an application behind the lifecycle's back)."""
    return ApplicationView(
        reference=application.reference,
        handler_key=application.handler_key,
        applicant_uid=application.applicant_uid or None,
        data={key: entry["value"] for key, entry in application.snapshot.items()},
        answers=dict(application.answers),
    )


def due_at_of(application: Application) -> datetime | None:
    """When the earliest active step is due (None when no step runs)."""
    return (
        application.steps.filter(state=Step.State.ACTIVE)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """Own applications; for office staff those with a step for (or accepted by) their office;
    for window staff those they started; for anyone, those with a step assigned to them by
    name (a budget holder). Administrators get no more than anyone else."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    scope = scope_for(user)
    # Conditions on steps are EXISTS subqueries, not joins: a join repeats an application per
    # step and needed DISTINCT over every selected column, which cost PostgreSQL ~5 ms of
    # planning per ``application_for`` (issue 6) for the same answer.
    steps = Step.objects.filter(application=OuterRef("pk"))
    visible = Q(applicant=user)
    uid = person_uid(user)
    if uid and assignee_capable(user):
        visible |= Exists(steps.filter(assignee_uid=uid))
    offices = scope.processing_offices
    if offices:
        visible |= Q(office_code__in=offices) | Exists(steps.filter(office_code__in=offices))
    if scope.is_window_staff:
        visible |= Q(started_by=user)
    return Application.objects.filter(visible)


def application_for(user, reference: str, *, request=None) -> Application:
    """The application, or 404 — the same answer whether it exists or is someone else's; a
    miss is logged so that probing other people's references shows up in the security log."""
    application = (
        applications_visible_to(user)
        .select_related("matter", "applicant")
        .filter(reference=reference)
        .first()
    )
    if application is None:
        security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=user.get_username() if user.is_authenticated else "",
            ip_address=(request.META.get("REMOTE_ADDR", "") if request else ""),
            detail={"application": reference[:40], "via": "not-visible"},
        )
        raise Http404
    return application


def my_applications(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("matter")


def office_queue(user, *, office_code: str | None = None) -> QuerySet[Step]:
    """Active steps of the user's offices and those assigned to them by name, earliest due
    first (the workbench); narrowed to one office, only that office's steps."""
    offices = scope_for(user).processing_offices
    mine = assigned_steps_q(user)
    if office_code is not None:
        offices = offices & {office_code}
        mine = Q(pk__in=[])
    return (
        Step.objects.filter(Q(office_code__in=offices) | mine, state=Step.State.ACTIVE)
        .select_related("application", "application__matter")
        .order_by("due_at")
    )


def assigned_steps_q(user) -> Q:
    """Steps that name this user (by campus identity) as the person to finish them; matches
    nothing for a user without one. Their own applications' steps are left out: nobody
    approves their own claim."""
    uid = person_uid(user)
    if not uid or not assignee_capable(user):
        return Q(pk__in=[])
    return Q(assignee_uid=uid) & ~Q(application__applicant=user)


def acceptance_queue(user) -> QuerySet[Application]:
    """Submitted applications waiting for acceptance by the user's offices."""
    offices = scope_for(user).processing_offices
    return Application.objects.filter(
        office_code__in=offices, state=Application.State.SUBMITTED
    ).select_related("matter")


# --- Taking online applications, and what to do otherwise --------------------------------------


def online_matters_q() -> Q:
    """Matters that take online applications: an enabled binding to a registered handler.

    A ``Q`` on ``catalog.MatterPage``, so the catalog filters, counts and marks matters in the
    database (it receives this function through ``catalog.online``). The registry is read at
    each call: a plugin switched off (``PLATFORM_PLUGINS``) takes its matters offline although
    their bindings stay — the same rule as ``services.handler_for``.
    """
    keys = [handler.key for handler in registry]
    return Q(handler_binding__enabled=True, handler_binding__handler_key__in=keys)


class Way:
    """How a matter is got done, as the guide page and ``/apply/<code>/`` say it."""

    ONLINE = "online"  # an apply button (and, if the path needs one, where to go once)
    WINDOW = "window"  # depth 3–4 without online service yet: apply at the window
    FORMS = "forms"  # depth 2: download the blank forms or book a visit, then the window
    INFORMATION = "information"  # depth 1: the guide informs; it is done at the window


@dataclass(frozen=True)
class HowToApply:
    """Everything a guide page needs to say plainly how to get the matter done."""

    way: str
    matter: MatterPage
    #: Online, but the handler's path still needs the applicant in person once.
    visit_needed: bool = False
    #: What the applicant brings (materials of source "applicant").
    to_bring: list[MatterMaterial] = field(default_factory=list)
    #: Materials with a blank form to download (depth 2 above all).
    blank_forms: list[MatterMaterial] = field(default_factory=list)
    #: The guide lists materials, none of which the applicant has to bring.
    nothing_to_bring: bool = False


def matter_how_to_apply(*, matter: MatterPage, handler: MatterHandler | None) -> HowToApply:
    """How to get ``matter`` done, given its online handler (``services.handler_for``) or None.

    Never a dead end: with a handler, the apply button; without one, the guide's own online
    depth decides what the page says — depth 1 is information only, depth 2 offers the blank
    forms and a booking, depth 3 and 4 say online service is not available yet — and in every
    case which window (the guide's address and opening hours) and what to bring.
    """
    materials = list(matter.materials.all())
    to_bring = [m for m in materials if m.source == MaterialSource.APPLICANT]
    facts = {
        "matter": matter,
        "to_bring": to_bring,
        "blank_forms": [m for m in materials if m.template_id],
        "nothing_to_bring": bool(materials) and not to_bring,
    }
    if handler is not None:
        return HowToApply(Way.ONLINE, visit_needed=not handler.is_fully_online(matter), **facts)
    if matter.online_depth <= OnlineDepth.INFORMATION:
        return HowToApply(Way.INFORMATION, **facts)
    if matter.online_depth == OnlineDepth.FORMS:
        return HowToApply(Way.FORMS, **facts)
    return HowToApply(Way.WINDOW, **facts)


def extensions_granted(application: Application) -> list[StepExtension]:
    """The application's approved time extensions, oldest first: the applicant sees each new
    date and why (the total is the sum of their ``days``)."""
    return list(
        StepExtension.objects.filter(
            step__application=application, state=StepExtension.State.APPROVED
        ).select_related("step")
    )
