"""教职工退休一件事: one application for retiring from the university, several offices.

Why it is shaped like this (shared/reference/one_things.yaml, bundle "教职工退休一件事"):

- The retiring member of staff applies once; 人事处 (RSC) owns the application and accepts it,
  then the clearances run **in parallel** (one ``group``): 资产管理处 takes over the fixed
  assets registered to them, 科研院 settles their running research projects and funds, 图书馆
  checks their loans are returned, 财务处 settles their outstanding advances.
- Only when every clearance is done does the final step start: 教职工退休办理 at 人事处
  (SF-RSC-008), which reports to the social-security office.
- Time limits: SF-RSC-008's promised limit (30 working days); the clearances are not listed
  matters and get 3 working days each.
- The clearances need nothing from the applicant: the offices look the staff number up in their
  own systems. The form asks only where to send the retirement papers.
- **No staff record in the warehouse.** The form cannot tell (it never sees the warehouse data
  and must not ask for it), so the check is ``decide()``, the one place where a handler sees the
  data before any office does and where its words reach the applicant. Unlike a new hire, a
  retiring member of staff has been on the HR records for years: without a current record
  there is no staff number under which assets, projects, loans or advances could be cleared,
  and RSC could only refuse the application after four offices had been given work they cannot
  do. So the bundle rejects at once, saying why and whom to ask; once HR has corrected the
  record the applicant simply applies again (the data is read afresh on each consent).
  With a record, nothing is decided automatically: every office has something to check.
- The bundle has no row in the micro-power list; its catalog matter YJS-RSC-002 is created
  from one_things.yaml (``catalog.bundles``) and ``matter_codes`` names it (docs/plugins.md,
  "Bindings").
- Not fully online (``is_fully_online``): assets and books are handed back in person.
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
    has_staff_record,
    registry,
)

CLEARANCE = "clearance"
DAYS = 3  # clearances that are not listed matters
RETIREMENT_DAYS = 30  # SF-RSC-008 教职工退休办理, promised limit
NO_RECORD_REASON = (
    "人事数据中没有你的在职教职工记录，无法办理教职工退休一件事。"
    "如你是本校教职工，请联系人事处核实人事信息，更正后重新申请即可。"
)


class StaffRetirementForm(forms.Form):
    """Only what HR's records cannot say: where the retirement papers should go."""

    mailing_address = forms.CharField(
        label="退休后通讯地址",
        max_length=200,
        required=False,
        help_text="用于寄送退休证等材料；不填则到人事处窗口领取",
    )


@registry.register
class StaffRetirementBundle(MatterHandler):
    key = "rsc.staff_retirement_bundle"
    office = "RSC"
    label = "教职工退休一件事"
    purpose = "教职工退休手续联办"
    matter_codes = ("YJS-RSC-002",)  # the bundle's own catalog matter (one_things.yaml)
    data_needs = (
        "person.name",
        "staff.number",
        "staff.unit",
        "staff.post",
        "staff.title",
        "staff.status",
        "staff.hire_date",
    )
    form_class = StaffRetirementForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        return [
            StepSpec("assets", "ZCC", "名下固定资产移交", DAYS, group=CLEARANCE),
            StepSpec("research", "KYY", "在研科研项目与经费结清", DAYS, group=CLEARANCE),
            StepSpec("library", "TSG", "图书清还", DAYS, group=CLEARANCE),
            StepSpec("loans", "CWC", "借款结清", DAYS, group=CLEARANCE),
            StepSpec("retirement", "RSC", "教职工退休办理", RETIREMENT_DAYS),
        ]

    def decide(self, application: ApplicationView) -> Decision | None:
        if not has_staff_record(application.data):
            return Decision(approved=False, reason=NO_RECORD_REASON)
        return None

    def is_fully_online(self, matter) -> bool:
        """No: fixed assets and borrowed books are handed back in person."""
        return False

    def result(self, application: ApplicationView) -> ResultDocument:
        data, answers = application.data, application.answers
        return ResultDocument(
            title="教职工退休手续办结单",
            body=(
                f"{data.get('person.name')}（工号 {data.get('staff.number')}，"
                f"{data.get('staff.unit')}）已办结固定资产移交、科研项目与经费结清、"
                "图书清还、借款结清等手续，退休手续已办理完毕。感谢您多年来的辛勤付出！"
            ),
            fields={
                "岗位": str(data.get("staff.post") or ""),
                "职称": str(data.get("staff.title") or ""),
                "入职日期": str(data.get("staff.hire_date") or ""),
                "退休后通讯地址": str(answers.get("mailing_address") or "到人事处窗口领取"),
            },
        )
