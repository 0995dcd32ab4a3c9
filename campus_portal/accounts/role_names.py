"""The platform's role names (a plain enumeration, no model): what ``models`` and ``roles`` share.

``roles`` re-exports them; they live apart so that the models need not import ``roles``, which
reads the models (through ``selectors``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WINDOW_STAFF = "window_staff", _("Window staff")
    OFFICE_STAFF = "office_staff", _("Office staff")
    OFFICE_HEAD = "office_head", _("Office head")
    DATA_STEWARD = "data_steward", _("Data steward")
    ADMINISTRATOR = "administrator", _("Administrator")
    # 督办: follows overdue and escalated steps across all offices (timeliness, not content).
    SUPERVISOR = "supervisor", _("Supervision")


# Roles held for one office; the others are campus-wide.
OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.OFFICE_HEAD, Role.DATA_STEWARD})
# Roles that see other people's data, decide applications or hand out access: holders must
# sign in with a second factor (campus_portal.accounts.mfa).
MFA_ROLES = frozenset(Role)

# How a reader saw someone's data, besides their roles (the access log's ``reader_role``):
# named on a step (a budget holder), or the matter handler's own read at consent.
READER_ASSIGNEE = "assignee"
READER_HANDLER = "handler"
READER_LABELS = {
    **dict(Role.choices),
    READER_ASSIGNEE: _("Named to decide a step (e.g. budget holder)"),
    READER_HANDLER: _("Matter handler (read when you agreed)"),
}
