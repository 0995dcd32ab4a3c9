"""The 105号 report (``targets_report``): the dashboard's figures as JSON or as the workbook a
university files, with the matter catalog and the high-frequency list attached.

Both formats are built from ``selectors.dashboard_figures`` — the numbers the dashboard shows.
The workbook is in Chinese whatever the operator's language (it goes to the provincial
department, like ``catalog.exports``) and every cell passes ``spreadsheet_safe``.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from campus_portal.catalog.exports import catalog_rows
from campus_portal.catalog.models import Office
from campus_portal.common.spreadsheets import xlsx_workbook_bytes
from campus_portal.dashboard.selectors import dashboard_figures

MEASURE_NAMES = {
    "share_at_most_one_visit": "“最多跑一次”事项占比",
    "share_online_application": "开通网上申请渠道事项占比",
    "share_fully_online": "全流程在线办理事项占比",
    "share_online_and_mobile": "网上、掌上办事覆盖占比",
    "catalog_published": "事项清单公布率",
    "realization_rate": "“最多跑一次”实现率",
    "on_time_rate": "按时办结率",
    "satisfaction_share": "满意率（满意＋非常满意）",
}
SCOPE_NAMES = {"all": "全部事项", "high_frequency": "高频事项"}
STATUS_NAMES = {"met": "已达成", "not_met": "未达成", "at_risk": "有风险"}
CLAIM_NAMES = {
    "online_application": "指南称可网上申请，平台未开通",
    "no_visit": "指南称零跑动，办理仍需到现场",
}
SOURCE_NAMES = {
    "applications": "平台办件量（近12个月）",
    "last_year_volume": "上年度办件量（导入）",
}


def targets_report_json(*, as_of: date) -> str:
    return json.dumps(
        dashboard_figures(as_of=as_of), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def targets_report_xlsx(*, as_of: date) -> bytes:
    figures = dashboard_figures(as_of=as_of)
    names = dict(Office.objects.values_list("code", "name"))
    period = f"{figures['period']['start']} 至 {figures['period']['end']}"
    targets = [
        [
            n,
            t["text"],
            t["due"],
            SCOPE_NAMES[t["scope"]],
            MEASURE_NAMES[t["measure"]],
            _percent(t["goal"]),
            _percent(t["value"]),
            STATUS_NAMES[t["status"]],
        ]
        for n, t in enumerate(figures["targets"], start=1)
    ]
    measures = []
    for scope, data in figures["scopes"].items():
        for key, entry in data["catalog"].items():
            measures.append(
                [
                    SCOPE_NAMES[scope],
                    MEASURE_NAMES[key],
                    entry["numerator"],
                    entry["denominator"],
                    _percent(entry["value"]),
                ]
            )
        events = data["events"]
        measures += [
            [
                SCOPE_NAMES[scope],
                MEASURE_NAMES["realization_rate"],
                events["realization_numerator"],
                events["completed"],
                _percent(events["realization_rate"]),
            ],
            [
                SCOPE_NAMES[scope],
                MEASURE_NAMES["on_time_rate"],
                events["completed"] - events["late"],
                events["completed"],
                _percent(events["on_time_rate"]),
            ],
            [
                SCOPE_NAMES[scope],
                "平均办理时长（工作日）",
                "",
                events["completed"],
                events["average_days"],
            ],
            [
                SCOPE_NAMES[scope],
                "办理时长第90百分位（工作日）",
                "",
                events["completed"],
                events["p90_days"],
            ],
            [
                SCOPE_NAMES[scope],
                MEASURE_NAMES["satisfaction_share"],
                "",
                events["rated"],
                _percent(events["satisfaction_share"]),
            ],
        ]
    rectifications = figures["rectifications"]
    measures += [
        ["全部事项", "整改中（差评）", rectifications["open"], "", ""],
        ["全部事项", "整改逾期", rectifications["overdue"], "", ""],
    ]
    league = [
        [
            row["office"],
            names.get(row["office"], row["office"]),
            row["submitted"],
            row["completed"],
            _percent(row["on_time_rate"]),
            _percent(row["realization_rate"]),
            _percent(row["satisfaction_share"]),
            row["late"],
            row["rectifications"]["open"],
            row["rectifications"]["overdue"],
        ]
        for row in figures["league"]
    ]
    trend = [
        [
            m["month"],
            m["submitted"],
            m["completed"],
            _percent(m["realization_rate"]),
            _percent(m["on_time_rate"]),
            _percent(m["satisfaction_share"]),
        ]
        for m in figures["scopes"]["all"]["trend"]
    ]
    source = SOURCE_NAMES[figures["high_frequency"]["source"]]
    high_frequency = [
        [
            n,
            r["code"],
            r["name"],
            names.get(r["office"], r["office"]),
            r["count"],
            _percent(r["cumulative_share"]),
            source,
        ]
        for n, r in enumerate(
            (r for r in figures["high_frequency"]["ranking"] if r["high_frequency"]), start=1
        )
    ]
    special = [
        [s["code"], s["name"], names.get(s["office"], s["office"]), s["reason"]]
        for s in figures["special_matters"]
    ]
    flags = [
        [
            f["code"],
            f["name"],
            names.get(f["office"], f["office"]),
            f["submitted"],
            f["with_visits"],
        ]
        for f in figures["zero_visit_flags"]
    ]
    overclaims = [
        [
            f["code"],
            f["name"],
            names.get(f["office"], f["office"]),
            f["online_depth"],
            f["visits_required"],
            "是" if f["online_application"] else "否",
            "是" if f["fully_online"] else "否",
            "；".join(CLAIM_NAMES[claim] for claim in f["claims"]),
        ]
        for f in figures["overclaim_flags"]
    ]
    with translation.override("zh-hans"):
        catalog_header, catalog = catalog_rows(high_frequency=False)
    return xlsx_workbook_bytes(
        sheets=[
            (
                "105号目标",
                [
                    "序号",
                    "目标",
                    "截止日期",
                    "范围",
                    "指标",
                    "目标值",
                    f"当前值（截至{figures['as_of']}）",
                    "状态",
                ],
                targets,
            ),
            ("指标", ["范围", f"指标（{period}）", "分子", "分母", "值"], measures),
            (
                "部门",
                [
                    "部门编码",
                    "责任部门",
                    "办件量",
                    "办结量",
                    "按时办结率",
                    "实现率",
                    "满意率",
                    "超时办结",
                    "整改中",
                    "整改逾期",
                ],
                league,
            ),
            ("月度趋势", ["月份", "办件量", "办结量", "实现率", "按时办结率", "满意率"], trend),
            (
                "高频事项目录",
                ["序号", "事项编码", "事项名称", "责任部门", "办件量", "累计占比", "依据"],
                high_frequency,
            ),
            ("特殊要求事项", ["事项编码", "事项名称", "责任部门", "排除理由"], special),
            (
                "承诺零跑动但有到场",
                ["事项编码", "事项名称", "责任部门", "办件量", "有到场记录的办件"],
                flags,
            ),
            (
                "指南承诺高于实际",
                [
                    "事项编码",
                    "事项名称",
                    "责任部门",
                    "网上办理深度",
                    "到现场次数",
                    "实际开通网上申请",
                    "实际全流程在线办理",
                    "问题",
                ],
                overclaims,
            ),
            ("校务服务事项目录", catalog_header, catalog),
        ]
    )
