"""Instant-decision rules: JSON-logic over warehouse data and answers; nothing else runs."""

from __future__ import annotations

import pytest

from campus_portal.matter_config.rules import RuleError, rule_check, rule_evaluate

ENROLLED = {"==": [{"var": "data.student.status"}, "在读"]}


def test_rule_over_data_and_answers():
    rule = {"and": [ENROLLED, {">=": [{"var": "answers.copies"}, 1]}]}
    assert rule_evaluate(rule, data={"student.status": "在读"}, answers={"copies": 2})
    assert not rule_evaluate(rule, data={"student.status": "休学"}, answers={"copies": 2})
    assert not rule_evaluate(rule, data={"student.status": "在读"}, answers={"copies": 0})
    assert not rule_evaluate(rule, data={}, answers={})  # nothing known: does not hold


def test_rule_reads_are_listed_for_the_lint():
    rule = {"and": [ENROLLED, {"in": ["x", {"var": "answers.kinds"}]}]}
    reads = rule_check(rule)
    assert reads.answers == {"kinds"} and reads.data == {"student.status"}


@pytest.mark.parametrize(
    "rule",
    [
        {"__import__": ["os"]},  # not an operator
        {"eval": ["__import__('os').system('touch pwned')"]},
        {"now": []},  # the clock is refused: a decision never depends on when it ran
        {"throw": ["x"]},
        '{"==": [1, 1]',  # not JSON
        {"var": "globals"},  # neither data. nor answers.
        {"var": {"cat": ["answers.", "x"]}},  # a computed variable name
    ],
)
def test_malicious_or_broken_rules_are_refused_and_never_run(rule, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuleError):
        rule_check(rule)
    with pytest.raises(RuleError):
        rule_evaluate(rule, data={}, answers={})
    assert list(tmp_path.iterdir()) == []  # nothing was written


def test_python_in_a_string_is_only_a_string(tmp_path):
    """A rule can compare strings that look like code; nothing evaluates them."""
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    rule = {"==": [{"var": "answers.text"}, payload]}
    assert rule_evaluate(rule, data={}, answers={"text": payload})
    assert rule_evaluate(
        {"cat": [payload, {"var": "answers.text"}]}, data={}, answers={"text": payload}
    )
    assert not marker.exists()


def test_a_runaway_rule_is_stopped_by_the_budget():
    items = list(range(3000))
    # A nested map over 3000 × 3000 items: far above the budget, refused rather than run.
    rule = {"some": [{"var": "answers.items"}, {"some": [{"var": "answers.items"}, False]}]}
    assert rule_check(rule)
    assert rule_evaluate(rule, data={}, answers={"items": items}) is False
