"""The shared yes/no fields: every bundle stores the same answers and reads them the same way."""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import NO, YES, is_yes, party_member_field, yes_no_field


class ChoiceForm(forms.Form):
    household_transfer = yes_no_field("是否将户口迁入学校集体户")
    party_member = party_member_field("党员需同时办理党员组织关系转入")


def test_answers_are_stored_as_yes_or_no():
    form = ChoiceForm({"household_transfer": "yes", "party_member": "no"})
    assert form.is_valid()
    assert form.cleaned_data == {"household_transfer": YES, "party_member": NO}
    assert (YES, NO) == ("yes", "no")


def test_both_are_required_radio_choices_with_no_preselected():
    assert not ChoiceForm({"party_member": "no"}).is_valid()
    assert not ChoiceForm({"household_transfer": "是", "party_member": "no"}).is_valid()
    field = ChoiceForm().fields["party_member"]
    assert isinstance(field.widget, forms.RadioSelect) and field.initial == NO
    assert field.label == "是否为中共党员（含预备党员）"
    assert field.help_text == "党员需同时办理党员组织关系转入"


def test_is_yes_counts_a_missing_answer_as_no():
    assert is_yes({"party_member": "yes"}, "party_member")
    assert not is_yes({"party_member": "no"}, "party_member")
    assert not is_yes({}, "party_member")
