"""The plugin contract: everything a plugin may import from the core (docs/plugins.md).

A plugin is a Django app under ``plugins/`` that registers matter handlers here in its
``AppConfig.ready()``. Plugins import nothing else from ``campus_portal``; the core never
imports a plugin by name — it finds handlers through the registry.
"""

from campus_portal.plugin_api.forms import (
    NO,
    PARTY_MEMBER_LABEL,
    YES,
    YES_NO,
    ApplicationForm,
    is_yes,
    party_member_field,
    yes_no_field,
)
from campus_portal.plugin_api.handlers import (
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
)
from campus_portal.plugin_api.metadata import CORE_VERSION
from campus_portal.plugin_api.records import has_staff_record
from campus_portal.plugin_api.registry import HandlerRegistrationError, registry
from campus_portal.plugin_api.uploads import JPEG, OFD, PDF, PNG, UploadField, is_attachment

__all__ = [
    "CORE_VERSION",
    "JPEG",
    "NO",
    "OFD",
    "PARTY_MEMBER_LABEL",
    "PDF",
    "PNG",
    "YES",
    "YES_NO",
    "ApplicationForm",
    "ApplicationView",
    "Decision",
    "HandlerRegistrationError",
    "MatterHandler",
    "ResultDocument",
    "StepSpec",
    "UploadField",
    "has_staff_record",
    "is_attachment",
    "is_yes",
    "party_member_field",
    "registry",
    "yes_no_field",
]
