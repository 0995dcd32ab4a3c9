"""Sign-in against the campus directory (统一身份认证) by LDAP bind.

``CampusDirectoryBackend`` is django-auth-ldap's backend configured from
``settings.ACCOUNTS_LDAP`` (one dict read from the environment) instead of ``AUTH_LDAP_*``
globals, so that tests and operators change one setting. The user is found by a search whose
filter gets the typed name escaped by the library (``*``, ``(``, ``)`` cannot widen it), then
bound as with the typed password. On success the account is the campus number, gets no usable
local password, is linked to the warehouse person and receives the roles its directory groups
map to (``ROLE_MAP``).

A local account (alumnus, visitor, an administrator's break-glass account) is never taken
over: if its username equals a campus number, or the person is already linked to another kind
of account, the directory sign-in is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import ldap
from django.conf import settings as django_settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch, LDAPSettings

from campus_portal.accounts.models import CampusIdentity
from campus_portal.accounts.roles import Role
from campus_portal.accounts.services import identity_link, roles_from_directory
from campus_portal.accounts.usernames import LOCAL_USERNAME_PREFIX

logger = logging.getLogger(__name__)

BACKEND_PATH = "campus_portal.accounts.directory.CampusDirectoryBackend"
# Set on the request when the directory could not be asked (see signal_handlers.py), so the
# sign-in form can say "directory unreachable" instead of "wrong password".
UNREACHABLE_FLAG = "campus_directory_unreachable"


class _DirectorySettings(LDAPSettings):
    """django-auth-ldap's settings object, filled from a dict rather than AUTH_LDAP_* names."""

    def __init__(self, values: dict) -> None:
        self._prefix = "ACCOUNTS_LDAP_"
        for name, value in {**LDAPSettings.defaults, **values}.items():
            setattr(self, name, value)


def directory_config() -> dict:
    """``settings.ACCOUNTS_LDAP`` (read on every use so tests can point it elsewhere)."""
    return getattr(django_settings, "ACCOUNTS_LDAP", {}) or {}


def _library_settings(config: dict) -> _DirectorySettings:
    timeout = int(config.get("TIMEOUT") or 5)
    group_base = config.get("GROUP_BASE_DN") or ""
    return _DirectorySettings(
        {
            "SERVER_URI": config.get("URI") or "",
            "BIND_DN": config.get("BIND_DN") or "",
            "BIND_PASSWORD": config.get("BIND_PASSWORD") or "",
            "START_TLS": bool(config.get("START_TLS")),
            "USER_SEARCH": LDAPSearch(
                config.get("USER_BASE_DN") or "",
                ldap.SCOPE_SUBTREE,
                config.get("USER_FILTER") or "(uid=%(user)s)",
            ),
            "GROUP_SEARCH": LDAPSearch(group_base, ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)")
            if group_base
            else None,
            "GROUP_TYPE": GroupOfNamesType() if group_base else None,
            # Names and email are copied by directory_user_sync, not by the attribute map.
            "USER_ATTR_MAP": {},
            "CONNECTION_OPTIONS": {
                ldap.OPT_NETWORK_TIMEOUT: timeout,
                ldap.OPT_TIMEOUT: timeout,
                ldap.OPT_REFERRALS: 0,
            },
            "CACHE_TIMEOUT": 0,
        }
    )


def _dn_key(dn: str) -> str:
    """A DN in a canonical form so the role map matches whatever spacing/case LDAP returns."""
    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn)).lower()
    except ldap.DECODING_ERROR:
        return dn.strip().lower()


def role_pairs(group_dns: Iterable[str], role_map: dict[str, str]) -> list[tuple[str, str]]:
    """(role, office code) pairs for the user's groups; unmapped groups and bad roles ignored."""
    mapping = {_dn_key(dn): value for dn, value in role_map.items()}
    pairs = []
    for dn in group_dns:
        value = mapping.get(_dn_key(dn))
        if not value:
            continue
        role, _, office_code = value.partition(":")
        if role not in Role.values:
            logger.warning("ACCOUNTS_LDAP_ROLE_MAP names an unknown role %r for %s", role, dn)
            continue
        pairs.append((role, office_code.strip()))
    return pairs


def _first(attrs, name: str) -> str:
    values = attrs.get(name) if attrs else None
    return str(values[0]).strip() if values else ""


def is_directory_user(user: AbstractBaseUser) -> bool:
    """The account was created by (and belongs to) a campus directory sign-in."""
    return CampusIdentity.objects.filter(
        user_id=user.pk, source=CampusIdentity.Source.DIRECTORY
    ).exists()


class CampusDirectoryBackend(LDAPBackend):
    """Authenticate campus numbers by binding to the campus directory."""

    @property
    def settings(self) -> _DirectorySettings:
        if self._settings is None:
            self._settings = _library_settings(directory_config())
        return self._settings

    @settings.setter
    def settings(self, value) -> None:
        self._settings = value

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password=None, **kwargs
    ) -> AbstractBaseUser | None:
        """Only campus numbers go to the directory; emails and local names are left alone."""
        if not self.settings.SERVER_URI or not username or not password:
            return None
        username = str(username).strip()
        if "@" in username or username.lower().startswith(LOCAL_USERNAME_PREFIX):
            return None
        return super().authenticate(request, username=username, password=password)

    def authenticate_ldap_user(self, ldap_user: _LDAPUser, password: str):
        """Bind, then copy names, the identity link and roles; a failing group read fails."""
        user = ldap_user.authenticate(password)
        if user is None:
            return None
        try:
            group_dns = ldap_user.group_dns if self.settings.GROUP_SEARCH else set()
        except ldap.LDAPError as error:
            ldap_error.send(
                type(self),
                context="populate_user",
                user=user,
                request=ldap_user._request,
                exception=error,
            )
            return None
        directory_user_sync(user, ldap_user.attrs, group_dns, directory_config())
        return user

    def get_or_build_user(self, username: str, ldap_user: _LDAPUser):
        """The account linked to this directory entry, or a new one named by its campus number.

        Raises ``AuthenticationFailed`` (the library turns it into a failed sign-in) when the
        campus number already names a local account or the person is linked to a non-directory
        account, so that a directory entry can never take over someone else's account.
        """
        uid = _first(ldap_user.attrs, "uid")
        if not uid or uid.lower().startswith(LOCAL_USERNAME_PREFIX):
            raise ldap_user.AuthenticationFailed("directory entry has no usable uid")
        identity = CampusIdentity.objects.filter(person_uid=uid).select_related("user").first()
        if identity is not None:
            if identity.source != CampusIdentity.Source.DIRECTORY:
                raise ldap_user.AuthenticationFailed(f"{uid} is linked to a non-directory account")
            return identity.user, False
        model = self.get_user_model()
        if model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": uid}).exists():
            raise ldap_user.AuthenticationFailed(f"a local account is named {uid}")
        return model(**{model.USERNAME_FIELD: uid}), True


@transaction.atomic
def directory_user_sync(user, attrs, group_dns: Iterable[str], config: dict) -> None:
    """Copy name and email, link the campus identity and replace the directory roles."""
    uid = _first(attrs, "uid")
    user.first_name = (_first(attrs, "displayName") or _first(attrs, "cn"))[:150]
    user.last_name = ""
    user.email = _first(attrs, "mail")[:254]
    if user.has_usable_password():
        user.set_unusable_password()
    user.save()
    identity_link(user, person_uid=uid, source=CampusIdentity.Source.DIRECTORY)
    roles_from_directory(user, role_pairs(group_dns, config.get("ROLE_MAP") or {}))


def directory_unreachable_mark(request: HttpRequest | None) -> None:
    if request is not None:
        setattr(request, UNREACHABLE_FLAG, True)


def directory_unreachable(request: HttpRequest | None) -> bool:
    return bool(request is not None and getattr(request, UNREACHABLE_FLAG, False))
