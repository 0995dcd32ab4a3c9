"""Handlers are validated when they register, not when someone applies."""

from __future__ import annotations

import pytest
from django import forms

from campus_portal.plugin_api import HandlerRegistrationError, MatterHandler, registry


def _handler(**attributes):
    base = {"key": "jwc.throwaway", "office": "JWC", "label": "x", "purpose": "y"}
    base.update(attributes)
    return type("Throwaway", (MatterHandler,), base)


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"data_needs": ("student.shoe_size",)}, "student.shoe_size"),
        ({"key": "JWC-throwaway"}, "must look like"),
        ({"key": "cwc.throwaway"}, "must start with its office"),
        ({"purpose": ""}, "purpose is missing"),
        ({"form_class": dict}, "form_class"),
    ],
)
def test_bad_handlers_are_refused(attributes, message):
    with pytest.raises(HandlerRegistrationError, match=message):
        registry.register(_handler(**attributes))
    assert "jwc.throwaway" not in registry


def test_a_key_is_registered_once():
    first = _handler()
    registry.register(first)
    try:
        with pytest.raises(HandlerRegistrationError, match="already registered"):
            registry.register(_handler())
    finally:
        registry.unregister("jwc.throwaway")


def test_a_good_handler_registers():
    class Form(forms.Form):
        note = forms.CharField()

    registry.register(_handler(form_class=Form, data_needs=("person.name",)))
    try:
        assert registry.get("jwc.throwaway").form_class is Form
    finally:
        registry.unregister("jwc.throwaway")


def test_the_reference_plugin_is_registered_and_bound():
    assert "jwc.enrollment_certificate" in registry
