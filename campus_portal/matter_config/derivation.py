"""A starting configuration from the micro-power list's own columns (done by the import).

- 办理流程 ``学生申请→学院审核→教务处审批``: the applicant's own first stage is dropped; a stage
  naming an office of the list (its 责任部门 names, or their short forms 教务/财务/后勤 …)
  becomes that office's step, two offices in one stage (``人事处与财务处核验``) a parallel
  group; a 学院 stage goes to the applicant's own college; automated stages (系统/自动) and
  outcomes (通知、公示、领取 …) are no steps; any other stage (导师意见, 辅导员审批 …) goes to the
  matter's responsible office, and the lint says so until the office fixes it.
- 申请材料: each material the applicant provides is an upload slot (a 事由/描述/信息 is a text
  field instead); ``无（数据共享）`` and ``…（数据共享）`` are warehouse data; ``（系统生成）`` is
  issued by the office and asks nothing.
- 承诺时限: split over the steps (never more in total).
- 网上办理深度: 4 delivers electronically and asks for no paper; 3 may ask for the paper original
  (a stage such as 投递单据) and collect in person; 1–2 are never published by the import.

Pure functions over plain values, so the rules can be tested on the whole reference list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from campus_portal.attachments.detection import JPEG, OFD, PDF, PNG

APPLICANT_VERBS = (
    "申请", "提交", "报名", "填报", "申报", "预约", "委托", "登记", "报修", "挂失", "报到", "就诊",
)  # fmt: skip
#: The applicant's own later stages (handing in paper is a visit, not an office's step).
APPLICANT_STAGES = ("投递", "到场", "到馆", "现场查阅")
AUTOMATED = ("系统", "自动", "自助")
OUTCOMES = (
    "通知", "公示", "领取", "邮寄", "反馈", "支付", "打印", "推送", "入校", "上机", "归还", "借出",
    "评价", "维修", "派单", "开通", "公布", "录取", "用印", "签约", "出具", "制证", "制卡", "写卡",
    "检索", "办理工号", "电子签约", "回收", "报批", "上报", "在线申报", "转接", "备案",
)  # fmt: skip
#: Two-character short forms that would match applicants rather than offices.
SHORT_FORM_STOPLIST = {"学生", "研究", "信息"}
TEXT_MATERIALS = ("事由", "描述", "信息", "区间")
SHARED = "数据共享"
ISSUED = ("系统生成", "系统接收")
STUDENT_AUDIENCES = {"undergraduate", "graduate"}
STAFF_AUDIENCES = {"staff"}


@dataclass
class MatterFacts:
    """What the derivation reads of a matter (``services`` fills it from the catalog)."""

    code: str
    name: str
    office_code: str
    matter_type: str
    process: str
    promised_limit: int
    online_depth: int
    audiences: set[str]
    materials: list[tuple[str, str]]  # (name, source) as the guide has them
    delivery_modes: list[str]
    offices: dict[str, str] = field(default_factory=dict)  # code → name


@dataclass
class Derived:
    definition: dict[str, Any]
    notes: list[str]


def _office_forms(offices: dict[str, str]) -> list[tuple[str, str]]:
    """(form, code), longest first: full names, names without their last character, and
    two-character short forms."""
    forms: dict[str, str] = {}
    for code, name in offices.items():
        forms.setdefault(code, code)
        for form in (name, name[:-1] if len(name) > 2 else "", name[:2]):
            if form and form not in SHORT_FORM_STOPLIST:
                forms.setdefault(form, code)
    return sorted(forms.items(), key=lambda item: -len(item[0]))


def _offices_in(stage: str, forms: list[tuple[str, str]]) -> list[str]:
    """The offices a stage names, in the order it names them (longest forms matched first)."""
    text, found = stage, {}
    for form, code in forms:
        position = text.find(form)
        if position >= 0:
            found.setdefault(code, position)
            text = text.replace(form, "　" * len(form))
    return sorted(found, key=found.get)


def _stages(process: str) -> list[str]:
    return [part.strip() for part in re.split(r"[→>]|->", process or "") if part.strip()]


def steps_derive(facts: MatterFacts) -> tuple[list[dict[str, Any]], list[str], bool]:
    """The steps, the notes for the lint, and whether the list describes an automated path."""
    forms = _office_forms(facts.offices)
    steps: list[dict[str, Any]] = []
    notes: list[str] = []
    automated = False
    for index, stage in enumerate(_stages(facts.process)):
        plain = re.sub(r"（.*?）|\(.*?\)", "", stage)
        codes = _offices_in(plain, forms)
        if index == 0 and not codes and any(verb in plain for verb in APPLICANT_VERBS):
            continue
        if any(marker in plain for marker in AUTOMATED) and not codes:
            automated = True
            continue
        if "学院" in plain and not codes:
            steps.append(_step(len(steps), "college", "", stage))
            continue
        if codes:
            group = f"g{len(steps) + 1}" if len(codes) > 1 else ""
            for code in codes:
                label = f"{stage}（{facts.offices.get(code, code)}）" if group else stage
                steps.append(_step(len(steps), "office", code, label, group=group))
            continue
        if any(marker in plain for marker in (*OUTCOMES, *APPLICANT_STAGES)) or index == 0:
            continue
        steps.append(_step(len(steps), "office", facts.office_code, stage))
        notes.append(
            f"环节「{stage}」的办理部门无法从清单识别，已暂由责任部门 {facts.office_code} 办理；"
            "请在“办理环节”中改为相应部门、申请人所在学院或指定人员"
        )
    _spread(steps, facts.promised_limit)
    return steps, notes, automated


def _step(position: int, kind: str, office: str, label: str, *, group: str = "") -> dict:
    return {
        "key": f"s{position + 1}",
        "kind": kind,
        "office": office,
        "answer_field": "",
        "label": label[:100],
        "time_limit_days": 0,
        "group": group,
        "decided_by": "office_staff",
    }


def _spread(steps: list[dict[str, Any]], promised: int) -> None:
    """Split the promised limit over the path (a parallel group shares one share)."""
    slots: list[list[dict]] = []
    for step in steps:
        if step["group"] and slots and slots[-1][0]["group"] == step["group"]:
            slots[-1].append(step)
        else:
            slots.append([step])
    if not slots:
        return
    base, extra = divmod(max(promised, 0), len(slots))
    for position, slot in enumerate(slots):
        for step in slot:
            step["time_limit_days"] = base + (1 if position < extra else 0)


def _split_name(name: str) -> tuple[str, str]:
    match = re.match(r"^(.*?)（(.*)）$", name.strip())
    return (match.group(1).strip(), match.group(2).strip()) if match else (name.strip(), "")


def fields_derive(facts: MatterFacts) -> tuple[list[dict[str, Any]], bool]:
    """The form fields and upload slots; whether some material is shared from the warehouse."""
    fields, shared = [], False
    paper = facts.online_depth == 3 and any(
        marker in facts.process for marker in ("投递", "现场", "提交原件")
    )
    for name, source in facts.materials:
        base, note = _split_name(name)
        if source == "warehouse" or SHARED in name:
            shared = True
            continue
        if source == "office" or any(marker in note for marker in ISSUED) or not base:
            continue
        common = {
            "key": f"m{len(fields) + 1}",
            "label_zh": base[:100],
            "label_en": "",
            "help_zh": f"{note}时提供" if note and note != "电子版" else note,
            "help_en": "",
            "required": not note or note == "电子版",
            "visible_when": None,
        }
        if base.endswith(TEXT_MATERIALS):
            fields.append({**common, "type": "textarea", "choices": []})
            continue
        photo = "照片" in base
        invoice = any(word in base for word in ("发票", "票据", "单据"))
        fields.append(
            {
                **common,
                "type": "upload",
                "content_types": [JPEG, PNG]
                if photo
                else [PDF, JPEG, PNG, *([OFD] if invoice else [])],
                "max_bytes": None,
                "max_files": 5 if invoice else 1,
                "paper_original": paper and invoice,
            }
        )
    return fields, shared


def data_derive(facts: MatterFacts, *, college: bool) -> list[str]:
    """The warehouse items: who the applicant is, and their college where a step needs it."""
    needs = ["person.name"]
    students = bool(facts.audiences & STUDENT_AUDIENCES)
    staff = bool(facts.audiences & STAFF_AUDIENCES)
    if students:
        needs += ["student.number", *(["student.school"] if college else [])]
    if staff:
        needs += ["staff.number", *(["staff.unit"] if college else [])]
    if college and not (students or staff):
        needs.append("student.school")
    return needs


def configuration_derive(facts: MatterFacts) -> Derived:
    steps, notes, automated = steps_derive(facts)
    fields, _shared = fields_derive(facts)
    college = any(step["kind"] == "college" for step in steps)
    data_needs = data_derive(facts, college=college)
    instant = not steps and (automated or facts.promised_limit == 0)
    modes = [mode for mode in facts.delivery_modes if mode]
    if facts.online_depth >= 4 or not modes:
        modes = ["electronic", *[mode for mode in modes if mode != "electronic"]]
    certificate = facts.matter_type == "certificate"
    definition = {
        "fields": fields,
        "data_needs": data_needs,
        "purpose": f"办理“{facts.name}”，核验申请人身份与相关信息",
        "steps": steps,
        "decision": {
            "mode": "instant" if instant else "staff",
            # 系统核验: the warehouse knows the applicant (the read found their records).
            "rule": {"!!": [{"var": "data.person.name"}]} if instant else None,
        },
        "result": {
            "kind": "certificate" if certificate else "decision",
            "title": facts.name if certificate else "",
            "body": f"经核验，申请人所申请的“{facts.name}”事项已办理完毕，特此证明。"
            if certificate
            else "",
            "delivery_modes": modes,
        },
    }
    return Derived(definition=definition, notes=notes)
