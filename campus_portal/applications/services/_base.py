"""What every stage of the lifecycle shares: locking, the checks, saving with a new version.

Each transition locks the application row, checks the actor against ``permissions``, checks the
state (and, for staff actions, the version the actor saw: optimistic locking), changes it,
records an ``Event`` (``events.event_record``) and announces it (``signals``).
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications.events import StaleVersion, TransitionRefused
from campus_portal.applications.models import Application, Step
from campus_portal.applications.permissions import require
from campus_portal.plugin_api import MatterHandler, registry

State = Application.State
OPEN_STATES = (State.SUBMITTED, State.SUPPLEMENT, State.IN_PROGRESS)

# Relations that never change after an application is created: a locked re-read may reuse the
# objects the caller already loaded (``application_for`` selects matter and applicant), which
# spares the notifications (title of the matter, recipient) a query each.
_FIXED_RELATIONS = ("matter", "applicant")


def handler_of(application: Application) -> MatterHandler:
    handler = registry.get(application.handler_key)
    if handler is None:
        raise TransitionRefused(_("This matter's online service is not available right now."))
    return handler


def locked(application: Application) -> Application:
    row = Application.objects.select_for_update().get(pk=application.pk)
    for name in _FIXED_RELATIONS:
        field = Application._meta.get_field(name)
        related = field.get_cached_value(application, None)
        if related is not None and related.pk == getattr(row, field.attname):
            field.set_cached_value(row, related)
    return row


def check_version(obj, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise StaleVersion(
            _("Someone else has already acted on this application. Reload it to see what changed.")
        )


def expect(application: Application, *states: str) -> None:
    if application.state not in states:
        raise TransitionRefused(
            _("This is not possible while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def save(application: Application, *fields: str) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version"])


def offices(application: Application) -> set[str]:
    return {application.office_code, *application.steps.values_list("office_code", flat=True)}


def new_reference() -> str:
    return f"XW{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


def active_step_locked(
    step: Step, *, actor, action: str, version: int | None, not_active: str
) -> tuple[Application, Step]:
    """The opening every staff action on a running step shares: lock the application and the
    step, check who acts and which version they saw, and that the step is being processed
    (``not_active`` is the refusal when it is not)."""
    application = locked(step.application)
    step = Step.objects.select_for_update().get(pk=step.pk)
    require(actor, application, action, step)
    check_version(step, version)
    expect(application, State.IN_PROGRESS)
    if step.state != Step.State.ACTIVE:
        raise TransitionRefused(not_active)
    step.application = application
    return application, step
