"""``targets_report``: the dashboard's figures as JSON and as the filing workbook."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from campus_portal.catalog.models import MatterPage
from campus_portal.dashboard import rollups
from campus_portal.dashboard.models import Target
from campus_portal.dashboard.selectors import dashboard_figures
from campus_portal.dashboard.services import targets_load


@pytest.fixture
def data(history):
    targets_load()
    MatterPage.objects.filter(code="SF-BWC-003").update(
        special_requirements=True, special_requirements_reason='=HYPERLINK("http://x")须到场'
    )
    history.application(
        "SF-JWC-010", submitted="2026-11-02 09:00", decided="2026-11-03 10:00", visits=1, score=5
    )
    history.application(
        "SF-XGB-001",
        submitted="2026-11-02 09:00",
        decided="2026-11-04 10:00",
        visits=2,
        late=True,
        score=1,
        rectification_due="2026-11-10 17:00",
    )
    rollups.rollups_rebuild()


def test_json_is_the_dashboard_figures(data):
    out = io.StringIO()
    call_command("targets_report", "--as-of", "2026-11-20", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report == json.loads(json.dumps(dashboard_figures(as_of=date(2026, 11, 20))))
    events = report["scopes"]["all"]["events"]
    assert (events["completed"], events["realization_rate"], events["on_time_rate"]) == (
        2,
        0.5,
        0.5,
    )
    assert report["period"] == {"start": "2025-12", "end": "2026-11"}
    assert len(report["targets"]) == 8
    assert report["special_matters"][0]["code"] == "SF-BWC-003"


def test_xlsx_has_the_lists_and_is_safe_from_formulas(data, tmp_path):
    Target.objects.create(
        due=date(2027, 6, 30),
        scope="all",
        measure="on_time_rate",
        goal="0.95",
        text="=1+1 按时办结",
    )
    out = tmp_path / "report.xlsx"
    call_command(
        "targets_report",
        "--as-of",
        "2026-11-20",
        "--format",
        "xlsx",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    workbook = load_workbook(out)
    assert workbook.sheetnames == [
        "105号目标",
        "指标",
        "部门",
        "月度趋势",
        "高频事项目录",
        "特殊要求事项",
        "承诺零跑动但有到场",
        "指南承诺高于实际",
        "校务服务事项目录",
    ]
    targets = [row for row in workbook["105号目标"].iter_rows(min_row=2, values_only=True)]
    assert len(targets) == 9
    injected = next(row for row in targets if "按时办结" in row[1])
    assert injected[1] == "'=1+1 按时办结"
    assert injected[6] == "50.0%" and injected[7] == "未达成"  # due in 7 months, not falling
    special = list(workbook["特殊要求事项"].iter_rows(min_row=2, values_only=True))
    assert special == [("SF-BWC-003", "集体户口借用", "保卫处", '\'=HYPERLINK("http://x")须到场')]
    overclaims = {
        row[0]: row for row in workbook["指南承诺高于实际"].iter_rows(min_row=2, values_only=True)
    }
    # 奖学金申请 claims 全程网办 and 一次不用跑 but takes no online application here.
    assert overclaims["SF-XGB-003"] == (
        "SF-XGB-003",
        "奖学金申请（校级奖学金）",
        "学生工作部",
        4,
        0,
        "否",
        "否",
        "指南称可网上申请，平台未开通；指南称零跑动，办理仍需到现场",
    )
    assert "SF-JWC-001" not in overclaims  # bound to a fully online handler
    catalog = list(workbook["校务服务事项目录"].iter_rows(min_row=2, values_only=True))
    assert len(catalog) == 100
    assert all(
        cell.data_type != "f" for row in workbook["特殊要求事项"].iter_rows() for cell in row
    )
    high_frequency = list(workbook["高频事项目录"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in high_frequency] == [
        r["code"]
        for r in dashboard_figures(as_of=date(2026, 11, 20))["high_frequency"]["ranking"]
        if r["high_frequency"]
    ]


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("targets_report", "--as-of", "20/11/2026")
