"""教职工入职一件事: one application for starting work at the university, several offices.

Why it is shaped like this (shared/reference/one_things.yaml, bundle "教职工入职一件事"):

- The new member of staff applies once; 人事处 (RSC) owns the application and accepts it, then
  the offices work **in parallel** (one ``group``): 信息化中心 opens the staff number's account,
  the mailbox and the campus card; 财务处 registers the salary card and pay details; only when
  the applicant applies for turnover housing, 后勤保障处 takes the 周转房 application
  (SF-HQC-005); only for party members, 党委组织部 takes over the party membership
  (SF-ZZB-002).
- The final step, 教职工入职报到 at 人事处 (SF-RSC-007), starts once all of them are done.
- Time limits are the micro-power list's promised limits where a step is a listed matter
  (SF-HQC-005: 30 working days, SF-ZZB-002: 5, SF-RSC-007: 3), and 3 working days for the
  checks that are not listed. The yaml puts the housing application in the parallel group, so
  an applicant who asks for a flat waits for it before 入职报到 — that is the bundle as the
  university defined it; an applicant in a hurry can apply for the flat separately. The core
  rejects the whole application when any step is rejected, so HQC finishes its step once the
  housing application is *handled* and writes the outcome (allocated / not eligible) in the
  step's comment; rejecting the step would refuse the applicant's onboarding over a flat.
- Turnover housing and party membership are not in the warehouse: the form asks. Everything
  else (name, staff number, unit, post, hire date) is read from the HR records, never asked.
- **No staff record in the warehouse.** The form cannot tell: it never sees the warehouse data
  (the core builds it from the POST alone), and it must not ask for what the warehouse holds.
  ``decide()`` could reject, but for a new hire a missing record is ordinary — SF-RSC-007's own
  process is "报到→人事处核验→办理工号": the HR record and its staff number may reach the
  warehouse only after the applicant arrives. Rejecting would turn away exactly the people the
  bundle is for. So nothing is decided automatically, and when ``staff.number`` is empty the
  steps say so: a first RSC step, 人事建档（人事数据中暂无教职工记录）, runs **before** the
  parallel group, because the accounts and the salary card are opened for a staff number that
  does not exist yet. The applicant reads that step on their application page, the RSC window
  sees it in its queue, and no other office is given work it cannot do.
- The bundle has no row in the micro-power list; its catalog matter YJS-RSC-001 is created
  from one_things.yaml (``catalog.bundles``) and ``matter_codes`` names it (docs/plugins.md,
  "Bindings").
- Not fully online (``is_fully_online``): 入职报到 is in person, as SF-RSC-007 says (1 visit).
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    MatterHandler,
    ResultDocument,
    StepSpec,
    has_staff_record,
    is_yes,
    party_member_field,
    registry,
    yes_no_field,
)

ONBOARDING = "onboarding"
DAYS = 3  # checks that are not listed matters
HOUSING_DAYS = 30  # SF-HQC-005 青年教职工周转房申请, promised limit
PARTY_DAYS = 5  # SF-ZZB-002 党员组织关系转接（转入）, promised limit
REGISTRATION_DAYS = 3  # SF-RSC-007 教职工入职报到, promised limit
NO_RECORD_LABEL = "人事建档（人事数据中暂无教职工记录）"


class StaffOnboardingForm(forms.Form):
    """Only what HR's records cannot say: the two choices that add steps."""

    turnover_housing = yes_no_field(
        "是否申请青年教职工周转房", "申请周转房将同时由后勤保障处受理（承诺时限 30 个工作日）"
    )
    party_member = party_member_field("党员需同时办理党员组织关系转入")


@registry.register
class StaffOnboardingBundle(MatterHandler):
    key = "rsc.staff_onboarding_bundle"
    office = "RSC"
    label = "教职工入职一件事"
    purpose = "教职工入职手续联办"
    matter_codes = ("YJS-RSC-001",)  # the bundle's own catalog matter (one_things.yaml)
    data_needs = (
        "person.name",
        "staff.number",
        "staff.unit",
        "staff.post",
        "staff.hire_date",
    )
    form_class = StaffOnboardingForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        answers = application.answers
        steps = []
        if not has_staff_record(application.data):
            steps.append(StepSpec("hr_record", "RSC", NO_RECORD_LABEL, DAYS))
        steps += [
            StepSpec("accounts", "XXZX", "工号、邮箱、校园卡开通", DAYS, group=ONBOARDING),
            StepSpec("payroll", "CWC", "工资卡与薪酬信息登记", DAYS, group=ONBOARDING),
        ]
        if is_yes(answers, "turnover_housing"):
            steps.append(
                StepSpec("housing", "HQC", "青年教职工周转房申请", HOUSING_DAYS, group=ONBOARDING)
            )
        if is_yes(answers, "party_member"):
            steps.append(StepSpec("party", "ZZB", "党员组织关系转入", PARTY_DAYS, group=ONBOARDING))
        steps.append(StepSpec("registration", "RSC", "教职工入职报到", REGISTRATION_DAYS))
        return steps

    def is_fully_online(self, matter) -> bool:
        """No: 入职报到 (SF-RSC-007) is in person, where RSC checks the original documents."""
        return False

    def result(self, application: ApplicationView) -> ResultDocument:
        data, answers = application.data, application.answers
        number = data.get("staff.number") or "以人事处建档为准"
        return ResultDocument(
            title="教职工入职报到确认单",
            body=(
                f"{data.get('person.name')}（工号 {number}）已办结工号、邮箱、校园卡开通与"
                "工资卡登记等入职手续，完成入职报到。欢迎加入！"
            ),
            fields={
                "所在单位": str(data.get("staff.unit") or ""),
                "岗位": str(data.get("staff.post") or ""),
                "周转房申请": "已办理" if is_yes(answers, "turnover_housing") else "不涉及",
                "党员组织关系转入": "已办理" if is_yes(answers, "party_member") else "不涉及",
            },
        )
