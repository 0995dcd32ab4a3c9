"""The column layout of a micro-power list (shared/reference/micro_power_list.csv).

Headers are matched after normalisation (full-width → half-width, spaces removed), so
"法定时限（工作日）", "法定时限(工作日)" and " 法定时限 （工作日）" are the same column. A few
aliases used by other universities' lists are accepted too.
"""

from __future__ import annotations

from platform_common.tabular import Column, header_index, normalise_header

__all__ = ["COLUMNS", "HEADER_INDEX", "Column", "normalise_header"]

COLUMNS: tuple[Column, ...] = (
    Column("code", "事项编码", True, ("事项代码", "编码")),
    Column("name", "事项名称", True),
    Column("sub_item", "子项名称", False, ("子项",)),
    Column("matter_type", "事项类型", True, ("类型", "权力类型")),
    Column("office_name", "责任部门", True, ("责任单位", "实施部门")),
    Column("office_code", "部门编码", True, ("部门代码", "单位编码")),
    Column("audiences", "服务对象", True, ("办理对象",)),
    Column("basis", "设定依据", False, ("法律依据", "依据")),
    Column("materials", "申请材料", False, ("所需材料",)),
    Column("process", "办理流程", False, ("流程",)),
    Column("legal_time_limit", "法定时限（工作日）", True, ("法定时限",)),
    Column("promised_time_limit", "承诺时限（工作日）", True, ("承诺时限",)),
    Column("visits_required", "到现场次数", True, ("跑动次数",)),
    Column("online_depth", "网上办理深度", True, ("网办深度",)),
    Column("channels", "办理渠道", True),
    Column("charged", "是否收费", False),
    Column("address", "办理地点", False),
    Column("phone", "咨询电话", False, ("联系电话",)),
    Column("volume", "上年度办件量", False, ("办件量", "年办件量")),
)

HEADER_INDEX: dict[str, Column] = header_index(COLUMNS)
