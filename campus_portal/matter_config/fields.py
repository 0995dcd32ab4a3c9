"""The applicant's form of a configured matter, built from a version's field definitions.

Each field definition is a plain dict (``definition.py`` makes them from the designer's
StreamField blocks; a published version stores them as JSON). The field types are Django's
own form fields where Django has one (text, number, date, choices, email), plus the few that
Chinese forms need and Django does not have: a mobile number, a resident ID number checked by
its GB 11643 check digit, and a date range. Uploads are the plugin API's ``UploadField``, so a
configured matter's files are checked by content and stored privately exactly like a plugin's.

Conditional visibility ("show 证明材料 only when 请假类型 is 病假") is enforced on the server:
a hidden field is never required and its answer is dropped, whatever the browser sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campus_portal.plugin_api import ApplicationForm, UploadField
from campus_portal.plugin_api.forms import NO, YES

FIELD_TYPES = {
    "text": gettext_lazy("Single-line text"),
    "textarea": gettext_lazy("Long text"),
    "number": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "date_range": gettext_lazy("Date range"),
    "choice": gettext_lazy("Single choice"),
    "multi_choice": gettext_lazy("Multiple choice"),
    "yes_no": gettext_lazy("Yes / no"),
    "email": gettext_lazy("Email"),
    "mobile": gettext_lazy("Mobile number"),
    "id_number": gettext_lazy("Resident ID number"),
    "upload": gettext_lazy("Attachment"),
}

MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_valid(value: str) -> bool:
    """A resident ID number of GB 11643-1999: 17 digits, a real birth date, the check digit."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == value[17]


class MobileField(forms.CharField):
    """A mainland mobile number (11 digits starting 13–19); spaces and dashes are ignored."""

    def to_python(self, value):
        value = re.sub(r"[\s-]", "", super().to_python(value) or "")
        if value.startswith("+86"):
            value = value[3:]
        if value and not MOBILE.match(value):
            raise ValidationError(
                _("Enter an 11-digit mainland mobile number."), code="invalid_mobile"
            )
        return value


class IdNumberField(forms.CharField):
    """A resident ID number, refused unless its GB 11643 check digit is right."""

    def to_python(self, value):
        value = (super().to_python(value) or "").strip().upper()
        if value and not id_number_valid(value):
            raise ValidationError(
                _("This is not a valid resident ID number (check the digits)."),
                code="invalid_id_number",
            )
        return value


class NumberField(forms.DecimalField):
    """A number; stored as an int when whole, else a float (JSON, usable in rules)."""

    def clean(self, value):
        number = super().clean(value)  # a Decimal, checked against the limits
        if number is None:
            return None
        return int(number) if number == number.to_integral_value() else float(number)


class DateRangeWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        super().__init__([date_input, date_input], attrs)

    def decompress(self, value):
        if isinstance(value, str) and "/" in value:
            return value.split("/", 1)
        return [None, None]


class DateRangeField(forms.MultiValueField):
    """From a date to a date (both included); stored as ``"YYYY-MM-DD/YYYY-MM-DD"`` (ISO 8601)."""

    widget = DateRangeWidget

    def __init__(self, **kwargs):
        fields = (forms.DateField(), forms.DateField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return ""
        start, end = [*list(data_list), None, None][:2]
        if start is None or end is None:
            raise ValidationError(_("Give both the first and the last day."), code="incomplete")
        if end < start:
            raise ValidationError(
                _("The last day cannot be before the first day."), code="reversed"
            )
        return f"{start.isoformat()}/{end.isoformat()}"


def label_of(definition: Mapping[str, Any], key: str = "label") -> str:
    """The zh-hans label, or the English one when the page is in English and it has one."""
    english = (translation.get_language() or "").startswith("en")
    return (english and definition.get(f"{key}_en")) or definition.get(f"{key}_zh") or ""


def _choices(definition: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(choice["value"], label_of(choice)) for choice in definition.get("choices", [])]


def slot_names(definition: Mapping[str, Any]) -> list[str]:
    """The form fields of an upload slot: one per file it may take (``key``, ``key__2`` …)."""
    count = max(int(definition.get("max_files") or 1), 1)
    return [definition["key"]] + [f"{definition['key']}__{n}" for n in range(2, count + 1)]


def django_fields(definition: Mapping[str, Any]) -> dict[str, forms.Field]:
    """The Django form field(s) of one field definition, all optional at field level: the form
    enforces ``required`` itself, after it knows whether the field is visible."""
    kind = definition["type"]
    common = {
        "label": label_of(definition),
        "help_text": label_of(definition, "help"),
        "required": False,
    }
    if kind == "upload":
        fields = {}
        for position, name in enumerate(slot_names(definition), start=1):
            label = common["label"] if position == 1 else f"{common['label']}（{position}）"
            fields[name] = UploadField(
                label=label,
                help_text=common["help_text"],
                required=False,
                content_types=tuple(definition.get("content_types") or ()),
                max_bytes=definition.get("max_bytes") or None,
            )
        return fields
    builders = {
        "text": lambda: forms.CharField(max_length=200, **common),
        "textarea": lambda: forms.CharField(max_length=4000, widget=forms.Textarea, **common),
        "number": lambda: NumberField(
            min_value=definition.get("min_value"), max_value=definition.get("max_value"), **common
        ),
        "date": lambda: forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common),
        "date_range": lambda: DateRangeField(**common),
        "choice": lambda: forms.ChoiceField(
            choices=[("", "---------"), *_choices(definition)], **common
        ),
        "multi_choice": lambda: forms.MultipleChoiceField(
            choices=_choices(definition), widget=forms.CheckboxSelectMultiple, **common
        ),
        "yes_no": lambda: forms.ChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
        ),
        "email": lambda: forms.EmailField(**common),
        "mobile": lambda: MobileField(max_length=20, **common),
        "id_number": lambda: IdNumberField(max_length=18, **common),
    }
    return {definition["key"]: builders[kind]()}


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether a ``visible_when`` condition holds: the other field's answer equals (one of) the
    given value(s); a multiple choice holds when any chosen value matches. No condition: True."""
    if not condition or not condition.get("field"):
        return True
    wanted = condition.get("equals")
    wanted = set(wanted) if isinstance(wanted, list) else {wanted}
    answer = answers.get(condition["field"])
    chosen = set(answer) if isinstance(answer, list) else {answer}
    return bool({str(value) for value in chosen} & {str(value) for value in wanted})


class ConfiguredForm(ApplicationForm):
    """The base of every configured matter's form; ``field_definitions`` is set per version."""

    field_definitions: tuple[Mapping[str, Any], ...] = ()

    def clean(self):
        cleaned = super().clean()
        for definition in self.field_definitions:
            names = [name for name in self._names(definition) if name in self.fields]
            if not condition_holds(definition.get("visible_when"), cleaned):
                for name in names:  # hidden: whatever came with it is not an answer
                    cleaned[name] = None
                    self.errors.pop(name, None)
                continue
            first = names[0] if names else None
            missing = first and cleaned.get(first) in (None, "", [])
            if definition.get("required") and missing and first not in self.errors:
                self.add_error(first, _("This field is required."))
        return cleaned

    @staticmethod
    def _names(definition: Mapping[str, Any]) -> list[str]:
        return slot_names(definition) if definition["type"] == "upload" else [definition["key"]]


def form_class_build(field_definitions: list[Mapping[str, Any]], *, name: str) -> type[forms.Form]:
    """A form class for these field definitions, in their order."""
    attributes: dict[str, Any] = {"field_definitions": tuple(field_definitions)}
    for definition in field_definitions:
        field_set = django_fields(definition)
        for field in field_set.values():
            condition = definition.get("visible_when") or {}
            if condition.get("field"):
                # For the page's script (progressive: without it every field shows and the
                # server still drops hidden answers).
                field.widget.attrs["data-visible-when"] = condition["field"]
                equals = condition.get("equals")
                field.widget.attrs["data-visible-equals"] = "|".join(
                    map(str, equals if isinstance(equals, list) else [equals])
                )
        attributes.update(field_set)
    return type(name, (ConfiguredForm,), attributes)
