"""The window's generic intake (无差别受理) of a matter that nothing else serves.

A matter with neither a published configuration nor a code plugin can still be taken in at any
service window: applicant, matter, the paper materials scanned or uploaded, a note, routed to
the matter's responsible office as one step that its staff decide. It is a handler like any
other, registered through the plugin contract and marked ``window_intake``: the core offers it
only for window starts (``applications.selectors.window_handler_for``) and never binds it, so
the matter's guide page and the dashboard's online shares do not count it as online service.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campus_portal.applications.models import Application
from campus_portal.catalog.choices import MaterialSource
from campus_portal.catalog.models import MatterPage
from campus_portal.plugin_api import (
    JPEG,
    PDF,
    PNG,
    ApplicationView,
    MatterHandler,
    StepSpec,
    UploadField,
    registry,
)

INTAKE_KEY = "config.intake"
#: Files beyond the guide's materials ("other materials"): slots ``other``, ``other__2`` …
OTHER_SLOTS = 3


def _upload(label: str, *, help_text: str = "") -> UploadField:
    return UploadField(
        content_types=(PDF, JPEG, PNG), required=False, label=label, help_text=help_text
    )


def intake_form_class(material_names: list[str]) -> type[forms.Form]:
    """One optional upload per material the applicant brings, a few more, and a note."""
    attributes: dict = {}
    for number, name in enumerate(material_names, start=1):
        attributes[f"material_{number}"] = _upload(name[:200])
    for number in range(1, OTHER_SLOTS + 1):
        suffix = "" if number == 1 else f"__{number}"
        attributes[f"other{suffix}"] = _upload(
            str(_("Other material %(number)s") % {"number": number})
        )
    attributes["note"] = forms.CharField(
        label=_("What the applicant asks for (note of the window)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    return type("WindowIntakeForm", (forms.Form,), attributes)


def _matter_of(application: ApplicationView) -> MatterPage | None:
    matter_id = (
        Application.objects.filter(reference=application.reference)
        .values_list("matter_id", flat=True)
        .first()
    )
    return MatterPage.objects.filter(pk=matter_id).first() if matter_id else None


@registry.register
class WindowIntakeHandler(MatterHandler):
    key = INTAKE_KEY
    office = "CONFIG"  # never used: office_for() names each matter's own office
    label = "窗口通用收件（无差别受理，未配置的事项）"
    purpose = "窗口收件，转交事项的责任部门办理"
    window_intake = True

    def accepts(self, matter_code: str) -> bool:
        """Any matter of the catalog whose responsible office is known."""
        return bool(self.office_for(matter_code))

    def office_for(self, matter_code: str) -> str:
        return (
            MatterPage.objects.filter(code=matter_code)
            .values_list("office__code", flat=True)
            .first()
            or ""
        )

    def form_class_for(self, application: ApplicationView) -> type[forms.Form]:
        matter = _matter_of(application)
        names = (
            list(
                matter.materials.filter(source=MaterialSource.APPLICANT).values_list(
                    "name", flat=True
                )
            )
            if matter is not None
            else []
        )
        return intake_form_class(names)

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        """One step: the responsible office examines what the window took in and decides."""
        matter = _matter_of(application)
        if matter is None or matter.office is None:
            return []
        return [
            StepSpec(
                key="office",
                office=matter.office.code,
                label=f"{matter.office.name}办理（窗口收件）"[:100],
                time_limit_days=int(matter.promised_time_limit or 0),
            )
        ]

    def is_fully_online(self, matter) -> bool:
        return False  # taken in on paper at a window
