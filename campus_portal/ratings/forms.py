"""The 好差评 form: overall satisfaction required, three optional aspects, a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campus_portal.ratings.models import Score

_OPTIONAL = [("", _("No answer")), *Score.choices]


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Overall satisfaction"), choices=Score.choices, coerce=int, widget=forms.RadioSelect
    )
    timeliness = forms.TypedChoiceField(
        label=_("Timeliness"), choices=_OPTIONAL, coerce=int, empty_value=None, required=False
    )
    attitude = forms.TypedChoiceField(
        label=_("Staff attitude"), choices=_OPTIONAL, coerce=int, empty_value=None, required=False
    )
    guide_accuracy = forms.TypedChoiceField(
        label=_("Accuracy of the service guide"),
        choices=_OPTIONAL,
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
