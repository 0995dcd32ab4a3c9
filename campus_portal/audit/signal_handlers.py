"""Sign-in events from Django's auth signals (any backend: local, LDAP, future SSO)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record


def _ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN, actor=user.get_username(), ip_address=_ip(request)
    )


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_event_record(
            kind=SecurityEvent.Kind.SIGN_OUT, actor=user.get_username(), ip_address=_ip(request)
        )


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django already removes secrets from ``credentials``; only the username is kept.
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED,
        subject=str(credentials.get("username", ""))[:150],
        ip_address=_ip(request),
    )


@receiver(post_save, sender="data_warehouse.Grant")
def _grant_changed(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A data grant given or revoked (services or the stewards' admin) joins the chain: who
    may read whose data is as much a security fact as a role."""
    if not created and instance.revoked_at is None:
        return  # grants are never edited in place; nothing else changes one
    security_event_record(
        kind=SecurityEvent.Kind.GRANT_CHANGED,
        actor=instance.granted_by if created else "",
        subject=instance.handler_key[:150],
        detail={
            "action": "granted" if created else "revoked",
            "grant": instance.pk,
            "item": instance.item.key,
            "unmasked": instance.unmasked,
            "purpose": instance.purpose[:200],
        },
    )
