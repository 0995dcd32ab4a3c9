"""``{% application_rating application user as rating_panel %}``: the applicant's rating (or the
invitation to rate, once the result was delivered) on the application page — the applications
app includes the panel without importing ratings."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from campus_portal.applications.models import Event
from campus_portal.ratings.forms import RatingForm
from campus_portal.ratings.models import Rating
from campus_portal.ratings.selectors import rating_of

register = template.Library()


@dataclass(frozen=True)
class RatingPanel:
    rating: Rating | None
    form: RatingForm | None  # the invitation: delivered, not rated, and the user is the applicant


@register.simple_tag
def application_rating(application, user) -> RatingPanel:
    rating = rating_of(application)
    invite = (
        rating is None
        and application.applicant_id == getattr(user, "pk", None)
        and application.events.filter(kind=Event.Kind.DELIVERED).exists()
    )
    return RatingPanel(rating=rating, form=RatingForm() if invite else None)
