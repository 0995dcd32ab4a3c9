"""Each field type of a configured form validates what the applicant sends, naming the field."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campus_portal.matter_config.fields import form_class_build, id_number_valid
from tests.matter_config.conftest import PDF_BYTES, PNG_BYTES, field


def _form(*definitions, data=None, files=None):
    return form_class_build(list(definitions), name="T")(data or {}, files or {})


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("11010519491231002X", True),  # the standard's own example
        ("11010519491231002x", True),  # lower-case x
        ("110105194912310021", False),  # wrong check digit
        ("11010519491331002X", False),  # month 13
        ("1101051949123100", False),  # too short
        ("11010519491231002Y", False),
    ],
)
def test_id_number_check_digit(value, valid):
    assert id_number_valid(value) is valid
    form = _form(field("id", "id_number"), data={"id": value})
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["id"] == value.upper()
    else:
        assert "id" in form.errors


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+8613800138000", "13800138000"),
    ],
)
def test_mobile_accepted(value, cleaned):
    form = _form(field("phone", "mobile"), data={"phone": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == cleaned


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "0571-88000101", "abc"])
def test_mobile_refused(value):
    form = _form(field("phone", "mobile"), data={"phone": value})
    assert not form.is_valid() and "phone" in form.errors


def test_email():
    assert _form(field("e", "email"), data={"e": "li@example.edu.cn"}).is_valid()
    assert "e" in _form(field("e", "email"), data={"e": "li@"}).errors


def test_date_range_order_and_completeness():
    ok = _form(field("d", "date_range"), data={"d_0": "2026-12-01", "d_1": "2026-12-03"})
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["d"] == "2026-12-01/2026-12-03"
    reversed_ = _form(field("d", "date_range"), data={"d_0": "2026-12-03", "d_1": "2026-12-01"})
    assert "d" in reversed_.errors
    half = _form(field("d", "date_range"), data={"d_0": "2026-12-03"})
    assert "d" in half.errors
    missing = _form(field("d", "date_range"), data={})
    assert "d" in missing.errors  # required


def test_number_is_stored_as_a_json_number():
    form = _form(field("n", "number", min_value=1, max_value=10), data={"n": "3"})
    assert form.is_valid() and form.cleaned_data["n"] == 3
    assert _form(field("n", "number"), data={"n": "2.5"}).is_valid()
    assert "n" in _form(field("n", "number", min_value=1, max_value=10), data={"n": "11"}).errors
    assert "n" in _form(field("n", "number"), data={"n": "zwei"}).errors


def test_choices_and_yes_no():
    options = [{"value": "a", "label_zh": "甲"}, {"value": "b", "label_zh": "乙"}]
    single = field("c", "choice", choices=options)
    multi = field("m", "multi_choice", choices=options)
    yes_no = field("y", "yes_no")
    form = _form(single, multi, yes_no, data={"c": "b", "m": ["a", "b"], "y": "yes"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"c": "b", "m": ["a", "b"], "y": "yes"}
    bad = _form(single, multi, yes_no, data={"c": "z", "m": ["z"], "y": "maybe"})
    assert set(bad.errors) == {"c", "m", "y"}


def test_required_and_optional_text():
    form = _form(field("t"), field("o", "textarea", required=False), data={"t": ""})
    assert not form.is_valid()
    assert list(form.errors) == ["t"]


def test_conditional_field_required_only_when_visible_and_dropped_when_hidden():
    kind = field(
        "kind",
        "choice",
        choices=[{"value": "sick", "label_zh": "病假"}, {"value": "other", "label_zh": "事假"}],
    )
    proof = field("proof", visible_when={"field": "kind", "equals": "sick"})
    sick = _form(kind, proof, data={"kind": "sick", "proof": ""})
    assert "proof" in sick.errors  # visible and required
    other = _form(kind, proof, data={"kind": "other", "proof": "sent anyway"})
    assert other.is_valid(), other.errors
    assert other.cleaned_data["proof"] is None  # hidden: the browser's value is not an answer
    both = _form(kind, proof, data={"kind": "sick", "proof": "医院证明"})
    assert both.is_valid() and both.cleaned_data["proof"] == "医院证明"


def test_upload_slot_checks_content_and_counts_files():
    slot = field("scan", "upload", content_types=["application/pdf"], max_bytes=None, max_files=2)
    form_class = form_class_build([slot], name="T")
    assert list(form_class.base_fields) == ["scan", "scan__2"]
    pdf = SimpleUploadedFile("a.pdf", PDF_BYTES)
    second = SimpleUploadedFile("b.pdf", PDF_BYTES)
    form = form_class({}, {"scan": pdf, "scan__2": second})
    assert form.is_valid(), form.errors
    png_named_pdf = SimpleUploadedFile("a.pdf", PNG_BYTES)
    refused = form_class({}, {"scan": png_named_pdf})
    assert "scan" in refused.errors  # a PNG is not a PDF, whatever its name
    assert "scan" in form_class({}, {}).errors  # required: the first file must come


def test_upload_size_limit():
    slot = field("scan", "upload", content_types=["application/pdf"], max_bytes=20, max_files=1)
    form = form_class_build([slot], name="T")({}, {"scan": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    assert "scan" in form.errors


def test_labels_follow_the_language():
    from django.utils import translation

    definition = field("t", label_zh="姓名拼音", label_en="Name in pinyin")
    with translation.override("en"):
        assert form_class_build([definition], name="T")().fields["t"].label == "Name in pinyin"
    with translation.override("zh-hans"):
        assert form_class_build([definition], name="T")().fields["t"].label == "姓名拼音"
