"""Every change to an application goes through one of these functions (the lifecycle).

Split by stage — ``drafting``, ``acceptance``, ``steps`` (with ``extensions`` and
``supervision``), ``decision``, ``closing`` (and the matter ↔ handler ``bindings``) — and
re-exported here, so callers keep importing ``campus_portal.applications.services``. Each
function locks the application row, checks the actor against ``permissions``, checks the state
(and, for staff actions, the version the actor saw), changes it, records an ``Event``
(``events``) and announces the transition (``signals``); it never calls the apps that follow
the lifecycle. Views, the API, the kiosk and Celery tasks call these and nothing below them.
"""

from campus_portal.applications.events import StaleVersion, TransitionRefused, event_record
from campus_portal.applications.selectors import application_view, due_at_of, handler_for
from campus_portal.applications.services.acceptance import (
    application_accept,
    application_not_accept,
    application_return_for_supplement,
)
from campus_portal.applications.services.bindings import handler_bindings_ensure
from campus_portal.applications.services.closing import application_close, visit_record
from campus_portal.applications.services.drafting import (
    application_consent,
    application_save_draft,
    application_start,
    application_submit,
    application_withdraw,
)
from campus_portal.applications.services.extensions import (
    extension_days_left,
    step_extension_decide,
    step_extension_request,
)
from campus_portal.applications.services.steps import step_finish, step_transfer
from campus_portal.applications.services.supervision import step_supervision_instruct
from campus_portal.plugin_api import registry

__all__ = [
    "StaleVersion",
    "TransitionRefused",
    "application_accept",
    "application_close",
    "application_consent",
    "application_not_accept",
    "application_return_for_supplement",
    "application_save_draft",
    "application_start",
    "application_submit",
    "application_view",
    "application_withdraw",
    "due_at_of",
    "event_record",
    "extension_days_left",
    "handler_bindings_ensure",
    "handler_for",
    "registry",
    "step_extension_decide",
    "step_extension_request",
    "step_finish",
    "step_supervision_instruct",
    "step_transfer",
    "visit_record",
]
