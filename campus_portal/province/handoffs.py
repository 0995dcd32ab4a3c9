"""Sending a campus user to the province, counted (DESIGN.md: dashboard of hand-offs)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from campus_portal.province.contract import link_check
from campus_portal.province.models import HandOff, ProvincialMatter


def handoff_target(matter: ProvincialMatter, channel: str) -> str | None:
    """The stored link for ``channel``, if it is still allowed (the allow-list may shrink)."""
    url = matter.app_url if channel == HandOff.Channel.APP else matter.web_url
    if not url or link_check(url) is not None:
        return None
    return url


def handoff_record(
    *, matter: ProvincialMatter, channel: str, user: AbstractBaseUser | AnonymousUser
) -> HandOff:
    return HandOff.objects.create(
        matter=matter, channel=channel, user=user if user.is_authenticated else None
    )
