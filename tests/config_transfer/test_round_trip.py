"""The whole demo configuration moves from one database into an empty second one, and both
serve the same guide pages and forms; a student applies on both."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import call_command

from campus_portal.catalog.models import SearchSynonym
from campus_portal.config_transfer.services import configuration_export, configuration_import
from campus_portal.queueing.models import ServiceCategory
from campus_portal.workdays.models import CalendarOverride
from tests.config_transfer.probe import probe

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
APPLY = ["SF-XGB-003"]


def _demo_configuration() -> None:
    call_command("matter_config_load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    SearchSynonym.objects.update_or_create(term="迁移测试词", defaults={"canonical": "在读证明"})
    ServiceCategory.objects.create(prefix="A", name="综合受理")
    CalendarOverride.objects.create(date="2027-10-09", is_working_day=True, note="调休")


def test_demo_configuration_moves_to_an_empty_instance(empty_instance, tmp_path):
    _demo_configuration()
    archive = tmp_path / "demo-config.zip"
    archive.write_bytes(configuration_export())
    with zipfile.ZipFile(archive) as package:
        manifest = json.loads(package.read("manifest.json"))
        text = b"".join(package.read(n) for n in package.namelist()).decode()
    assert manifest["format_version"] == 1 and manifest["platform_version"]
    assert '"id"' not in text and "password" not in text.lower()

    dry = empty_instance.manage("config_import", str(archive), "--dry-run")
    assert "Dry run, nothing written" in dry.stdout and "[新建]" in dry.stdout, dry.stdout
    empty_instance.manage("config_import", str(archive))
    again = empty_instance.manage("config_import", str(archive))
    assert "[" not in again.stdout.split("Imported")[0], again.stdout  # nothing new or changed

    there = empty_instance.manage(
        "shell", "-c", "from tests.config_transfer.probe import main; main()",
        env={"PROBE_CODES": ",".join(APPLY)},
    )  # fmt: skip
    theirs = json.loads(there.stdout.split("PROBE", 1)[1])
    ours = probe(APPLY)
    assert len(ours["pages"]) > 80
    assert theirs["pages"] == ours["pages"]
    assert theirs["applied"] == ours["applied"]
    assert ours["applied"][APPLY[0]]["state"] == "submitted"


def test_reimporting_the_same_archive_changes_nothing():
    _demo_configuration()
    data = configuration_export()
    report = configuration_import(data=data, filename="same.zip", dry_run=False)
    assert report.applied and report.counts() == {"unchanged": len(report.entries)}
