"""What each role's start page says to do now.

The equality lead's lists what needs attention: the groups worse served, with the size of each
gap; characteristics whose coverage is under the achieving level; overdue actions and policy
reviews. Figures come from the dashboards' results when they have been worked out (never
worked out here: a start page must be quick), with a link to the dashboard otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils import timezone

from equal_outcomes.accounts.organisation import coverage_levels
from equal_outcomes.core.templatetags.codes import (
    category_label,
    gap_size,
    humanise,
    indicator_name,
)

SHOWN = 5


@dataclass
class Attention:
    worse: list[dict[str, Any]] | None = None  # None: not worked out yet
    low_coverage: list[dict[str, Any]] | None = None
    overdue_actions: list[Any] = field(default_factory=list)
    overdue_policies: list[Any] = field(default_factory=list)
    achieving: float = 0.6
    excellent: float = 0.9


def _words(name: str, code: str) -> tuple[str, str]:
    """A characteristic (two joined by ``*`` as "A and B") and one of its groups, in words."""
    return humanise(name), category_label(code, name) if code else ""


def attention() -> Attention:
    from equal_outcomes.insight import results

    found = Attention()
    found.achieving, found.excellent = coverage_levels()
    whole = results.Filters()
    try:
        if results.is_ready("outcomes", whole, False):
            outcomes = results.equal_outcomes(whole, publishable=False)
            rows = [
                {
                    "indicator": indicator_name(table["indicator"]),
                    "characteristic": words[0],
                    "group": words[1],
                    "value": row["value"],
                    "comparator": row["comparator_value"],
                    # Points for rates, as the outcomes page ranks them.
                    "gap": gap_size(row["difference"], table.get("measure", "rate")) or 0.0,
                    "measure": table.get("measure", "rate"),
                }
                for table in outcomes["tables"]
                for row in table["rows"]
                if row.get("flag") == "worse"
                for words in [_words(table["characteristic"], row["category"])]
            ]
            found.worse = sorted(rows, key=lambda r: -r["gap"])[:SHOWN]
        if results.is_ready("knowing", whole, False):
            knowing = results.knowing_our_customers(whole)
            found.low_coverage = [
                {"characteristic": humanise(row["characteristic"]),
                 "rate": row["response_rate"]}
                for row in sorted(knowing["overall"], key=lambda r: r["response_rate"])
                if row["response_rate"] < found.achieving
            ][:SHOWN]  # fmt: skip
    except results.NoSnapshot:
        pass
    today = timezone.localdate()
    action = apps.get_model("assessment", "Action")
    found.overdue_actions = list(
        action.objects.filter(due_on__lt=today).exclude(status__in=["done", "dropped"])
        .order_by("due_on")[:SHOWN]
    )  # fmt: skip
    policy = apps.get_model("assessment", "Policy")
    found.overdue_policies = [p for p in policy.objects.all() if p.review_overdue][:SHOWN]
    return found
