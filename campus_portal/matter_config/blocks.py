"""The designer's StreamField blocks: form fields, upload slots, steps.

Wagtail's StreamField gives the office an ordered, typed list it can reorder in the admin
without code; each block's value is turned into the plain definition a version stores by
``definition.py``. Wagtail's form builder (``wagtail.contrib.forms``) was considered and not
used: its fields are page-bound and it has no ID number, mobile, date range, upload slot or
conditional visibility (docs/matter-config.md).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from campus_portal.attachments.detection import JPEG, OFD, PDF, PNG
from campus_portal.matter_config.fields import FIELD_TYPES

KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use lower-case letters, digits and _ (starting with a letter), at most 40."),
)
CONTENT_TYPE_CHOICES = [(PDF, "PDF"), (JPEG, "JPEG"), (PNG, "PNG"), (OFD, "OFD")]


class ChoiceOptionBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Stored value"), max_length=40)
    label_zh = blocks.CharBlock(label=_("Label (Chinese)"), max_length=100)
    label_en = blocks.CharBlock(label=_("Label (English)"), max_length=100, required=False)


class _Labelled(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("Field key"),
        max_length=40,
        validators=[KEY_VALIDATOR],
        help_text=_("Stable name of the answer (rules and conditions use it); never reuse one."),
    )
    label_zh = blocks.CharBlock(label=_("Label (Chinese)"), max_length=100)
    label_en = blocks.CharBlock(label=_("Label (English)"), max_length=100, required=False)
    help_zh = blocks.CharBlock(label=_("Help text (Chinese)"), max_length=300, required=False)
    help_en = blocks.CharBlock(label=_("Help text (English)"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    visible_when_field = blocks.CharBlock(
        label=_("Show only when field"),
        max_length=40,
        required=False,
        help_text=_("The key of another field; leave empty to always show this one."),
    )
    visible_when_equals = blocks.CharBlock(
        label=_("… has the answer"),
        max_length=200,
        required=False,
        help_text=_("A stored value; several separated by |."),
    )


class FormFieldBlock(_Labelled):
    type = blocks.ChoiceBlock(
        label=_("Field type"),
        choices=[(key, label) for key, label in FIELD_TYPES.items() if key != "upload"],
    )
    choices = blocks.ListBlock(ChoiceOptionBlock(), label=_("Options (choices)"), default=[])
    min_value = blocks.DecimalBlock(label=_("Minimum (numbers)"), required=False)
    max_value = blocks.DecimalBlock(label=_("Maximum (numbers)"), required=False)

    class Meta:
        icon = "form"
        label = _("Form field")


class UploadSlotBlock(_Labelled):
    content_types = blocks.MultipleChoiceBlock(
        label=_("Allowed file types (checked by content)"),
        choices=CONTENT_TYPE_CHOICES,
        required=False,
    )
    max_mb = blocks.IntegerBlock(
        label=_("Size limit (MB)"), required=False, min_value=1, max_value=100
    )
    max_files = blocks.IntegerBlock(label=_("Number of files"), default=1, min_value=1, max_value=9)
    paper_original = blocks.BooleanBlock(
        label=_("The paper original must also be handed in"), required=False
    )

    class Meta:
        icon = "doc-full"
        label = _("Upload slot (material)")


class _StepBase(blocks.StructBlock):
    key = blocks.CharBlock(label=_("Step key"), max_length=40, validators=[KEY_VALIDATOR])
    label = blocks.CharBlock(label=_("Step name"), max_length=100)
    time_limit_days = blocks.IntegerBlock(
        label=_("Time limit (working days)"), min_value=0, max_value=365, default=1
    )
    group = blocks.CharBlock(
        label=_("Parallel group"),
        max_length=40,
        required=False,
        help_text=_("Consecutive steps with the same group run at the same time."),
    )
    decided_by_head = blocks.BooleanBlock(
        label=_("Only the office head may finish it"), required=False
    )


class OfficeStepBlock(_StepBase):
    office = blocks.CharBlock(label=_("Office code"), max_length=32)

    class Meta:
        icon = "group"
        label = _("Step: an office")


class CollegeStepBlock(_StepBase):
    class Meta:
        icon = "home"
        label = _("Step: the applicant's own college")


class AssigneeStepBlock(_StepBase):
    office = blocks.CharBlock(label=_("Office code (its staff can still act)"), max_length=32)
    answer_field = blocks.CharBlock(
        label=_("Field whose answer names the person (campus number)"), max_length=40
    )

    class Meta:
        icon = "user"
        label = _("Step: a person named in an answer")


FIELD_BLOCKS = [("field", FormFieldBlock()), ("upload", UploadSlotBlock())]
STEP_BLOCKS = [
    ("office", OfficeStepBlock()),
    ("college", CollegeStepBlock()),
    ("assignee", AssigneeStepBlock()),
]
