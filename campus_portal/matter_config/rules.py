"""Instant-decision rules (秒批): JSON-logic, evaluated by datalogic-py, never ``eval``.

A rule is JSON data, e.g. ``{"and": [{"==": [{"var": "data.student.status"}, "在读"]},
{">=": [{"var": "answers.copies"}, 1]}]}``. It reads two roots: ``data`` (the warehouse
snapshot, nested by item key: ``student.status`` is ``data.student.status``) and ``answers``
(what the applicant typed, by field key). Nothing else is in reach: the engine is a compiled
Rust interpreter of JSON-logic's operators — there is no operator that imports, opens,
calls Python or reads the clock (``now`` is refused below, so a decision never depends on the
time it ran) — and every evaluation runs under an operation budget, so a rule cannot loop.

Why datalogic-py: docs/matter-config.md and docs/dependencies.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import datalogic_py

_ENGINE = datalogic_py.Engine()
#: Operators a rule may use: comparisons, logic, arithmetic, strings and lists. Everything of
#: the engine's extensions that is not obviously harmless (the clock, throw/try, tensors) is
#: refused when the rule is checked.
ALLOWED_OPERATORS = frozenset(
    {
        "val", "var", "==", "===", "!=", "!==", ">", ">=", "<", "<=", "!", "!!", "and", "or",
        "if", "?:", "+", "-", "*", "/", "%", "max", "min", "cat", "substr", "in", "merge",
        "filter", "map", "reduce", "all", "some", "none", "missing", "missing_some", "exists",
        "??", "length", "starts_with", "ends_with", "lower", "upper", "trim",
    }
)  # fmt: skip
#: Operations one evaluation may cost (far above any sensible rule, far below a hang).
BUDGET = 20_000
ROOTS = ("data", "answers")


class RuleError(Exception):
    """A rule that cannot be used; the message says why (shown to the designer)."""


@dataclass(frozen=True)
class RuleReads:
    answers: frozenset[str]  # answer keys the rule reads
    data: frozenset[str]  # warehouse item keys the rule reads ("student.status")


def rule_check(rule: Any) -> RuleReads:
    """What a rule reads, or ``RuleError`` if it is not a rule we run."""
    compiled = _compile(rule)
    facts = compiled.facts()
    used = {*facts.get("operators", ()), *facts.get("custom_operators", ())}
    refused = sorted(used - ALLOWED_OPERATORS)
    if refused:
        raise RuleError(f"不允许的运算符：{', '.join(refused)}")
    if facts.get("computed_reads"):
        raise RuleError("规则中的变量名必须是固定的字段名，不能由计算得出")
    answers, data = set(), set()
    for path in facts.get("reads", ()):
        root, rest = (path[0], path[1:]) if path else ("", [])
        if root not in ROOTS or not rest:
            raise RuleError(f"变量「{'.'.join(map(str, path))}」必须以 answers. 或 data. 开头")
        if root == "answers":
            answers.add(str(rest[0]))
        else:
            data.add(".".join(map(str, rest[:2])))
    return RuleReads(answers=frozenset(answers), data=frozenset(data))


def rule_evaluate(rule: Any, *, data: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """Whether the rule holds for this warehouse snapshot and these answers.

    A rule that fails to run (a type error, the budget spent) does not hold: the application
    then goes to staff, which is always safe.
    """
    rule_check(rule)
    compiled = _compile(rule)
    context = {"data": _nested(data), "answers": dict(answers)}
    try:
        result, _ops = compiled.evaluate_metered(context, budget=BUDGET)
    except datalogic_py.DataLogicError:
        return False
    return bool(_ENGINE.truthy(result))


def _compile(rule: Any):
    if isinstance(rule, str):
        try:
            rule = json.loads(rule)
        except ValueError as error:
            raise RuleError(f"规则不是合法的 JSON：{error}") from error
    try:
        return _ENGINE.compile_strict(rule)
    except (datalogic_py.DataLogicError, TypeError, ValueError) as error:
        raise RuleError(f"规则无法解析：{error}") from error


def _nested(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"student.status": v}`` → ``{"student": {"status": v}}`` (how rules address items)."""
    nested: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        record, _, field = key.partition(".")
        nested.setdefault(record, {})[field] = value
    return nested
