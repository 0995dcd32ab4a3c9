"""What the lifecycle tells whom: one function per transition, called by the receivers of
``campus_portal.applications.signals`` (``receivers.py``) inside the transition's transaction,
and by delivery and ratings for their own steps.

Titles and bodies are written in the language active when the transition happens (a
notification is a record of what was said). Applicants are sent to their application page,
staff to the workbench.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications.models import Application, Step
from campus_portal.notifications import selectors
from campus_portal.notifications.models import Notification
from campus_portal.notifications.services import notify

Kind = Notification.Kind


def _applicant_link(application: Application) -> str:
    return reverse("applications:detail", args=[application.reference])


def _staff_link(application: Application) -> str:
    return reverse("workbench:detail", args=[application.reference])


def _names(application: Application) -> dict[str, str]:
    return {"reference": application.reference, "matter": application.matter.title}


def _to_applicant(application: Application, kind: str, title: str, body: str) -> None:
    """Applicants hear about their own application only, on its page."""
    notify(
        [application.applicant],
        kind=kind,
        title=title,
        body=body,
        link=_applicant_link(application),
        application=application,
    )


def _to_staff(people: Iterable, application: Application, kind: str, title: str, body: str) -> None:
    """Staff are sent to the workbench's page of the application."""
    notify(
        people,
        kind=kind,
        title=title,
        body=body,
        link=_staff_link(application),
        application=application,
    )


def step_people(step: Step) -> list:
    """Who works on a step: its office's staff and heads, and its named assignee if any."""
    people = list(selectors.office_staff_users(step.office_code))
    if step.assignee_uid:
        people += list(selectors.users_with_uid(step.assignee_uid))
    return people


# --- Applicants --------------------------------------------------------------------------------


def application_accepted(application: Application) -> None:
    _to_applicant(
        application,
        Kind.ACCEPTED,
        _("Your application %(reference)s was accepted") % _names(application),
        _("%(matter)s: the office has accepted your application and is processing it.")
        % _names(application),
    )


def supplement_requested(application: Application) -> None:
    items = "\n".join(f"- {item}" for item in application.supplement_notice)
    _to_applicant(
        application,
        Kind.SUPPLEMENT_REQUESTED,
        _("Please supplement your application %(reference)s") % _names(application),
        _("%(matter)s: please supply or correct all of the following, then submit again:")
        % _names(application)
        + "\n"
        + items,
    )


def application_not_accepted(application: Application) -> None:
    _to_applicant(
        application,
        Kind.NOT_ACCEPTED,
        _("Your application %(reference)s was not accepted") % _names(application),
        _("Reason: %(reason)s") % {"reason": application.decision_reason},
    )


def application_decided(application: Application) -> None:
    if application.state == Application.State.APPROVED:
        title = _("Your application %(reference)s was approved") % _names(application)
        body = _("%(matter)s: approved.") % _names(application)
        kind = Kind.APPROVED
    else:
        title = _("Your application %(reference)s was rejected") % _names(application)
        body = _("%(matter)s: rejected. Reason: %(reason)s") % {
            **_names(application),
            "reason": application.decision_reason,
        }
        kind = Kind.REJECTED
    _to_applicant(application, kind, title, body)


# --- Offices -----------------------------------------------------------------------------------


def application_submitted(application: Application) -> None:
    """A (re)submission the offices must act on: acceptance, or the resumed steps."""
    if application.state == Application.State.SUBMITTED:
        _to_staff(
            selectors.office_staff_users(application.office_code),
            application,
            Kind.SUBMITTED,
            _("New application %(reference)s to accept") % _names(application),
            _("%(matter)s was submitted to your office.") % _names(application),
        )
    elif application.state == Application.State.IN_PROGRESS:
        for step in application.steps.filter(state=Step.State.ACTIVE):
            _to_staff(
                step_people(step),
                application,
                Kind.SUPPLEMENTED,
                _("Application %(reference)s was supplemented") % _names(application),
                _("%(matter)s: the applicant has supplied the missing items; the clock runs again.")
                % _names(application),
            )


def steps_started(steps: Iterable[Step]) -> None:
    for step in steps:
        _to_step_people(
            step,
            Kind.STEP_ACTIVE,
            _("New step for your office: %(reference)s"),
            _("%(matter)s — %(step)s, due %(due)s."),
        )


def step_transferred(step: Step, *, from_office: str, reason: str) -> None:
    _to_step_people(
        step,
        Kind.TRANSFERRED,
        _("Step transferred to your office: %(reference)s"),
        _("%(matter)s — %(step)s was sent on by %(office)s (reason: %(reason)s); due %(due)s."),
        office=from_office,
        reason=reason,
    )


def step_due_soon(step: Step) -> None:
    _to_step_people(
        step,
        Kind.REMINDER,
        _("Due soon: %(reference)s"),
        _("%(matter)s — %(step)s is due %(due)s."),
    )


def step_overdue(step: Step) -> None:
    _to_step_people(
        step,
        Kind.OVERDUE,
        _("Overdue: %(reference)s"),
        _("%(matter)s — %(step)s was due %(due)s."),
    )


def step_escalated(step: Step) -> None:
    """Not the step's people but its office's heads: they answer for the office's delays."""
    _to_staff(
        selectors.office_head_users(step.office_code),
        step.application,
        Kind.ESCALATED,
        _("Overdue in your office: %(reference)s") % _step_names(step),
        _(
            "%(matter)s — %(step)s (%(office)s) was due %(due)s and is not finished; it is "
            "listed for supervision."
        )
        % _step_names(step, office=step.office_code),
    )


# --- Time extensions and supervision (issue 16) -------------------------------------------------


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else "—"


def step_extension_requested(step: Step, *, extension) -> None:
    """The office's heads decide on an extension their staff asked for."""
    names = _step_names(step, days=str(extension.days), reason=extension.reason)
    _to_staff(
        selectors.office_head_users(step.office_code),
        step.application,
        Kind.EXTENSION_REQUESTED,
        _("Time extension to decide: %(reference)s") % names,
        _("%(matter)s — %(step)s: %(days)s more working days asked (reason: %(reason)s).") % names,
    )


def step_extended(step: Step, *, extension) -> None:
    """The applicant hears the new date and why."""
    application = step.application
    _to_applicant(
        application,
        Kind.EXTENDED,
        _("The time limit of your application %(reference)s was extended") % _names(application),
        _(
            "%(matter)s — %(step)s is now due %(due)s (%(days)s more working days). "
            "Reason: %(reason)s"
        )
        % {
            **_names(application),
            "step": step.label,
            "due": _date(extension.new_due_at),
            "days": extension.days,
            "reason": extension.reason,
        },
    )


def step_extension_refused(step: Step, *, extension) -> None:
    names = _step_names(step, reason=extension.refusal_reason)
    _to_staff(
        step_people(step),
        step.application,
        Kind.EXTENSION_REFUSED,
        _("Time extension refused: %(reference)s") % names,
        _("%(matter)s — %(step)s stays due %(due)s. The head's reason: %(reason)s") % names,
    )


def step_supervised(step: Step) -> None:
    """The campus supervisors: the statutory limit is near and the step is still open."""
    names = _step_names(step, office=step.office_code, statutory=_date(step.statutory_due_at))
    _to_staff(
        selectors.supervisor_users(),
        step.application,
        Kind.SUPERVISED,
        _("Near its statutory limit: %(reference)s") % names,
        _(
            "%(matter)s — %(step)s (%(office)s) is still open; the statutory time limit ends "
            "%(statutory)s. It is listed for supervision."
        )
        % names,
    )


def supervision_instructed(step: Step, *, instruction) -> None:
    """The step's office (staff and heads) gets the supervisor's instruction and deadline."""
    names = _step_names(
        step, instruction=instruction.instruction, by=instruction.respond_by.isoformat()
    )
    _to_staff(
        selectors.office_staff_users(step.office_code),
        step.application,
        Kind.SUPERVISION_INSTRUCTED,
        _("Supervision instruction (督办): %(reference)s") % names,
        _("%(matter)s — %(step)s: %(instruction)s To be done by %(by)s.") % names,
    )


def _to_step_people(step: Step, kind: str, title: str, body: str, **extra: str) -> None:
    """Tell a step's people about it; ``title`` and ``body`` are translated, not yet filled in
    (placeholders: ``reference``, ``matter``, ``step``, ``due`` and any of ``extra``)."""
    names = _step_names(step, **extra)
    _to_staff(step_people(step), step.application, kind, title % names, body % names)


def _step_names(step: Step, **extra: str) -> dict[str, str]:
    return {**_names(step.application), "step": step.label, "due": _due(step), **extra}


def _due(step: Step) -> str:
    return timezone.localtime(step.due_at).strftime("%Y-%m-%d %H:%M") if step.due_at else "—"


# --- Delivery and ratings (issue 7) ------------------------------------------------------------


def delivery_opened(delivery) -> None:
    """An approved result starts on its way: the applicant hears where it will be (electronic
    and window: now); the office hears that a paper result waits for the locker or the post."""
    application = delivery.application
    names = _names(application)
    if delivery.mode == "electronic":
        _to_applicant(
            application,
            Kind.RESULT_READY,
            _("Your result for %(reference)s is ready") % names,
            _("%(matter)s: download the result under “My applications”.") % names,
        )
    elif delivery.mode == "window":
        _to_applicant(
            application,
            Kind.READY_FOR_PICKUP,
            _("Your result for %(reference)s is ready for collection") % names,
            _("%(matter)s: collect the result at the service window; bring your campus card.")
            % names,
        )
    else:
        _to_staff(
            selectors.office_staff_users(application.office_code),
            application,
            Kind.DEPOSIT_NEEDED,
            (
                _("Deposit the result of %(reference)s in the pickup locker")
                if delivery.mode == "locker"
                else _("Post the result of %(reference)s")
            )
            % names,
            _("%(matter)s was approved; the applicant chose “%(mode)s”.")
            % {**names, "mode": delivery.get_mode_display()},
        )


def pickup_ready(delivery) -> None:
    """The result lies in a locker compartment: the applicant gets the code (only they)."""
    application = delivery.application
    _to_applicant(
        application,
        Kind.READY_FOR_PICKUP,
        _("Your result for %(reference)s is in the pickup locker") % _names(application),
        _(
            "%(matter)s: open the pickup locker with code %(code)s (locker %(locker)s). "
            "Whoever has the code can collect, so keep it to yourself."
        )
        % {**_names(application), "code": delivery.pickup_code, "locker": delivery.locker_id},
    )


def result_dispatched(delivery) -> None:
    application = delivery.application
    _to_applicant(
        application,
        Kind.DISPATCHED,
        _("Your result for %(reference)s was posted") % _names(application),
        _("%(matter)s: sent by courier, waybill number %(waybill)s.")
        % {**_names(application), "waybill": delivery.waybill},
    )


def rating_invited(application: Application) -> None:
    _to_applicant(
        application,
        Kind.RATING_INVITED,
        _("How was the service for %(reference)s?") % _names(application),
        _("%(matter)s: your result was delivered. Please rate the service (好差评).")
        % _names(application),
    )


def rectification_opened(rectification) -> None:
    """A bad rating: the office's heads hear of it, with the deadline (they answer for the
    office and are the ones who see the rectification list)."""
    application = rectification.rating.application
    people = selectors.office_head_users(rectification.office_code)
    notify(
        people,
        kind=Kind.RECTIFICATION_OPENED,
        title=_("Bad rating on %(reference)s: rectification required") % _names(application),
        body=_("%(matter)s was rated “%(score)s”. Reply with what was done by %(due)s.")
        % {
            **_names(application),
            "score": rectification.rating.get_overall_display(),
            "due": timezone.localtime(rectification.due_at).strftime("%Y-%m-%d"),
        },
        link=reverse("workbench:rectifications"),
        application=application,
    )


def rectification_replied(rectification) -> None:
    application = rectification.rating.application
    _to_applicant(
        application,
        Kind.RECTIFICATION_REPLIED,
        _("The office replied to your rating of %(reference)s") % _names(application),
        rectification.reply,
    )
