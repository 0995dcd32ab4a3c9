"""The 105号 dashboard in headless Chromium: what the page shows is what ``targets_report
--format json`` reports on the same data; the charts are drawn; a number drills down to the
applications behind it. Writes docs/screenshots/dashboard.png."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from campus_portal.accounts.roles import Role
from campus_portal.catalog.models import MatterPage
from campus_portal.dashboard import rollups
from campus_portal.dashboard.services import targets_load
from tests.browser.flows import staff
from tests.dashboard.conftest import History

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "dashboard.png"
STATUS = {"met": "已达成", "at_risk": "有风险", "not_met": "未达成"}


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _history() -> None:
    """Applications over the last months on the six matters the browser flows import."""
    user = get_user_model().objects.create_user("dash-history", "h@x.cn", "pw-H-12345")
    history = History(user)
    today = timezone.localdate()
    plan = [("SF-JWC-001", 9, 0), ("SF-XGB-006", 6, 1), ("SF-JWC-003", 3, 1), ("SF-HQC-001", 2, 2)]
    for code, count, visits in plan:
        for n in range(count):
            day = today - timedelta(days=20 + 31 * (n % 11))
            submitted = f"{day.isoformat()} 09:30"
            decided = f"{day.isoformat()} 15:00"
            history.application(
                code,
                submitted=submitted,
                decided=decided,
                visits=visits if n % 3 == 0 else 0,
                late=n % 4 == 1,
                score=(5, 4, 2, 3)[n % 4],
                rated=decided,
            )
    MatterPage.objects.filter(code="SF-XB-002").update(
        special_requirements=True, special_requirements_reason="涉密事项，须现场核验"
    )
    targets_load()
    rollups.rollups_rebuild()


def test_the_dashboard_shows_what_the_report_says(portal):
    _history()
    out = io.StringIO()
    call_command("targets_report", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    events = report["scopes"]["all"]["events"]

    administrator = staff("dash-admin", (Role.ADMINISTRATOR, ""))
    portal.sign_in(administrator, then="/admin/dashboard/")
    portal.wait_for("#dashboard")
    shown = {
        tile.get_attribute("data-figure"): tile.find_element("css selector", ".tile-value").text
        for tile in portal.all(".dashboard-tiles .tile")
    }
    assert shown["submitted"] == str(events["submitted"]) == "20"
    assert shown["realization_rate"] == _percent(events["realization_rate"])
    assert shown["on_time_rate"] == _percent(events["on_time_rate"])
    assert shown["satisfaction_share"] == _percent(events["satisfaction_share"])
    assert shown["p90_days"] == str(events["p90_days"])
    assert shown["high_frequency_count"] == str(report["high_frequency"]["count"])
    assert shown["rectifications"] == (
        f"{report['rectifications']['open']} / {report['rectifications']['overdue']}"
    )
    # The targets table, row by row.
    rows = portal.all("#targets tbody tr")
    assert len(rows) == len(report["targets"]) == 8
    for row, target in zip(rows, report["targets"], strict=True):
        assert row.find_element("css selector", ".target-value").text == _percent(target["value"])
        assert row.find_element("css selector", ".target-status").text == STATUS[target["status"]]
    # The league table has one row per office, with the report's on-time rates.
    league = {
        row.get_attribute("data-office"): row.find_elements("css selector", "td")[3].text
        for row in portal.all("#league tbody tr")
    }
    assert league == {row["office"]: _percent(row["on_time_rate"]) for row in report["league"]}
    assert "涉密事项，须现场核验" in portal.find("#special-matters").text
    # Both charts were drawn by Chart.js from the same figures, labelled in Chinese.
    pareto = portal.browser.execute_script(
        "return Chart.getChart('pareto-chart').data.datasets[0].data"
    )
    assert pareto == [r["count"] for r in report["high_frequency"]["ranking"] if r["count"]][:40]
    trend = portal.browser.execute_script(
        "return Chart.getChart('trend-chart').data.datasets.map(d => d.label)"
    )
    assert trend[:2] == ["办件", "实现率"]
    portal.browser.set_window_size(1400, 1900)
    try:
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        portal.browser.save_screenshot(str(SCREENSHOT))
    finally:
        portal.browser.set_window_size(1280, 900)
    # Drill down from the on-time tile to the late applications behind it.
    portal.click('.tile[data-figure="on_time_rate"]')
    portal.wait_for("#application-count")
    assert portal.find("#application-count").text == str(events["late"])
