"""Reading deliveries: the applicant's own, and what a page needs to show."""

from __future__ import annotations

from django.db.models import QuerySet

from campus_portal.catalog.choices import DeliveryMode
from campus_portal.delivery.models import ResultDelivery


def locker_pickups_for(*, user) -> QuerySet[ResultDelivery]:
    """Results of ``user`` waiting in a pickup locker, with their codes (the kiosk shows
    them to a signed-in person so that they need not type the code)."""
    if user is None or not user.is_authenticated:
        return ResultDelivery.objects.none()
    return (
        ResultDelivery.objects.filter(
            application__applicant=user,
            mode=DeliveryMode.LOCKER,
            state=ResultDelivery.State.READY,
        )
        .select_related("application__matter")
        .order_by("ready_at", "pk")
    )


def delivery_of(application) -> ResultDelivery | None:
    """The application's delivery (None before approval)."""
    return ResultDelivery.objects.filter(application=application).first()
