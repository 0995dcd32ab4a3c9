"""The definition a version stores: plain JSON made from the draft's StreamField blocks.

Everything downstream — the applicant's form (``fields.py``), the lint (``lint.py``), the
generic handler — reads this one shape, never the blocks, so a published version stays readable
whatever the designer's blocks become::

    {"fields": [{"key", "type", "label_zh", "label_en", "help_zh", "help_en", "required",
                 "visible_when": {"field", "equals"} | None, "choices": [{value, label_zh,
                 label_en}], "min_value", "max_value",                    # form fields
                 "content_types", "max_bytes", "max_files", "paper_original"}],  # upload slots
     "data_needs": ["person.name", ...],
     "purpose": "...",
     "steps": [{"key", "kind": "office" | "college" | "assignee", "office", "answer_field",
                "label", "time_limit_days", "group", "decided_by"}],
     "decision": {"mode": "staff" | "instant", "rule": {...}},
     "result": {"kind", "title", "body", "delivery_modes": [...]}}
"""

from __future__ import annotations

from typing import Any

MB = 1024 * 1024


def _condition(value: dict) -> dict | None:
    field = (value.get("visible_when_field") or "").strip()
    if not field:
        return None
    equals = [part.strip() for part in (value.get("visible_when_equals") or "").split("|")]
    equals = [part for part in equals if part]
    return {"field": field, "equals": equals[0] if len(equals) == 1 else equals}


def _number(value) -> int | float | None:
    if value is None or value == "":
        return None
    return int(value) if value == int(value) else float(value)


def field_definition(block_type: str, value: dict) -> dict[str, Any]:
    definition = {
        "key": value["key"],
        "type": "upload" if block_type == "upload" else value["type"],
        "label_zh": value.get("label_zh", ""),
        "label_en": value.get("label_en", ""),
        "help_zh": value.get("help_zh", ""),
        "help_en": value.get("help_en", ""),
        "required": bool(value.get("required")),
        "visible_when": _condition(value),
    }
    if block_type == "upload":
        definition.update(
            content_types=list(value.get("content_types") or []),
            max_bytes=(value.get("max_mb") or 0) * MB or None,
            max_files=value.get("max_files") or 1,
            paper_original=bool(value.get("paper_original")),
        )
    else:
        definition.update(
            choices=[dict(choice) for choice in value.get("choices") or []],
            min_value=_number(value.get("min_value")),
            max_value=_number(value.get("max_value")),
        )
    return definition


def step_definition(block_type: str, value: dict) -> dict[str, Any]:
    return {
        "key": value["key"],
        "kind": block_type,
        "office": value.get("office", ""),
        "answer_field": value.get("answer_field", ""),
        "label": value["label"],
        "time_limit_days": int(value.get("time_limit_days") or 0),
        "group": value.get("group", ""),
        "decided_by": "office_head" if value.get("decided_by_head") else "office_staff",
    }


def definition_from_draft(configuration) -> dict[str, Any]:
    """The draft of ``configuration`` as the JSON a version stores."""
    return {
        "fields": [field_definition(b.block_type, dict(b.value)) for b in configuration.fields],
        "data_needs": list(configuration.data_needs or []),
        "purpose": configuration.purpose,
        "steps": [step_definition(b.block_type, dict(b.value)) for b in configuration.steps],
        "decision": {
            "mode": configuration.decision_mode,
            "rule": configuration.decision_rule or None,
        },
        "result": {
            "kind": configuration.result_kind,
            "title": configuration.result_title,
            "body": configuration.result_body,
            "delivery_modes": list(configuration.delivery_modes or []),
        },
    }


def field_keys(definition: dict[str, Any]) -> set[str]:
    return {field["key"] for field in definition.get("fields", [])}


def draft_blocks(definition: dict[str, Any]) -> tuple[list, list]:
    """The StreamField values (``[(block_type, value)]``) of a definition: how the import
    writes a starting configuration into the designer's draft."""
    fields = []
    for field in definition.get("fields", []):
        condition = field.get("visible_when") or {}
        equals = condition.get("equals")
        common = {
            "key": field["key"],
            "label_zh": field.get("label_zh", ""),
            "label_en": field.get("label_en", ""),
            "help_zh": field.get("help_zh", ""),
            "help_en": field.get("help_en", ""),
            "required": bool(field.get("required")),
            "visible_when_field": condition.get("field", ""),
            "visible_when_equals": "|".join(map(str, equals))
            if isinstance(equals, list)
            else str(equals or ""),
        }
        if field["type"] == "upload":
            fields.append(
                (
                    "upload",
                    {
                        **common,
                        "content_types": field.get("content_types", []),
                        "max_mb": (field.get("max_bytes") or 0) // MB or None,
                        "max_files": field.get("max_files") or 1,
                        "paper_original": bool(field.get("paper_original")),
                    },
                )
            )
        else:
            fields.append(
                ("field", {**common, "type": field["type"], "choices": field.get("choices", [])})
            )
    steps = [
        (
            step["kind"],
            {
                "key": step["key"],
                "label": step["label"],
                "time_limit_days": step["time_limit_days"],
                "group": step.get("group", ""),
                "decided_by_head": step.get("decided_by") == "office_head",
                **({"office": step.get("office", "")} if step["kind"] != "college" else {}),
                **(
                    {"answer_field": step.get("answer_field", "")}
                    if step["kind"] == "assignee"
                    else {}
                ),
            },
        )
        for step in definition.get("steps", [])
    ]
    return fields, steps
