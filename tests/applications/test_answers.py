"""Staff read answers with the form's questions and option names, not field names and codes."""

from __future__ import annotations

from django import forms
from django.utils import translation

from campus_portal.applications.answers import answers_labelled
from campus_portal.plugin_api import MatterHandler


class _Form(forms.Form):
    party_member = forms.ChoiceField(label="是否为党员", choices=[("yes", "是"), ("no", "否")])
    invoice = forms.FileField(label="发票")
    note = forms.CharField(label="备注", required=False)


class _Handler(MatterHandler):
    key = "jwc.answers_test"
    office = "JWC"
    label = "测试"
    purpose = "测试"
    form_class = _Form


def test_labels_choices_and_files_are_shown_as_people_read_them():
    answers = {
        "invoice": {"attachment": 7, "name": "发票.pdf", "size": 1024},
        "party_member": "yes",
        "note": "",
        "retired_field": "旧答案",
    }
    rows = answers_labelled(_Handler(), answers)
    assert rows == [("是否为党员", "是"), ("发票", "发票.pdf"), ("retired_field", "旧答案")]


def test_without_a_handler_every_answer_is_still_shown():
    with translation.override("zh-hans"):
        rows = answers_labelled(None, {"a": ["x", "y"], "b": True, "c": False})
    assert rows == [("a", "x, y"), ("b", "是"), ("c", "否")]
