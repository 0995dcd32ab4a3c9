"""The one sign-in form: campus number (directory) or email (local account) and password."""

from __future__ import annotations

from allauth.account import app_settings
from allauth.account.forms import LoginForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campus_portal.accounts.directory import (
    BACKEND_PATH,
    UNREACHABLE_FLAG,
    directory_unreachable,
    is_directory_user,
)

DIRECTORY_UNREACHABLE_MESSAGE = _(
    "The campus directory cannot be reached right now. Please try again later; local "
    "accounts can still sign in with their email address."
)


class CampusLoginForm(LoginForm):
    """allauth's login form, relabelled, that tells "directory down" from "wrong password"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Campus number or email")
        field.widget.attrs.update(
            {"placeholder": _("Campus number or email"), "autocomplete": "username"}
        )

    def clean(self):
        """Authenticate (allauth), then apply the campus rules to the result."""
        if self.request is not None and hasattr(self.request, UNREACHABLE_FLAG):
            delattr(self.request, UNREACHABLE_FLAG)
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if directory_unreachable(self.request) and not _is_rate_limited(error):
                raise ValidationError(
                    DIRECTORY_UNREACHABLE_MESSAGE, code="directory_unreachable"
                ) from error
            raise
        if self.user is not None:
            self._directory_rules()
        return cleaned_data

    def _directory_rules(self) -> None:
        """Directory accounts sign in only through the directory and need no email check.

        The directory vouches for the person, so allauth's mandatory email verification
        (meant for self-registered local accounts) is skipped for them. A directory account
        authenticated any other way (e.g. a local password set behind our back) is refused.
        """
        directory_backend = getattr(self.user, "backend", "") == BACKEND_PATH
        if directory_backend:
            self._login.email_verification = app_settings.EmailVerificationMethod.NONE
        elif is_directory_user(self.user):
            self.user = None
            raise ValidationError(
                _("The campus number or password you entered is not correct."),
                code="username_password_mismatch",
            )


def _is_rate_limited(error: ValidationError) -> bool:
    return any(
        getattr(item, "code", None) == "too_many_login_attempts" for item in error.error_list
    )
