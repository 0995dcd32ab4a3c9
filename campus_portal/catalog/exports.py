"""The catalog as spreadsheets for filing with the provincial education department.

Two reports: the matter catalog (校务服务事项目录) and the high-frequency list (高频事项目录),
both in the micro-power list's own column layout plus the derived columns the province asks
for. Cells pass through ``spreadsheet_safe`` (formula injection).
"""

from __future__ import annotations

from django.utils import translation

from campus_portal.catalog.choices import Channel
from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.presentation import visit_label
from campus_portal.catalog.selectors import high_frequency_codes, matter_queryset
from campus_portal.common.spreadsheets import xlsx_bytes

HEADER = [
    "序号",
    "事项编码",
    "事项名称",
    "子项名称",
    "事项类型",
    "责任部门",
    "部门编码",
    "服务对象",
    "设定依据",
    "法定时限（工作日）",
    "承诺时限（工作日）",
    "到现场次数",
    "网上办理深度",
    "办理渠道",
    "是否收费",
    "办理地点",
    "咨询电话",
    "上年度办件量",
    "跑动承诺",
    "是否高频事项",
]
HIGH_FREQUENCY_EXTRA = ["办件量累计占比"]
_CHANNEL_NAMES = {
    Channel.WEB: "网上",
    Channel.MOBILE: "掌上",
    Channel.KIOSK: "自助终端",
    Channel.WINDOW: "窗口",
    Channel.POST: "邮寄",
}
_TYPE_NAMES = {
    "approval": "审批",
    "confirmation": "确认",
    "certificate": "证明",
    "service": "服务",
    "filing": "备案",
    "payment": "给付",
    "other": "其他",
}


def _row(number: int, matter: MatterPage, is_high_frequency: bool) -> list[object]:
    return [
        number,
        matter.code,
        matter.matter_name,
        matter.sub_item,
        _TYPE_NAMES.get(matter.matter_type, matter.matter_type),
        matter.office.name,
        matter.office.code,
        "、".join(a.name for a in matter.audiences.all()),
        matter.basis,
        matter.legal_time_limit,
        matter.promised_time_limit,
        matter.visits_required,
        matter.online_depth,
        "、".join(_CHANNEL_NAMES.get(c, c) for c in matter.channels),
        "是" if matter.charged else "否",
        matter.address,
        matter.phone,
        matter.last_year_volume,
        visit_label(matter.visits_required),
        "是" if is_high_frequency else "否",
    ]


def catalog_rows(*, high_frequency: bool) -> tuple[list[str], list[list[object]]]:
    """Header and rows of either report (high-frequency: by volume, with cumulative share)."""
    chosen = high_frequency_codes()
    matters = list(matter_queryset())
    if not high_frequency:
        return HEADER, [_row(n, m, m.code in chosen) for n, m in enumerate(matters, start=1)]
    total = sum(m.last_year_volume for m in matters) or 1
    ranked = sorted(
        (m for m in matters if m.code in chosen), key=lambda m: (-m.last_year_volume, m.code)
    )
    rows, covered = [], 0
    for number, matter in enumerate(ranked, start=1):
        covered += matter.last_year_volume
        rows.append([*_row(number, matter, True), f"{covered / total:.1%}"])
    return HEADER + HIGH_FREQUENCY_EXTRA, rows


def catalog_xlsx(*, high_frequency: bool = False) -> bytes:
    # Filing goes to the provincial department in Chinese, whatever the admin's UI language.
    with translation.override("zh-hans"):
        header, rows = catalog_rows(high_frequency=high_frequency)
    title = "高频事项目录" if high_frequency else "校务服务事项目录"
    return xlsx_bytes(title=title, header=header, rows=rows)
