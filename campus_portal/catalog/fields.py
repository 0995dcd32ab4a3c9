"""Model fields shared by the catalog models."""

from __future__ import annotations

from django import forms
from django.db import models


class MultipleChoiceJSONField(models.JSONField):
    """A list of choice codes stored as JSON, edited as checkboxes.

    Used for small fixed sets (channels, delivery modes) where a join table would be overkill;
    it behaves the same on SQLite and PostgreSQL because nothing filters on it in SQL.
    """

    def __init__(self, *args, choices_enum=None, **kwargs):
        self.choices_enum = choices_enum
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_enum"] = self.choices_enum
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_enum.choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = set(self.choices_enum.values)
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise forms.ValidationError(f"Unknown choice(s): {', '.join(map(str, unknown))}")
