"""Rating a delivered service (好差评) and the rectification a bad rating opens.

Only the applicant rates, only after delivery, once: the application row is locked and the
rating's one-to-one column is the last word against a double submit, which gets back the
rating already made. There is no function that changes a rating — staff cannot edit one,
anywhere. A 不满意 or 非常不满意 opens a ``Rectification`` for the application's office, due
``RATINGS_RECTIFICATION_DAYS`` working days later on the holiday calendar.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.accounts.roles import scope_for
from campus_portal.applications.events import TransitionRefused, event_record
from campus_portal.applications.models import Application, Event
from campus_portal.notifications import lifecycle as notices
from campus_portal.ratings.models import BAD_SCORES, Rating, Rectification, Score
from campus_portal.workdays.calendar import add_working_days

COMMENT_MAX = 2000
REPLY_MAX = 4000


def _score(value, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise TransitionRefused(_("Please choose your overall satisfaction."))
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number not in Score.values:
        raise TransitionRefused(_("Please choose one of the five grades."))
    return number


def rating_submit(
    *,
    application: Application,
    actor,
    overall,
    timeliness=None,
    attitude=None,
    guide_accuracy=None,
    comment: str = "",
    channel: str = "web",
) -> Rating:
    """The applicant's rating of a delivered application; a second submit returns the first."""
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(f"rate {application.reference}")
    scores = {
        "overall": _score(overall, required=True),
        "timeliness": _score(timeliness, required=False),
        "attitude": _score(attitude, required=False),
        "guide_accuracy": _score(guide_accuracy, required=False),
    }
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise TransitionRefused(
            _("The comment is too long (at most %(max)d characters).") % {"max": COMMENT_MAX}
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        existing = Rating.objects.filter(application=locked).first()
        if existing is not None:
            return existing
        if not Event.objects.filter(application=locked, kind=Event.Kind.DELIVERED).exists():
            raise TransitionRefused(_("You can rate the service once the result reached you."))
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    application=locked, office_code=locked.office_code, comment=comment, **scores
                )
        except IntegrityError:  # another database session rated in between
            return Rating.objects.get(application=locked)
        event_record(
            locked,
            Event.Kind.RATED,
            actor=actor.get_username(),
            channel=channel,
            overall=rating.overall,
        )
        if rating.overall in BAD_SCORES:
            rating.application = application
            _rectification_open(rating)
    return rating


def _rectification_open(rating: Rating) -> Rectification:
    now = timezone.now()
    rectification = Rectification.objects.create(
        rating=rating,
        office_code=rating.office_code,
        due_at=add_working_days(now, settings.RATINGS_RECTIFICATION_DAYS),
    )
    notices.rectification_opened(rectification)
    return rectification


def rectification_reply(*, rectification: Rectification, actor, reply: str) -> Rectification:
    """The office's answer to a bad rating (by one of its heads); the applicant is told.
    Replying twice is refused: the first reply is what the applicant read."""
    if not scope_for(actor).has("office_head", rectification.office_code):
        raise PermissionDenied(f"reply to rectification {rectification.pk}")
    reply = (reply or "").strip()
    if not reply:
        raise TransitionRefused(_("Please write what the office has done."))
    if len(reply) > REPLY_MAX:
        raise TransitionRefused(
            _("The reply is too long (at most %(max)d characters).") % {"max": REPLY_MAX}
        )
    with transaction.atomic():
        changed = Rectification.objects.filter(
            pk=rectification.pk, state=Rectification.State.OPEN
        ).update(
            state=Rectification.State.REPLIED,
            reply=reply,
            replied_by=actor.get_username(),
            replied_at=timezone.now(),
        )
        if not changed:
            raise TransitionRefused(_("This rectification has already been answered."))
        rectification.refresh_from_db()
        notices.rectification_replied(rectification)
    return rectification
