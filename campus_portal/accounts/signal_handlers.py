"""Keep the role groups in step with the code after every migrate; log role and MFA changes;
note directory outages for the sign-in form."""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django_auth_ldap.backend import ldap_error

from campus_portal.accounts.directory import CampusDirectoryBackend, directory_unreachable_mark
from campus_portal.accounts.role_groups import role_groups_ensure
from campus_portal.accounts.services import role_change_record
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record


@receiver(post_migrate)
def _role_groups(sender, using="default", **kwargs) -> None:
    # Run once per migrate, after the last app has created its permissions; only the default
    # database holds the auth tables.
    # (post_migrate is sent only for apps that have models.)
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if using != "default" or sender is not with_models[-1]:
        return

    role_groups_ensure()


@receiver(post_save, sender="accounts.RoleAssignment")
def _role_assigned(sender, instance, created: bool, **kwargs) -> None:
    if created:
        role_change_record(instance, action="assigned", by=instance.assigned_by)


@receiver(post_delete, sender="accounts.RoleAssignment")
def _role_revoked(sender, instance, **kwargs) -> None:
    role_change_record(instance, action="revoked", by=getattr(instance, "revoked_by", ""))


# --- Campus directory -----------------------------------------------------------------------
@receiver(ldap_error, sender=CampusDirectoryBackend)
def _directory_unreachable(sender, context, user=None, request=None, exception=None, **kwargs):
    """The library turns any LDAP error into "no user"; remember it so the form can say so."""
    directory_unreachable_mark(request)


# --- MFA changes go to the security log -----------------------------------------------------
def _mfa_changed(action: str, request, user, authenticator) -> None:
    actor = getattr(request, "user", None) if request is not None else None
    security_event_record(
        kind=SecurityEvent.Kind.MFA_CHANGED,
        actor=actor.get_username() if actor is not None and actor.is_authenticated else "",
        subject=user.get_username(),
        ip_address=(request.META.get("REMOTE_ADDR") or "") if request is not None else "",
        detail={"action": action, "type": str(getattr(authenticator, "type", ""))},
    )


@receiver(authenticator_added)
def _mfa_added(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    _mfa_changed("added", request, user, authenticator)


@receiver(authenticator_removed)
def _mfa_removed(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    _mfa_changed("removed", request, user, authenticator)


@receiver(authenticator_reset)
def _mfa_reset(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    _mfa_changed("reset", request, user, authenticator)
