"""Writing the 105号 targets (HackSoft style: services write)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from campus_portal.dashboard.models import Measure, Scope, Target

DEMO_TARGETS = Path(__file__).resolve().parents[2] / "demo_data" / "targets.yaml"


def targets_load(*, path: Path = DEMO_TARGETS) -> int:
    """Create the targets of a targets.yaml that do not exist yet (same due, scope, measure).

    Idempotent, and it never overwrites a target an administrator has edited since: the
    file is the starting point, the admin is where targets are kept afterwards.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    created = 0
    with transaction.atomic():
        for order, entry in enumerate(data.get("targets", [])):
            scope, measure = str(entry["scope"]), str(entry["measure"])
            if scope not in Scope.values or measure not in Measure.values:
                raise ValueError(f"unknown scope or measure in {path.name}: {scope}/{measure}")
            _, made = Target.objects.get_or_create(
                due=entry["due"],
                scope=scope,
                measure=measure,
                defaults={
                    "goal": Decimal(str(entry["goal"])),
                    "text": str(entry["text"]),
                    "sort_order": order,
                },
            )
            created += made
    return created
