"""The lint: every problem of a definition at once, in Chinese, each saying where to fix it.

Errors refuse publishing; warnings are shown beside them and do not (a label that looks like a
warehouse item, a step the import could not give its own office). The checks that need the
database (offices, staff, grants, the data catalog) get their facts in ``LintFacts`` so that
the rules themselves stay plain functions over a definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from campus_portal.matter_config.rules import RuleError, rule_check

ERROR, WARNING = "error", "warning"
ELECTRONIC = "electronic"


@dataclass(frozen=True)
class Problem:
    severity: str
    where: str  # the part of the designer to open ("表单字段「reason」")
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


@dataclass(frozen=True)
class LintFacts:
    """What the lint needs to know beyond the definition (``selectors.lint_facts``)."""

    promised_limit: int
    online_depth: int
    offices: frozenset[str]  # office codes in the catalog
    staffed_offices: frozenset[str]  # offices with at least one active staff member or head
    granted_items: frozenset[str]  # items the generic handler holds an active grant for
    catalog_items: dict[str, str] = field(default_factory=dict)  # key → label
    notes: tuple[str, ...] = ()  # the import's own notes (warnings)
    office: str = ""  # the responsible office: its staff accept (受理) the applications
    guide_delivery_modes: tuple[str, ...] | None = None  # what the guide page offers


def definition_lint(definition: dict[str, Any], facts: LintFacts) -> list[Problem]:
    problems: list[Problem] = [Problem(WARNING, "起始配置", note) for note in facts.notes]
    fields = definition.get("fields", [])
    keys = [f["key"] for f in fields]
    problems += _duplicates(keys, "表单字段")
    problems += _duplicates([s["key"] for s in definition.get("steps", [])], "办理环节")
    problems += _fields(fields, set(keys), definition, facts)
    problems += _data(definition, facts)
    problems += _steps(definition, set(keys), facts)
    problems += _decision(definition, set(keys))
    problems += _visits(definition, facts)
    problems += _guide(definition, facts)
    return problems


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == ERROR]


def _duplicates(keys: list[str], where: str) -> list[Problem]:
    seen, problems = set(), []
    for key in keys:
        if key in seen:
            problems.append(Problem(ERROR, f"{where}「{key}」", "标识重复，每个标识只能用一次"))
        seen.add(key)
    return problems


def _fields(fields, keys: set[str], definition, facts: LintFacts) -> list[Problem]:
    problems = []
    drawn = {facts.catalog_items.get(key, key): key for key in definition.get("data_needs", [])}
    catalog_labels = {label: key for key, label in facts.catalog_items.items()}
    for f in fields:
        where = f"表单字段「{f.get('label_zh') or f['key']}」（{f['key']}）"
        condition = f.get("visible_when") or {}
        if condition.get("field") and condition["field"] not in keys - {f["key"]}:
            problems.append(
                Problem(
                    ERROR,
                    where,
                    f"显示条件引用的字段「{condition['field']}」不存在（已删除或标识写错），"
                    "请在该字段的“仅当字段”中改正",
                )
            )
        if f["type"] == "upload" and not f.get("content_types"):
            problems.append(Problem(ERROR, where, "上传材料未设置允许的文件类型"))
        if f["type"] in ("choice", "multi_choice") and not f.get("choices"):
            problems.append(Problem(ERROR, where, "选择题没有任何选项"))
        label = (f.get("label_zh") or "").strip()
        if label in drawn:
            problems.append(
                Problem(
                    ERROR,
                    where,
                    f"本事项已从数据中心调取「{label}」（{drawn[label]}），不得再让申请人填写，"
                    "请删除该字段",
                )
            )
        elif label in catalog_labels:
            problems.append(
                Problem(
                    WARNING,
                    where,
                    f"字段名称与数据中心数据项「{label}」（{catalog_labels[label]}）相同，"
                    "可改为在“学校已有数据”中勾选，免于填写",
                )
            )
    return problems


def _data(definition, facts: LintFacts) -> list[Problem]:
    problems = []
    for key in definition.get("data_needs", []):
        where = f"学校已有数据「{facts.catalog_items.get(key, key)}」（{key}）"
        if key not in facts.catalog_items:
            problems.append(Problem(ERROR, where, "不是数据中心目录中的数据项"))
        elif key not in facts.granted_items:
            problems.append(
                Problem(
                    ERROR,
                    where,
                    "数据中心尚未授权本事项读取该数据项，请联系数据管理员在“数据授权”中授权"
                    "（处理程序 config.generic）",
                )
            )
    if definition.get("data_needs") and not (definition.get("purpose") or "").strip():
        problems.append(
            Problem(ERROR, "数据使用目的", "读取申请人数据必须写明目的（申请人同意时可见）")
        )
    return problems


def path_days(steps: list[dict[str, Any]]) -> int:
    """Working days of the longest path: sequential steps add up, a parallel group (consecutive
    steps with the same group) counts its longest step."""
    total, index = 0, 0
    while index < len(steps):
        group = steps[index].get("group") or ""
        batch = [steps[index]]
        index += 1
        while group and index < len(steps) and steps[index].get("group") == group:
            batch.append(steps[index])
            index += 1
        total += max(int(step.get("time_limit_days") or 0) for step in batch)
    return total


def _steps(definition, keys: set[str], facts: LintFacts) -> list[Problem]:
    problems = []
    if facts.office and facts.office not in facts.staffed_offices:
        problems.append(
            Problem(
                ERROR,
                "责任部门",
                f"责任部门「{facts.office}」还没有经办人员，无人受理申请；"
                "请先在“角色分配”中为该部门指定工作人员",
            )
        )
    steps = definition.get("steps", [])
    for step in steps:
        where = f"办理环节「{step['label']}」"
        office = step.get("office") or ""
        if step["kind"] in ("office", "assignee"):
            if office not in facts.offices:
                problems.append(Problem(ERROR, where, f"部门编码「{office}」不在事项目录中"))
            elif office not in facts.staffed_offices:
                problems.append(
                    Problem(
                        ERROR,
                        where,
                        f"部门「{office}」还没有经办人员，请先在“角色分配”中为该部门指定工作人员",
                    )
                )
        if step["kind"] == "assignee" and step.get("answer_field") not in keys:
            problems.append(
                Problem(
                    ERROR,
                    where,
                    f"指定办理人的字段「{step.get('answer_field')}」不存在（已删除或标识写错）",
                )
            )
        if step["kind"] == "college" and not (
            {"student.school", "staff.unit"} & set(definition.get("data_needs", []))
        ):
            problems.append(
                Problem(
                    ERROR,
                    where,
                    "由申请人所在学院办理的环节需要读取“学院”（student.school 或 staff.unit），"
                    "请在“学校已有数据”中勾选",
                )
            )
    days = path_days(steps)
    if days > facts.promised_limit:
        problems.append(
            Problem(
                ERROR,
                "办理环节的时限",
                f"各环节时限合计 {days} 个工作日，超过承诺时限 {facts.promised_limit} 个工作日，"
                "请缩短环节时限",
            )
        )
    return problems


def _decision(definition, keys: set[str]) -> list[Problem]:
    decision = definition.get("decision") or {}
    rule = decision.get("rule")
    if decision.get("mode") == "instant" and not rule:
        return [Problem(ERROR, "办理决定", "即办（秒批）必须设置判断规则")]
    if not rule:
        return []
    try:
        reads = rule_check(rule)
    except RuleError as error:
        return [Problem(ERROR, "秒批规则", str(error))]
    problems = [
        Problem(ERROR, "秒批规则", f"规则引用的字段「{key}」不存在（已删除或标识写错）")
        for key in sorted(reads.answers - keys)
    ]
    problems += [
        Problem(
            ERROR,
            "秒批规则",
            f"规则读取的数据项「{key}」未在“学校已有数据”中勾选",
        )
        for key in sorted(reads.data - set(definition.get("data_needs", [])))
    ]
    return problems


def _visits(definition, facts: LintFacts) -> list[Problem]:
    """A fully online (depth 4) matter must need no visit: no paper original, an electronic
    result."""
    if facts.online_depth < 4:
        return []
    problems = [
        Problem(
            ERROR,
            f"表单字段「{f.get('label_zh') or f['key']}」（{f['key']}）",
            "全程网办事项不能要求提交纸质原件（需到现场），请取消“还需提交纸质原件”或调整网上办理深度",
        )
        for f in definition.get("fields", [])
        if f["type"] == "upload" and f.get("paper_original")
    ]
    if ELECTRONIC not in (definition.get("result") or {}).get("delivery_modes", []):
        problems.append(
            Problem(
                ERROR,
                "办理结果的送达方式",
                "全程网办事项的结果必须可以电子送达，请勾选“电子送达”",
            )
        )
    return problems


def _guide(definition, facts: LintFacts) -> list[Problem]:
    """The applicant chooses among the guide's delivery modes: say when the two differ."""
    if facts.guide_delivery_modes is None:
        return []
    configured = set((definition.get("result") or {}).get("delivery_modes", []))
    if configured == set(facts.guide_delivery_modes):
        return []
    return [
        Problem(
            WARNING,
            "办理结果的送达方式",
            "与办事指南所列送达方式不一致，申请人按办事指南选择；请同时修改办事指南",
        )
    ]


def needs_visit(definition: dict[str, Any]) -> bool:
    """Whether the configured path needs the applicant in person somewhere."""
    paper = any(
        f["type"] == "upload" and f.get("paper_original") for f in definition.get("fields", [])
    )
    return paper or ELECTRONIC not in (definition.get("result") or {}).get("delivery_modes", [])
