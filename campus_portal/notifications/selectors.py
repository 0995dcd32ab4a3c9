"""Who gets told, and what a person's inbox holds."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from campus_portal.accounts.roles import Role
from campus_portal.notifications.models import Delivery, Notification


def office_staff_users(office_code: str) -> QuerySet:
    """Active users who process ``office_code``'s steps (office staff and office heads)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__office_code=office_code,
            role_assignments__role__in=[Role.OFFICE_STAFF, Role.OFFICE_HEAD],
        )
        .distinct()
    )


def office_head_users(office_code: str) -> QuerySet:
    """Active heads of ``office_code``: overdue steps are escalated to them."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__office_code=office_code,
            role_assignments__role=Role.OFFICE_HEAD,
        )
        .distinct()
    )


def supervisor_users() -> QuerySet:
    """Active campus supervisors (督办): steps near their statutory limit go to them."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role=Role.SUPERVISOR)
        .distinct()
    )


def users_with_uid(person_uid: str) -> QuerySet:
    """The account linked to a campus identity (a step's named assignee), if any."""
    return get_user_model().objects.filter(is_active=True, campus_identity__person_uid=person_uid)


def inbox(user) -> QuerySet[Notification]:
    """The user's messages, newest first."""
    return Notification.objects.filter(recipient=user).select_related("application")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deliveries_unsent(user) -> QuerySet[Delivery]:
    """The person's messages still on their way by email or SMS (pending: being retried) or
    given up (failed), newest first — shown on the preferences page so that a mail server
    outage is visible rather than silent."""
    return (
        Delivery.objects.filter(notification__recipient=user)
        .exclude(state=Delivery.State.SENT)
        .select_related("notification")
        .order_by("-created_at", "-pk")
    )
