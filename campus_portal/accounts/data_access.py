"""谁查看了我的数据, grouped: who looked at the signed-in person's data, through which office and
role, for what — names, not codes.

The warehouse's access log has one row per handler read and one per reader × application × day
for views by staff (see docs/data-warehouse.md). The page groups them by reader and purpose, so
that "王老师 (计算机学院 · 经费负责人) looked at your 日常费用报销 on 3 days" is one block
instead of a column of codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from campus_portal.accounts.role_names import READER_LABELS
from campus_portal.catalog.models import Office
from data_warehouse.selectors import access_log_for_person, data_item_labels

#: The newest entries the page groups (a person with more is shown the latest ones).
MAX_ENTRIES = 1000
ATTACHMENT_PREFIX = "attachment:"


@dataclass
class ReaderGroup:
    reader: str
    office: str
    role: str
    purpose: str
    applications: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)

    @property
    def last(self) -> datetime:
        return self.times[0]

    @property
    def count(self) -> int:
        return len(self.times)


def _item_label(key: str, labels: dict[str, str]) -> str:
    if key.startswith(ATTACHMENT_PREFIX):
        return _("Attachment: %(name)s") % {"name": key.removeprefix(ATTACHMENT_PREFIX)}
    return labels.get(key, key)


def data_access_groups(*, person_uid: str) -> list[ReaderGroup]:
    """The person's access log grouped by reader and purpose, the most recent group first."""
    entries = list(access_log_for_person(person_uid=person_uid)[:MAX_ENTRIES])
    labels = data_item_labels(keys={key for entry in entries for key in entry.items})
    offices = dict(
        Office.objects.filter(
            code__in={entry.reader_office for entry in entries if entry.reader_office}
        ).values_list("code", "name")
    )
    groups: dict[tuple[str, str, str, str], ReaderGroup] = {}
    for entry in entries:  # newest first
        reader = entry.reader_name or entry.actor
        key = (reader, entry.reader_office, entry.reader_role, entry.purpose)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ReaderGroup(
                reader=reader,
                office=offices.get(entry.reader_office, entry.reader_office),
                role=str(READER_LABELS.get(entry.reader_role, entry.reader_role)),
                purpose=entry.purpose,
            )
        group.times.append(entry.at)
        if entry.application_ref and entry.application_ref not in group.applications:
            group.applications.append(entry.application_ref)
        for item in entry.items:
            label = _item_label(item, labels)
            if label not in group.items:
                group.items.append(label)
    return list(groups.values())
