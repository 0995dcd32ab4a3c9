"""The designer's form: the data catalog and delivery modes as checkboxes, the rule checked as
it is saved, and a save by the office marks the configuration as the office's own (so that
re-importing the list never overwrites it)."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from campus_portal.catalog.choices import DeliveryMode
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.rules import RuleError, rule_check
from campus_portal.matter_config.selectors import office_codes_editable
from data_warehouse.selectors import data_items_labelled


class RuleField(forms.CharField):
    """A JSON-logic rule typed as JSON text; empty means none."""

    widget = forms.Textarea(attrs={"rows": 4, "style": "font-family: monospace"})

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False) if value else ""
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return {}
        try:
            rule = json.loads(text)
        except ValueError as error:
            message = _("This is not valid JSON: %(error)s") % {"error": error}
            raise forms.ValidationError(message) from error
        try:
            rule_check(rule)
        except RuleError as error:
            raise forms.ValidationError(str(error)) from error
        return rule


class ConfigurationForm(WagtailAdminModelForm):
    data_needs = forms.MultipleChoiceField(
        label=_("Data the university holds (shown read-only, never asked)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery_modes = forms.MultipleChoiceField(
        label=_("Delivery modes"),
        choices=DeliveryMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decision_rule = RuleField(label=_("Instant-decision rule (JSON-logic)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_needs"].choices = [
            (key, f"{label}（{key}）") for key, label in data_items_labelled().items()
        ]
        matter = self.fields.get("matter")
        if matter is not None and self.instance.pk:
            matter.disabled = True  # a configuration stays with its matter
        elif matter is not None:
            offices = office_codes_editable(self.for_user) if self.for_user else frozenset()
            queryset = MatterPage.objects.filter(configuration__isnull=True)
            matter.queryset = (
                queryset if offices is None else queryset.filter(office__code__in=offices)
            )

    def clean(self):
        """A form field must not ask what the matter already reads from the warehouse (免填)."""
        cleaned = super().clean()
        labels = data_items_labelled()
        drawn = {labels.get(key, key) for key in cleaned.get("data_needs") or ()}
        asked = [
            block.value.get("label_zh", "")
            for block in cleaned.get("fields") or ()
            if block.value.get("label_zh", "").strip() in drawn
        ]
        if asked:
            self.add_error(
                "fields",
                _("“%(labels)s” is read from the university's data: remove the field.")
                % {"labels": "、".join(asked)},
            )
        return cleaned

    def save(self, commit=True):
        configuration = super().save(commit=False)
        configuration.derived = False  # the office's own from now on
        configuration.derivation_notes = []
        if not configuration.office_code:
            configuration.office_code = configuration.matter.office.code
        if commit:
            configuration.save()
        return configuration
