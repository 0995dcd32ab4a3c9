from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in (campus directory, local accounts, MFA), roles and their scopes."""

    name = "campus_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # In ready(): the handlers import models (Django's app-registry timing, not a cycle).
        from campus_portal.accounts import signal_handlers  # noqa: F401
