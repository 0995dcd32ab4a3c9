"""A notification is the in-app message itself; each other channel it goes out by is a delivery.

Keeping deliveries apart from the message lets a channel fail and be retried (or be added, like
SMS) without touching what the person reads in their inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person, shown in their inbox (/me/messages/)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Application submitted")
        SUPPLEMENTED = "supplemented", _("Application supplemented")
        ACCEPTED = "accepted", _("Application accepted")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("Returned for supplement")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        STEP_ACTIVE = "step_active", _("New step to process")
        TRANSFERRED = "transferred", _("Step transferred to your office")
        REMINDER = "reminder", _("Step due soon")
        OVERDUE = "overdue", _("Step overdue")
        ESCALATED = "escalated", _("Overdue step escalated")
        # Delivery and ratings (issue 7)
        RESULT_READY = "result_ready", _("Result ready")
        DEPOSIT_NEEDED = "deposit_needed", _("Result to deposit or post")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
        DISPATCHED = "dispatched", _("Result posted")
        RATING_INVITED = "rating_invited", _("Please rate the service")
        RECTIFICATION_OPENED = "rectification_opened", _("Rectification required")
        RECTIFICATION_REPLIED = "rectification_replied", _("The office replied to your rating")
        # Time extensions and supervision (issue 16)
        EXTENSION_REQUESTED = "extension_requested", _("Time extension to decide")
        EXTENDED = "extended", _("Time limit extended")
        EXTENSION_REFUSED = "extension_refused", _("Time extension refused")
        SUPERVISED = "supervised", _("Step near its statutory limit")
        SUPERVISION_INSTRUCTED = "supervision_instructed", _("Supervision instruction")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """Sending one notification by one outside channel (``channels.py``), with its retries."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notifications_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel}"


class Preference(models.Model):
    """How one person wants to be told, besides the inbox (which is always on).

    No row means the defaults: email on (where the person has an address), SMS off. SMS needs
    a mobile number the person gives here: the warehouse's phone numbers are not ours to use
    for messaging without asking.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by text message (SMS)"), default=False)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)
