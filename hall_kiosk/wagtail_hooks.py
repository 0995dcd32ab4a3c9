"""Kiosks and campus cards in the Wagtail admin; enrolment links from the kiosk's list row."""

from __future__ import annotations

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from hall_kiosk import admin_views, services
from hall_kiosk.models import CardCredential, Kiosk


@hooks.register("register_admin_urls")
def register_kiosk_admin_urls():
    return [
        path(
            "kiosks/enrolment/",
            admin_views.kiosk_enrolment,
            name="hall_kiosk_enrolment",
        )
    ]


class KioskViewSet(SnippetViewSet):
    model = Kiosk
    icon = "desktop"
    list_display = ["number", "name", "kind", "printer_name", "enrolled_at", "last_seen_at"]
    copy_view_enabled = False
    panels = [
        FieldPanel("number"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("location"),
        FieldPanel("printer_name"),
        FieldPanel("active"),
    ]


class CardCredentialForm(forms.ModelForm):
    """The card number and (optionally) a PIN are written through the service, hashed."""

    card_number = forms.CharField(label=_("card number"), max_length=64)
    pin = forms.CharField(
        label=_("PIN (optional)"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Usually the card holder sets it on the portal; 4 to 6 digits."),
    )

    class Meta:
        model = CardCredential
        fields = ["user"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pin") and not (
            cleaned["pin"].isdigit() and len(cleaned["pin"]) in services.PIN_LENGTHS
        ):
            self.add_error("pin", _("The PIN must be 4 to 6 digits."))
        return cleaned

    def save(self, commit=True):
        return services.card_credential_set(
            user=self.cleaned_data["user"],
            card_number=self.cleaned_data["card_number"],
            pin=self.cleaned_data.get("pin", ""),
        )

    def save_m2m(self):
        return None


class CardCredentialViewSet(SnippetViewSet):
    model = CardCredential
    icon = "key"
    list_display = ["user", "card_last4", "pin_set_at", "locked_until"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("card_number"), FieldPanel("pin")],
        base_form_class=CardCredentialForm,
    )


class KioskGroup(SnippetViewSetGroup):
    menu_label = _("Hall kiosks")
    menu_icon = "desktop"
    menu_order = 330
    items = (KioskViewSet, CardCredentialViewSet)


register_snippet(KioskGroup)


class EnrolmentMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.ENROL_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_enrolment_menu_item():
    return EnrolmentMenuItem(
        _("Kiosk enrolment"), reverse("hall_kiosk_enrolment"), icon_name="desktop", order=331
    )
