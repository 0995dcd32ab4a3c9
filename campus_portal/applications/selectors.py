"""Reading applications: always through the user's scope (permissions.py has the rules)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from campus_portal.accounts.roles import scope_for
from campus_portal.applications.models import Application, HandlerBinding, Step
from campus_portal.applications.permissions import assignee_capable, person_uid
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record
from campus_portal.plugin_api import ApplicationView, MatterHandler, registry


def handler_for(matter) -> MatterHandler | None:
    """The enabled handler of a matter, or None when it does not accept online applications."""
    binding = HandlerBinding.objects.filter(matter=matter, enabled=True).first()
    return registry.get(binding.handler_key) if binding else None


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
