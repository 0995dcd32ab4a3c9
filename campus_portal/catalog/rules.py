"""The rules every service guide obeys, in one place.

The importer, the page editor (``MatterPage.clean``) and the database (check constraints in
``models/pages.py``) all enforce the same two rules of DESIGN.md §5, so that no path — a
spreadsheet, an editor, a script — can publish a guide that breaks them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _

MAX_ONLINE_DEPTH = 4
MIN_ONLINE_DEPTH = 1


@dataclass(frozen=True)
class RuleViolation:
    field: str  # model field the problem belongs to
    message: str


def guide_rule_violations(
    *,
    legal_time_limit: int | None,
    promised_time_limit: int | None,
    visits_required: int | None,
    online_depth: int | None,
) -> list[RuleViolation]:
    """Return every broken rule; fields that are ``None`` are not checked here."""
    problems: list[RuleViolation] = []
    if online_depth is not None and not MIN_ONLINE_DEPTH <= online_depth <= MAX_ONLINE_DEPTH:
        problems.append(RuleViolation("online_depth", _("Online depth must be between 1 and 4.")))
    if (
        legal_time_limit is not None
        and promised_time_limit is not None
        and promised_time_limit > legal_time_limit
    ):
        problems.append(
            RuleViolation(
                "promised_time_limit",
                _("The promised time limit (%(promised)s) exceeds the legal limit (%(legal)s).")
                % {"promised": promised_time_limit, "legal": legal_time_limit},
            )
        )
    if online_depth == MAX_ONLINE_DEPTH and visits_required:
        problems.append(
            RuleViolation(
                "visits_required",
                _("A fully online matter (depth 4) cannot require visits (%(visits)s given).")
                % {"visits": visits_required},
            )
        )
    return problems


def guide_check_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The same rules as database constraints, for every model that stores guide facts."""
    return [
        models.CheckConstraint(
            condition=Q(promised_time_limit__lte=F("legal_time_limit")),
            name=f"{prefix}_promised_within_legal",
        ),
        models.CheckConstraint(
            condition=Q(online_depth__gte=MIN_ONLINE_DEPTH, online_depth__lte=MAX_ONLINE_DEPTH),
            name=f"{prefix}_depth_range",
        ),
        models.CheckConstraint(
            condition=~Q(online_depth=MAX_ONLINE_DEPTH) | Q(visits_required=0),
            name=f"{prefix}_depth4_no_visits",
        ),
    ]
