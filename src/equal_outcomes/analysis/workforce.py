"""Workforce equality analysis: pay gaps and the recruitment funnel, written with Ibis like the
rest of the engine (no Django), so they run on DuckDB or PySpark.

**Pay gap** (the method of the UK gender pay gap regulations, applied to any characteristic):
for each group, ``(reference - group) / reference`` of the mean, and of the median, hourly pay,
where the reference is the comparison group (men for sex; by default the largest known group).
A positive gap means the group is paid less. People whose answer is not known are left out of
both sides. Optionally within each grade.

**Recruitment funnel**: each stage's conversion (shortlisted of applied, interviewed of
shortlisted, appointed of interviewed) for each group against everyone else whose answer is
known, with the engine's statistics (Wilson intervals, two-proportion or exact test,
Benjamini-Hochberg q-values over each stage's groups).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import ibis
import ibis.expr.types as ir

from equal_outcomes.analysis import stats
from equal_outcomes.analysis.engine import UNKNOWN, ResultTable, _category, _outcome, _table
from equal_outcomes.analysis.indicators import Indicator

STAGES = ("applied", "shortlisted", "interviewed", "appointed")


def pay_gaps(
    staff: ir.Table,
    by: str,
    *,
    pay: str = "hourly_pay",
    reference: str | None = None,
    grade: str | None = None,
) -> list[dict[str, Any]]:
    """One row per (grade and) group: n, mean and median pay, and the mean and median gaps
    against the reference group of the same grade."""
    keys = [grade] if grade else []
    known = staff.mutate(_group=_category(staff[by]), _pay=staff[pay].cast("float64")).filter(
        lambda t: t._pay.notnull()
    )
    grouped = (
        known.group_by([*keys, "_group"])
        .aggregate(
            n=lambda t: t.count(), mean=lambda t: t._pay.mean(), median=lambda t: t._pay.median()
        )
        .to_pyarrow()
        .to_pylist()
    )
    # DuckDB's median of an even count is the midpoint, as the regulations' method uses.
    by_grade: dict[Any, dict[str, dict[str, Any]]] = {}
    for row in grouped:
        by_grade.setdefault(row.get(grade) if grade else "", {})[row["_group"]] = row
    rows = []
    for grade_value, groups in sorted(by_grade.items(), key=lambda item: str(item[0])):
        known_groups = {g: r for g, r in groups.items() if g not in UNKNOWN}
        if not known_groups:
            continue
        ref = (
            reference
            if reference in known_groups
            else max(known_groups, key=lambda g: (known_groups[g]["n"], g))
        )
        base = known_groups[ref]
        for group in sorted(known_groups, key=lambda g: (g != ref, g)):
            row = known_groups[group]
            rows.append(
                {
                    **({"grade": grade_value} if grade else {}),
                    "category": group,
                    "reference": ref,
                    "n": int(row["n"]),
                    "mean_pay": float(row["mean"]),
                    "median_pay": float(row["median"]),
                    "mean_gap": _gap(base["mean"], row["mean"]),
                    "median_gap": _gap(base["median"], row["median"]),
                }
            )
    return rows


def _gap(reference: float, group: float) -> float:
    return (reference - group) / reference if reference else math.nan


def rates(
    table: ir.Table,
    by: str,
    outcomes: dict[str, tuple[str, bool]],
    *,
    min_n: int = 10,
    min_effect: float = 0.05,
) -> list[ResultTable]:
    """The share of rows for which each 0/1 (or true/false) outcome column holds, by group,
    against everyone else whose answer is known: one table per outcome. ``outcomes`` maps a
    column to its title and whether higher is better. Rows where an outcome is blank (a survey
    question not answered) leave that outcome's figures. One query for all the outcomes."""
    grouped = table.mutate(_group=_category(table[by]))
    sums: dict[str, Any] = {}
    for column in outcomes:
        value = _outcome(grouped[column], "rate")
        sums[f"n_{column}"] = value.count()
        sums[f"k_{column}"] = value.sum()
    counted = grouped.group_by("_group").aggregate(**sums).to_pyarrow().to_pylist()
    tables = []
    for column, (title, higher_is_better) in outcomes.items():
        totals = {
            row["_group"]: {"n": float(row[f"n_{column}"]), "k": float(row[f"k_{column}"] or 0),
                            "ss": float(row[f"k_{column}"] or 0)}
            for row in counted
            if row[f"n_{column}"]
        }  # fmt: skip
        indicator = Indicator(
            id=column, event_type="workforce", measure="rate", value=column, title=title,
            higher_is_better=higher_is_better,
        )  # fmt: skip
        tables.append(_table(indicator, by, totals, {}, exposure=None, compare="rest",
                             min_n=min_n, min_effect=min_effect))  # fmt: skip
    return tables


def funnel(
    applicants: ir.Table, by: str, *, min_n: int = 10, min_effect: float = 0.05
) -> list[ResultTable]:
    """Conversion at each recruitment stage by group: one table per stage, named like
    ``shortlisted_of_applied``. ``applicants`` has one row per application and a 0/1 (or
    true/false) column per stage reached."""
    present = [stage for stage in STAGES if stage in applicants.columns]
    if len(present) < 2:
        raise ValueError(f"the applicants need at least two of the stages {', '.join(STAGES)}")
    # Each stage's conversion counts only those who reached the stage before it.
    steps = {}
    for before, after in itertools.pairwise(present):
        reached = _outcome(applicants[before], "rate") == 1
        steps[f"{after}_of_{before}"] = ibis.ifelse(
            reached, _outcome(applicants[after], "rate"), ibis.null("int64")
        )
    titled = {
        name: (f"{name.split('_of_')[0].capitalize()} of those {name.split('_of_')[1]}", True)
        for name in steps
    }
    return rates(applicants.mutate(**steps), by, titled, min_n=min_n, min_effect=min_effect)


__all__ = ["STAGES", "funnel", "pay_gaps", "rates", "stats"]
