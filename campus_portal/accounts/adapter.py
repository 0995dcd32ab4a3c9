"""How allauth treats local accounts (alumni, visitors) next to directory accounts.

Directory accounts are named by their campus number; local accounts get a ``local-`` name
that no campus number can have, so the two can never collide and the directory backend can
refuse such names outright. A directory account's password lives in the directory: allauth
must not send it a reset link (that would give it a second, local password).
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from campus_portal.accounts.directory import is_directory_user
from campus_portal.accounts.usernames import LOCAL_USERNAME_PREFIX, local_username_new
from campus_portal.common.client_address import client_address

__all__ = ["LOCAL_USERNAME_PREFIX", "CampusAccountAdapter"]

logger = logging.getLogger(__name__)


class CampusAccountAdapter(DefaultAccountAdapter):
    """allauth hooks: prefixed local usernames, no password resets for directory accounts."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Same text for an unknown campus number and a wrong password: no user enumeration.
        "username_password_mismatch": _(
            "The campus number or password you entered is not correct."
        ),
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed sign-ins are counted per account *at one client address*.

        allauth counts its ``key`` limit per account name only, so anybody, anywhere, could
        lock a person out by typing their campus number with a wrong password five times.
        Counting the account together with the client's address (the real one behind the
        proxy, campus_portal.common.client_address) still stops guessing one account's
        password from one place, while a stranger elsewhere locks out only themselves. The
        ``ip`` limit (higher, ACCOUNTS_LOGIN_FAILED_LIMIT) slows one client trying many
        accounts. See docs/configuration.md.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}@{client_address(request)}"

    def populate_username(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        """Sign-up asks only for an email; the username is generated, never a campus number."""
        current = getattr(user, get_user_model().USERNAME_FIELD, "") or ""
        if not current.startswith(LOCAL_USERNAME_PREFIX):
            setattr(user, get_user_model().USERNAME_FIELD, local_username_new())

    def send_password_reset_mail(
        self, user: AbstractBaseUser, email: str, context: dict[str, Any]
    ) -> None:
        """Directory accounts change their password in the directory, not here.

        Nothing is sent (and the page looks the same) so the form does not reveal which
        addresses belong to campus accounts.
        """
        if is_directory_user(user):
            logger.info("password reset refused for directory account %s", user.get_username())
            return
        super().send_password_reset_mail(user, email, context)
