"""The lint: one test per rule, each showing the problem is listed, in Chinese, with where."""

from __future__ import annotations

from campus_portal.matter_config.lint import ERROR, WARNING, definition_lint, errors_of, path_days
from tests.matter_config.conftest import definition, facts, field, step


def _problems(definition_, **fact_overrides):
    return definition_lint(definition_, facts(**fact_overrides))


def _one_error(problems, *words):
    errors = errors_of(problems)
    assert len(errors) == 1, [str(p) for p in problems]
    assert all(word in str(errors[0]) for word in words), str(errors[0])
    return errors[0]


def test_a_clean_definition_has_no_problem():
    clean = definition(
        fields=[
            field("reason", "textarea"),
            field("proof", visible_when={"field": "reason", "equals": "x"}),
        ],
        steps=[step("s1", "JWC", 3), step("s2", "XGB", 3)],
    )
    assert _problems(clean) == []


def test_condition_naming_a_removed_field():
    bad = definition(fields=[field("proof", visible_when={"field": "kind", "equals": "sick"})])
    _one_error(_problems(bad), "表单字段", "proof", "kind", "不存在")


def test_rule_naming_a_removed_field_or_an_undrawn_item():
    rule = {"and": [{"==": [{"var": "answers.kind"}, "x"]}, {"var": "data.student.status"}]}
    bad = definition(decision={"mode": "instant", "rule": rule})
    errors = errors_of(_problems(bad))
    assert {e.where for e in errors} == {"秒批规则"}
    assert any("kind" in e.message for e in errors)
    assert any("student.status" in e.message for e in errors)


def test_a_rule_that_cannot_run_is_named():
    bad = definition(decision={"mode": "instant", "rule": {"__import__": ["os"]}})
    _one_error(_problems(bad), "秒批规则", "__import__")


def test_instant_without_a_rule():
    _one_error(_problems(definition(decision={"mode": "instant", "rule": None})), "秒批")


def test_step_office_without_staff_and_unknown_office():
    problems = _problems(
        definition(steps=[step("s1", "XGB", 1)]), staffed_offices=frozenset({"JWC"})
    )
    _one_error(problems, "办理环节", "XGB", "工作人员")
    _one_error(_problems(definition(steps=[step("s1", "NOPE", 1)])), "NOPE", "不在事项目录")


def test_data_item_without_a_grant():
    bad = definition(data_needs=["person.name", "student.major"])
    _one_error(_problems(bad), "学校已有数据", "student.major", "授权")


def test_data_item_not_in_the_catalog():
    _one_error(_problems(definition(data_needs=["person.name", "student.majr"])), "student.majr")


def test_step_limits_above_the_promised_limit():
    steps = [step("s1", days=4), step("s2", days=4), step("s3", days=3)]
    _one_error(_problems(definition(steps=steps)), "11", "承诺时限 10")


def test_parallel_steps_count_once():
    steps = [
        step("s1", days=6, group="g"),
        step("s2", "XGB", days=6, group="g"),
        step("s3", days=4),
    ]
    assert path_days(steps) == 10
    assert errors_of(_problems(definition(steps=steps))) == []


def test_upload_slot_without_an_allowed_type():
    slot = field("scan", "upload", content_types=[], max_files=1)
    _one_error(_problems(definition(fields=[slot])), "scan", "文件类型")


def test_depth_four_matter_whose_path_needs_a_visit():
    paper = field("invoice", "upload", content_types=["application/pdf"], paper_original=True)
    window_only = {"kind": "decision", "title": "", "body": "", "delivery_modes": ["window"]}
    problems = _problems(definition(fields=[paper], result=window_only), online_depth=4)
    errors = errors_of(problems)
    assert len(errors) == 2
    assert any("纸质原件" in e.message for e in errors)
    assert any("电子送达" in e.message for e in errors)
    assert (
        errors_of(_problems(definition(fields=[paper], result=window_only), online_depth=3)) == []
    )


def test_a_field_asking_for_drawn_data_is_refused_and_a_look_alike_warned():
    drawn = definition(
        data_needs=["person.name", "student.school"], fields=[field("school", label_zh="学院")]
    )
    _one_error(_problems(drawn), "学院", "不得再让申请人填写")
    look_alike = definition(fields=[field("major", label_zh="专业")])
    problems = _problems(look_alike)
    assert errors_of(problems) == []
    assert [p.severity for p in problems] == [WARNING]
    assert "student.major" in problems[0].message


def test_college_step_needs_the_college_item_and_assignee_step_its_field():
    college = definition(steps=[step("s1", kind="college", office="")])
    _one_error(_problems(college), "学院")
    assignee = definition(steps=[step("s1", kind="assignee", answer_field="holder")])
    _one_error(_problems(assignee), "holder")


def test_duplicate_keys_and_empty_choices():
    dup = definition(fields=[field("a"), field("a")])
    _one_error(_problems(dup), "重复")
    _one_error(_problems(definition(fields=[field("c", "choice")])), "选项")


def test_every_problem_is_listed_at_once():
    everything = definition(
        data_needs=["person.name", "student.major"],
        fields=[
            field("proof", visible_when={"field": "gone", "equals": "x"}),
            field("scan", "upload", content_types=[]),
        ],
        steps=[step("s1", "XGB", 20)],
        decision={"mode": "instant", "rule": {"var": "answers.gone"}},
    )
    problems = _problems(
        everything, staffed_offices=frozenset(), notes=("环节「导师意见」无法识别",)
    )
    assert len(errors_of(problems)) == 6
    assert [p.severity for p in problems].count(WARNING) == 1
    assert all(p.severity in (ERROR, WARNING) and p.where and p.message for p in problems)


def test_responsible_office_without_staff():
    problems = _problems(definition(), office="KYY")
    _one_error(problems, "责任部门", "KYY", "无人受理")
    assert errors_of(_problems(definition(), office="JWC")) == []


def test_delivery_modes_differing_from_the_guide_are_warned():
    problems = _problems(definition(), guide_delivery_modes=("electronic", "window"))
    assert errors_of(problems) == [] and len(problems) == 1
    assert "办事指南" in problems[0].message
    assert _problems(definition(), guide_delivery_modes=("electronic",)) == []
