"""Who sees which ratings and rectifications."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from campus_portal.accounts.roles import Role, scope_for
from campus_portal.ratings.models import Rating, Rectification


def rectifications_allowed(user) -> bool:
    """Office heads (their offices), supervisors and administrators (all offices)."""
    scope = scope_for(user)
    return scope.is_supervisor or scope.is_administrator or bool(scope.offices(Role.OFFICE_HEAD))


def rectifications_visible_to(user) -> QuerySet[Rectification]:
    scope = scope_for(user)
    rows = Rectification.objects.select_related("rating__application__matter")
    if scope.is_supervisor or scope.is_administrator:
        return rows
    return rows.filter(office_code__in=scope.offices(Role.OFFICE_HEAD))


def rectification_is_overdue(rectification: Rectification, *, now=None) -> bool:
    return rectification.state == Rectification.State.OPEN and rectification.due_at < (
        now or timezone.now()
    )


def rating_of(application) -> Rating | None:
    return Rating.objects.filter(application=application).select_related("rectification").first()
