"""Ratings listen to the lifecycle: a delivered result invites the applicant to rate it."""

from __future__ import annotations

from campus_portal.applications import signals
from campus_portal.notifications import lifecycle as notices


def _application_delivered(sender, *, application, **kwargs) -> None:
    notices.rating_invited(application)


def receivers_connect() -> None:
    signals.application_delivered.connect(
        _application_delivered, dispatch_uid="ratings.application_delivered"
    )
