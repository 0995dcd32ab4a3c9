"""Answering a supplement notice (补正) item by item, in one round.

Staff return an application listing what is missing or wrong: materials of the guide (ticked)
and items they typed. On the applicant's form each item gets its own answer: a material the
form already has an upload slot for asks for a *new* file in that slot; a material without a
slot gets an upload of its own; a typed item gets a text answer. Every item is required, so the
round is answered completely or not sent (一次性补正). The answers are ordinary answers of the
form (``supplement_<n>`` for the n-th item), so drafts, uploads and the staff's view treat them
like any other field.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext as _

from campus_portal.applications.models import Event
from campus_portal.attachments.selectors import attachment_ids_since
from campus_portal.plugin_api import UploadField, is_attachment

PREFIX = "supplement_"


def _base_name(text: str) -> str:
    """A material's name without its parenthesis: ``医院证明（因病休学）`` → ``医院证明`` (a
    configured slot is labelled so, with the parenthesis as its help)."""
    return text.split("（", 1)[0].split("(", 1)[0].strip()


def _slot_for(form: forms.Form, item: str, taken: set[str]) -> str | None:
    for name, field in form.fields.items():
        label = str(field.label or "")
        usable = isinstance(field, UploadField) and name not in taken and label
        if usable and (label == item or _base_name(label) == _base_name(item)):
            return name
    return None


def supplement_fresh_attachments(application) -> set[int]:
    """Ids of the files uploaded in the current supplement round (after the notice)."""
    requested = (
        application.events.filter(kind=Event.Kind.SUPPLEMENT_REQUESTED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if requested is None:
        return set()
    return set(attachment_ids_since(application=application, since=requested))


def supplement_fields_add(
    form: forms.Form, *, notice: Iterable[str], materials: Iterable[str], fresh: set[int]
) -> list[tuple[str, str]]:
    """Add one required answer per notice item to ``form``; returns (item, field name) pairs.

    A slot asked again keeps as its initial value only a file uploaded in this round
    (``fresh``, say kept by a draft), so an earlier file never answers the notice.
    """
    material_names = {str(name) for name in materials}
    pairs: list[tuple[str, str]] = []
    taken: set[str] = set()
    for number, item in enumerate(notice, start=1):
        label = _("Supplement: %(item)s") % {"item": item}
        slot = _slot_for(form, item, taken) if item in material_names else None
        if slot is not None:
            taken.add(slot)
            field = form.fields[slot]
            field.required = True
            field.help_text = _("Upload a new file for this item of the supplement notice.")
            kept = form.initial.get(slot)
            if not (is_attachment(kept) and kept.get("attachment") in fresh):
                form.initial.pop(slot, None)
            pairs.append((item, slot))
            continue
        name = f"{PREFIX}{number}"
        if item in material_names:
            form.fields[name] = UploadField(label=label, required=True)
        else:
            form.fields[name] = forms.CharField(
                label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            )
        pairs.append((item, name))
    return pairs


def supplement_label(name: str, notice: list[str]) -> str | None:
    """The label of a supplement answer stored under ``supplement_<n>`` (None otherwise)."""
    if not name.startswith(PREFIX) or not name[len(PREFIX) :].isdigit():
        return None
    number = int(name[len(PREFIX) :])
    if not 1 <= number <= len(notice):
        return None
    return _("Supplement: %(item)s") % {"item": notice[number - 1]}
