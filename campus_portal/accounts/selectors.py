"""Reads about accounts for other parts of the platform."""

from __future__ import annotations


def person_uid_for(user) -> str | None:
    """The warehouse person behind a signed-in account, or None (local accounts, anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    from campus_portal.accounts.models import CampusIdentity

    return (
        CampusIdentity.objects.filter(user_id=user.pk).values_list("person_uid", flat=True).first()
    )
