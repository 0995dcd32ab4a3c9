"""成绩单打印 (SF-JWC-003 中文成绩单, SF-JWC-004 英文成绩单): one handler for both sub-items.

Why it is shaped like this:

- The two catalog sub-items differ only in the language, so one handler serves both and the
  applicant picks the language on the form (the handler cannot see which matter was chosen,
  and need not: the answer is what the transcript is printed from).
- A Chinese transcript for a student the warehouse lists as 在读 or 毕业 is issued on the spot
  (秒批): the grades are in the academic system and nobody has anything to check — the list
  promises 0 working days for SF-JWC-003.
- An English transcript is checked by 教务处 first (course names and the name in pinyin are
  proof-read; the list promises 1 working day for SF-JWC-004), and so is every transcript of a
  student with another status (休学, 退学 …) or no record: staff look at the file by hand.
  Nothing is refused automatically — former students are entitled to their transcripts too.
"""

from __future__ import annotations

from django import forms

from campus_portal.plugin_api import (
    ApplicationView,
    Decision,
    MatterHandler,
    ResultDocument,
    StepSpec,
    registry,
)

CHINESE = "zh"
ENGLISH = "en"
LANGUAGES = [(CHINESE, "中文"), (ENGLISH, "英文")]
INSTANT_STATUSES = frozenset({"在读", "毕业"})


class TranscriptForm(forms.Form):
    """Only what the academic system cannot know: language, copies and where they go."""

    language = forms.ChoiceField(label="成绩单语言", choices=LANGUAGES, initial=CHINESE)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=10, initial=1)
    delivery_note = forms.CharField(
        label="送达说明",
        max_length=200,
        required=False,
        help_text="例如：邮寄地址，或“到行政楼一楼师生服务中心自取”",
    )


@registry.register
class Transcript(MatterHandler):
    key = "jwc.transcript"
    office = "JWC"
    label = "成绩单打印"
    purpose = "打印成绩单"
    matter_codes = ("SF-JWC-003", "SF-JWC-004")
    data_needs = (
        "person.name",
        "student.number",
        "student.school",
        "student.major",
        "student.status",
    )
    form_class = TranscriptForm

    def steps(self, application: ApplicationView) -> list[StepSpec]:
        # Reached only when decide() left the application to staff.
        if application.answers.get("language") == ENGLISH:
            return [StepSpec("registrar_check", "JWC", "教务处核对英文成绩单", time_limit_days=1)]
        return [StepSpec("registrar_check", "JWC", "教务处核验学籍与成绩", time_limit_days=3)]

    def decide(self, application: ApplicationView) -> Decision | None:
        status = application.data.get("student.status")
        if application.answers.get("language", CHINESE) == CHINESE and status in INSTANT_STATUSES:
            return Decision(approved=True)
        return None

    def result(self, application: ApplicationView) -> ResultDocument:
        data = application.data
        answers = application.answers
        code = str(answers.get("language", CHINESE))
        copies = str(answers.get("copies", 1))
        if code == ENGLISH:
            # The English transcript is an English document (the office's "en" template).
            return ResultDocument(
                title="Academic Transcript",
                body=(
                    f"{data.get('person.name')} (student number {data.get('student.number')}), "
                    f"{data.get('student.school')}, {data.get('student.major')}; "
                    f"status: {data.get('student.status')}. This transcript is generated "
                    "from the academic records system."
                ),
                fields={
                    "Language": "English",
                    "Copies": copies,
                    "Delivery note": str(answers.get("delivery_note", "")),
                },
                language=ENGLISH,
            )
        language = dict(LANGUAGES).get(code, "中文")
        body = (
            f"{data.get('person.name')}（学号 {data.get('student.number')}），"
            f"{data.get('student.school')} {data.get('student.major')} 专业，"
            f"学籍状态：{data.get('student.status')}。本成绩单由教务系统生成，与档案一致。"
        )
        return ResultDocument(
            title=f"{language}成绩单",
            body=body,
            fields={
                "语言": language,
                "份数": copies,
                "送达说明": str(answers.get("delivery_note", "")),
            },
        )
