"""A handler form that knows whose application it is.

Most rules belong to the form (the applicant sees them at once), but some need the applicant:
"the budget holder may not be the applicant themself". A form subclassing ``ApplicationForm``
gets ``self.application`` — the same ``ApplicationView`` the handler gets (with the warehouse
data the applicant agreed to) — when the core shows or validates it.
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api.handlers import ApplicationView


class ApplicationForm(forms.Form):
    def __init__(self, *args, application: ApplicationView | None = None, **kwargs) -> None:
        self.application = application
        super().__init__(*args, **kwargs)
