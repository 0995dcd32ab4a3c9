"""The way one approved application's result travels to its applicant (送达).

One row per application, made when it is approved, in the mode the applicant chose. The row
is the state of the hand-over (waiting for a locker deposit, ready, posted, delivered); what
happened and when is also written as application events (``delivered``, ``visited``), which
the 105号 dashboard counts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from campus_portal.catalog.choices import DeliveryMode


class ResultDelivery(models.Model):
    class State(models.TextChoices):
        # Locker: the paper result is still at the office; staff deposit it (and may retry
        # when the locker controller did not answer).
        AWAITING_DEPOSIT = "awaiting_deposit", _("Awaiting deposit in the locker")
        # Electronic: downloadable; locker: in its compartment, code sent; window: waiting.
        READY = "ready", _("Ready")
        AWAITING_DISPATCH = "awaiting_dispatch", _("Awaiting dispatch")
        DISPATCHED = "dispatched", _("Posted")
        DELIVERED = "delivered", _("Delivered")

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="result_delivery",
    )
    office_code = models.CharField(_("office"), max_length=32, db_index=True)
    mode = models.CharField(_("delivery"), max_length=16, choices=DeliveryMode.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, db_index=True)
    # Post
    waybill = models.CharField(_("waybill number"), max_length=40, blank=True)
    # Locker: where the result lies and the code that opens it (shown to the applicant only).
    locker_id = models.CharField(_("locker"), max_length=40, blank=True)
    compartment = models.CharField(_("compartment"), max_length=40, blank=True)
    pickup_code = models.CharField(
        _("pickup code"), max_length=12, null=True, blank=True, unique=True
    )
    # Sent with every deposit request until one succeeds, so that a retry after a timeout the
    # controller did act on gets the same compartment back instead of a second one.
    deposit_request_id = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.CharField(_("delivered by"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("result delivery")
        verbose_name_plural = _("result deliveries")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.mode} {self.state}"

    @property
    def delivered(self) -> bool:
        return self.state == self.State.DELIVERED
