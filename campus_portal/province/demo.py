"""Demo provincial matters (demo_data/province_matters.json), checked like a real sync."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from campus_portal.catalog.models import MatterPage
from campus_portal.province.contract import entry_parse
from campus_portal.province.sync import Counts, catalog_apply

DEMO_FILE = Path(settings.BASE_DIR) / "demo_data" / "province_matters.json"


@transaction.atomic
def province_demo_load(path: Path = DEMO_FILE) -> Counts:
    """Load the demo catalog and point campus matters at their provincial counterparts."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = catalog_apply([entry_parse(item) for item in data["items"]])
    for campus_code, provincial_code in data.get("links", {}).items():
        MatterPage.objects.filter(code=campus_code).update(provincial_matter_code=provincial_code)
    return counts
