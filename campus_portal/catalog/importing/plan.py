"""What an import would do — the dry run an administrator reviews before confirming."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from campus_portal.catalog.importing.problems import ImportProblem
from campus_portal.catalog.importing.rows import PowerItemRow
from campus_portal.catalog.models import MatterPage, Office, PowerItem
from campus_portal.catalog.slugs import code_slug

# PowerItem field for each compared row value, to name what changed in the dry-run report.
_COMPARED_FIELDS = {
    "name": "name",
    "sub_item": "sub_item",
    "matter_type": "matter_type",
    "basis": "basis",
    "materials": "materials_text",
    "process": "process_text",
    "legal_time_limit": "legal_time_limit",
    "promised_time_limit": "promised_time_limit",
    "visits_required": "visits_required",
    "online_depth": "online_depth",
    "channels": "channels",
    "charged": "charged",
    "address": "address",
    "phone": "phone",
    "volume": "last_year_volume",
}


@dataclass
class ImportPlan:
    rows: list[PowerItemRow]
    problems: list[ImportProblem]
    created: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code → changed columns
    unchanged: list[str] = field(default_factory=list)
    offices_created: dict[str, str] = field(default_factory=dict)  # code → name
    offices_renamed: dict[str, tuple[str, str]] = field(default_factory=dict)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_report(self) -> dict[str, object]:
        """JSON-ready summary, stored with the import and shown in the admin."""
        return {
            "ok": self.ok,
            "problems": [p.as_dict() for p in self.problems],
            "created": self.created,
            "changed": self.changed,
            "unchanged": len(self.unchanged),
            "offices_created": self.offices_created,
            "offices_renamed": {k: list(v) for k, v in self.offices_renamed.items()},
            "not_in_file": self.not_in_file,
            "rows": len(self.rows),
        }


def build_plan(rows: list[PowerItemRow], problems: list[ImportProblem]) -> ImportPlan:
    plan = ImportPlan(rows=rows, problems=[*problems, *_address_conflicts(rows)])
    if plan.problems:
        return plan
    existing = {item.code: item for item in PowerItem.objects.select_related("office")}
    offices = {office.code: office.name for office in Office.objects.all()}
    for row in rows:
        if row.office_code not in offices and row.office_code not in plan.offices_created:
            plan.offices_created[row.office_code] = row.office_name
        elif offices.get(row.office_code, row.office_name) != row.office_name:
            plan.offices_renamed[row.office_code] = (offices[row.office_code], row.office_name)
        item = existing.get(row.code)
        if item is None:
            plan.created.append(row.code)
        elif item.fingerprint == row.fingerprint:
            plan.unchanged.append(row.code)
        else:
            plan.changed[row.code] = _changed_fields(item, row)
    in_file = {row.code for row in rows}
    plan.not_in_file = sorted(code for code in existing if code not in in_file)
    return plan


def _address_conflicts(rows: list[PowerItemRow]) -> list[ImportProblem]:
    """Rows whose page address is already used by another matter of the same office."""
    taken = {
        (office_code, slug): code
        for code, slug, office_code in MatterPage.objects.values_list(
            "code", "slug", "office__code"
        )
    }
    problems = []
    for row in rows:
        other = taken.get((row.office_code, code_slug(row.code)))
        if other is not None and other != row.code:
            problems.append(
                ImportProblem(
                    row.row,
                    None,
                    _("Code %(code)s gives the same web address as the existing matter %(other)s.")
                    % {"code": row.code, "other": other},
                )
            )
    return problems


def _changed_fields(item: PowerItem, row: PowerItemRow) -> list[str]:
    changed = [
        key
        for key, attribute in _COMPARED_FIELDS.items()
        if getattr(item, attribute) != getattr(row, key)
    ]
    if item.office.code != row.office_code:
        changed.append("office_code")
    if sorted(item.audience_codes) != sorted(row.audiences):
        changed.append("audiences")
    return changed or ["format"]
