"""The delivery choice asked with the application (beside the handler's own form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campus_portal.catalog.choices import DeliveryMode
from campus_portal.delivery.services import delivery_mode_default, delivery_modes_of


class DeliveryChoiceForm(forms.Form):
    """How the result should reach the applicant; the address only matters for post (the
    service checks it, so that the kiosk and the API get the same rule)."""

    mode = forms.ChoiceField(
        label=_("How do you want to receive the result?"), widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Recipient"), max_length=50, required=False)
    phone = forms.CharField(label=_("Recipient's phone"), max_length=20, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, matter, application, **kwargs):
        modes = delivery_modes_of(matter, application)
        saved = application.delivery_address or {}
        kwargs.setdefault(
            "initial",
            {
                "mode": application.delivery_mode or delivery_mode_default(matter, application),
                **{key: saved.get(key, "") for key in ("name", "phone", "address")},
            },
        )
        super().__init__(*args, prefix="delivery", **kwargs)
        self.fields["mode"].choices = [(mode, DeliveryMode(mode).label) for mode in modes]
        self.offered = bool(modes)
        self.post_offered = DeliveryMode.POST in modes
