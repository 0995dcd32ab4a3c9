"""The plugin contract: everything a plugin may import from the core (docs/plugins.md).

A plugin is a Django app under ``plugins/`` that registers matter handlers here in its
``AppConfig.ready()``. Plugins import nothing else from ``campus_portal``; the core never
imports a plugin by name — it finds handlers through the registry.
"""

from campus_portal.plugin_api.forms import ApplicationForm
from campus_portal.plugin_api.handlers import (
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
)
from campus_portal.plugin_api.registry import HandlerRegistrationError, registry
from campus_portal.plugin_api.uploads import JPEG, OFD, PDF, PNG, UploadField, is_attachment

__all__ = [
    "JPEG",
    "OFD",
    "PDF",
    "PNG",
    "ApplicationForm",
    "ApplicationView",
    "Decision",
    "HandlerRegistrationError",
    "MatterHandler",
    "ResultDocument",
    "StepSpec",
    "UploadField",
    "is_attachment",
    "registry",
]
