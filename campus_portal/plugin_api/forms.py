"""Forms for handlers: a form that knows whose application it is, and shared fields.

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


# --- Shared fields ------------------------------------------------------------------------------
# Several bundles ask the same yes/no questions. The stored answers ("yes"/"no") are part of
# every application's JSON and of each handler's ``steps()``: they live here once so that no
# plugin can drift to "是"/"true" and silently stop adding a step.

YES, NO = "yes", "no"
YES_NO = [(YES, "是"), (NO, "否")]
PARTY_MEMBER_LABEL = "是否为中共党员（含预备党员）"


def yes_no_field(label: str, help_text: str = "") -> forms.ChoiceField:
    """A required 是/否 radio choice, "no" preselected; its cleaned value is ``YES`` or ``NO``."""
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        initial=NO,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def party_member_field(help_text: str) -> forms.ChoiceField:
    """The 是否为中共党员 question: party membership is not in the warehouse, so a bundle with a
    party-membership step asks; ``help_text`` says which transfer the answer "yes" adds."""
    return yes_no_field(PARTY_MEMBER_LABEL, help_text)


def is_yes(answers, key: str) -> bool:
    """The applicant answered ``YES`` to the yes/no field ``key`` (missing counts as no)."""
    return answers.get(key) == YES
