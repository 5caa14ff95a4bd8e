"""Coverage and breakdowns of indicators by characteristic (DESIGN.md section 5).

Events are aggregated per person first (counts, sums, sums of squares), then joined to people
and grouped by category: far faster than joining every event to its person. Everything up to
the per-category totals runs in the backend (DuckDB by default); the statistics run in Python
on those few totals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import ibis.selectors as s

from equal_outcomes.analysis import stats
from equal_outcomes.analysis.indicators import Indicator

PERSON = "person_key"
PREFER_NOT_TO_SAY = "prefer_not_to_say"
NOT_KNOWN = "not_known"
UNKNOWN = frozenset({PREFER_NOT_TO_SAY, NOT_KNOWN})
TRUE_TEXT = ("1", "true", "yes", "y", "t")
FALSE_TEXT = ("0", "false", "no", "n", "f")
LEVELS = (("excellent", 0.9), ("achieving", 0.6))


@dataclass
class ResultTable:
    indicator: str
    characteristic: str
    comparison: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "characteristic": self.characteristic,
            "comparison": self.comparison,
            "rows": self.rows,
        }


def _category(column: ir.Column) -> ir.StringValue:
    text = column.cast("string").strip()
    return ibis.cases(
        (text.isnull() | (text == "") | (text == "not_asked"), ibis.literal(NOT_KNOWN)),
        else_=text,
    )


def _outcome(column: ir.Column, measure: str) -> ir.NumericValue:
    """Rates: true/false, yes/no, 1/0 as 1 or 0, anything else (blank) as no outcome."""
    if measure != "rate":
        return column.cast("float64")
    if column.type().is_boolean():
        return column.cast("int64")
    text = column.cast("string").strip().lower()
    return ibis.cases(
        (text.isin(TRUE_TEXT), ibis.literal(1)),
        (text.isin(FALSE_TEXT), ibis.literal(0)),
        else_=ibis.null("int64"),
    )


def _events_for(events: ir.Table, indicator: Indicator) -> ir.Table:
    selected = events.filter(events.event_type == indicator.event_type)
    for column, wanted in indicator.filter.items():
        values = [wanted] if isinstance(wanted, str) else wanted
        selected = selected.filter(selected[column].cast("string").isin(values))
    value = _outcome(selected[indicator.value], indicator.measure)
    return selected.select(selected[PERSON], value=value).filter(lambda t: t.value.notnull())


INTERSECTION = "*"


def _combined(first: ir.StringValue, second: ir.StringValue) -> ir.StringValue:
    """Two categories as one (``a & b``); unknown when either is."""
    return ibis.cases(
        ((first == NOT_KNOWN) | (second == NOT_KNOWN), ibis.literal(NOT_KNOWN)),
        (
            (first == PREFER_NOT_TO_SAY) | (second == PREFER_NOT_TO_SAY),
            ibis.literal(PREFER_NOT_TO_SAY),
        ),
        else_=first.concat(" & ", second),
    )


def with_intersections(people: ir.Table, by: list[str]) -> ir.Table:
    """Adds a column for each two-way characteristic (``ethnicity*sex``) named in ``by``."""
    extra = {}
    for name in by:
        if INTERSECTION in name:
            first, second = name.split(INTERSECTION, 1)
            extra[name] = _combined(_category(people[first]), _category(people[second]))
    return people.mutate(**extra) if extra else people


def _long(people: ir.Table, by: list[str]) -> ir.Table:
    """People as (person, characteristic, category): one row per person per characteristic, so
    every characteristic is grouped in a single query. A characteristic written ``a*b`` is the
    intersection of two."""
    return (
        with_intersections(people, by)
        .select(PERSON, *by)
        .pivot_longer(s.cols(*by), names_to="characteristic", values_to="raw")
        .mutate(category=lambda t: _category(t.raw))
        .drop("raw")
    )


Totals = dict[str, dict[str, dict[str, float]]]  # characteristic: category: n, k, ss


def _totals(
    people: ir.Table, events: ir.Table, indicator: Indicator, by: list[str], long: ir.Table | None
) -> Totals:
    """Per characteristic and category: n (events with an outcome), k (sum), ss (sum of
    squares). Events are summed per person first, then joined to the (few) people rows."""
    per_person = (
        _events_for(events, indicator)
        .group_by(PERSON)
        .aggregate(
            n=lambda t: t.value.count(),
            k=lambda t: t.value.sum(),
            ss=lambda t: (t.value * t.value).sum(),
        )
    )
    grouped = (
        per_person.join(long if long is not None else _long(people, by), PERSON)
        .group_by(["characteristic", "category"])
        .aggregate(n=lambda t: t.n.sum(), k=lambda t: t.k.sum(), ss=lambda t: t.ss.sum())
    )
    totals: Totals = {characteristic: {} for characteristic in by}
    for row in grouped.to_pyarrow().to_pylist():
        totals[row["characteristic"]][row["category"]] = {
            "n": float(row["n"]),
            "k": float(row["k"]),
            "ss": float(row["ss"]),
        }
    return totals


def _values(
    people: ir.Table, events: ir.Table, indicator: Indicator, by: list[str], long: ir.Table | None
) -> dict[str, dict[str, list[float]]]:
    """Per characteristic and category, every value (for medians and Mann-Whitney)."""
    joined = _events_for(events, indicator).join(
        long if long is not None else _long(people, by), PERSON
    )
    result: dict[str, dict[str, list[float]]] = {characteristic: {} for characteristic in by}
    for row in joined.select("characteristic", "category", "value").to_pyarrow().to_pylist():
        result[row["characteristic"]].setdefault(row["category"], []).append(float(row["value"]))
    return result


def _combine(parts: list[dict[str, float]]) -> dict[str, float]:
    return {key: sum(part[key] for part in parts) for key in ("n", "k", "ss")}


def _mean_var(total: dict[str, float]) -> tuple[float, float]:
    n = total["n"]
    if n <= 0:
        return math.nan, math.nan
    mean = total["k"] / n
    var = (total["ss"] - n * mean * mean) / (n - 1) if n > 1 else math.nan
    return mean, max(var, 0.0) if not math.isnan(var) else var


def _comparator(
    category: str, totals: dict[str, dict[str, float]], compare: str
) -> tuple[str, list[str]]:
    """The comparator's label and the categories it pools."""
    known = [c for c in totals if c not in UNKNOWN]
    if compare == "overall":
        return "overall", list(totals)
    if compare == "largest":
        largest = max(known, key=lambda c: totals[c]["n"]) if known else ""
        return f"largest:{largest}", [largest] if largest and largest != category else []
    if compare.startswith("reference:"):
        reference = compare.split(":", 1)[1]
        return compare, [reference] if reference in totals and reference != category else []
    if category in UNKNOWN:
        return "known", known
    return "rest", [c for c in known if c != category]


def breakdown(
    people: ir.Table,
    events: ir.Table,
    indicator: Indicator,
    by: str,
    *,
    compare: str = "rest",
    min_n: int = 10,
    min_effect: float = 0.05,
) -> ResultTable:
    """One indicator broken down by one characteristic (see ``breakdowns``)."""
    return breakdowns(
        people, events, indicator, [by], compare=compare, min_n=min_n, min_effect=min_effect
    )[0]


def breakdowns(
    people: ir.Table,
    events: ir.Table,
    indicator: Indicator,
    by: list[str],
    *,
    compare: str = "rest",
    min_n: int = 10,
    min_effect: float = 0.05,
    long: ir.Table | None = None,
) -> list[ResultTable]:
    """One indicator broken down by each characteristic, each category against its comparator.

    ``rest`` compares each known category with everyone else whose answer is known; "prefer not
    to say" and "not known" are compared with everyone known. Each table's rows are one family
    for q-values. All characteristics come from one query."""
    all_totals = _totals(people, events, indicator, by, long)
    all_samples = (
        _values(people, events, indicator, by, long) if indicator.measure == "median" else {}
    )
    return [
        _table(
            indicator,
            characteristic,
            all_totals[characteristic],
            all_samples.get(characteristic, {}),
            compare=compare,
            min_n=min_n,
            min_effect=min_effect,
        )
        for characteristic in by
    ]


def analyse_all(
    people: ir.Table,
    events: ir.Table,
    indicators: list[Indicator],
    by: list[str],
    **options: Any,
) -> list[ResultTable]:
    """Every indicator by every characteristic. People are unpivoted once, and kept in the
    backend, for all the indicators."""
    long = _long(people, by).cache()
    return [
        table
        for indicator in indicators
        for table in breakdowns(people, events, indicator, by, long=long, **options)
    ]


def _table(
    indicator: Indicator,
    by: str,
    totals: dict[str, dict[str, float]],
    samples: dict[str, list[float]],
    *,
    compare: str,
    min_n: int,
    min_effect: float,
) -> ResultTable:
    order = sorted(totals, key=lambda c: (c in UNKNOWN, -totals[c]["n"], c))
    rows: list[dict[str, Any]] = []
    for category in order:
        own = totals[category]
        _, pooled = _comparator(category, totals, compare)
        other = _combine([totals[c] for c in pooled]) if pooled else {"n": 0.0, "k": 0.0, "ss": 0.0}
        n, k, n2, k2 = own["n"], own["k"], other["n"], other["k"]
        row: dict[str, Any] = {"category": category, "n": int(n), "numerator": k}
        if indicator.measure == "rate":
            value = k / n if n else math.nan
            interval = stats.wilson(k, n)
            comparator = k2 / n2 if n2 else math.nan
            if n and n2:
                p_value, test = stats.proportion_test(int(k), int(n), int(k2), int(n2))
            else:
                p_value, test = math.nan, ""
            row["numerator"] = int(k)
        else:
            mean, var = _mean_var(own)
            mean2, var2 = _mean_var(other)
            if indicator.measure == "mean":
                value, comparator = mean, mean2
                half = stats.Z95 * math.sqrt(var / n) if n > 1 and not math.isnan(var) else math.nan
                interval = stats.Interval(value - half, value + half)
                p_value, test = stats.welch(mean, var, n, mean2, var2, n2), "welch"
            else:
                mine = sorted(samples.get(category, []))
                theirs = sorted(v for c in pooled for v in samples.get(c, []))
                value = _median(mine)
                comparator = _median(theirs)
                interval = stats.Interval(math.nan, math.nan)
                p_value, test = stats.mann_whitney(mine, theirs), "mann_whitney"
        difference = value - comparator if not math.isnan(comparator) else math.nan
        row |= {
            "value": value,
            "ci_low": interval.low,
            "ci_high": interval.high,
            "comparator_value": comparator,
            "difference": difference,
            "ratio": value / comparator if comparator else math.nan,
            "p_value": p_value,
            "test": test,
            "enough": n >= min_n and n2 >= min_n,
        }
        rows.append(row)
    q_values = stats.benjamini_hochberg([row["p_value"] for row in rows])
    effect = min_effect if indicator.measure == "rate" else 0.0
    for row, q in zip(rows, q_values, strict=True):
        row["q_value"] = q
        row["flag"] = stats.flag(
            q_value=q,
            difference=row["difference"],
            higher_is_better=indicator.higher_is_better,
            enough=row.pop("enough"),
            min_effect=effect,
        )
        row["suppressed"] = False
    return ResultTable(indicator.id, by, compare, rows)


def _median(values: list[float]) -> float:
    if not values:
        return math.nan
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def coverage(
    people: ir.Table,
    characteristics: list[str],
    *,
    by: str | None = None,
    achieving: float = 0.6,
    excellent: float = 0.9,
) -> list[dict[str, Any]]:
    """Per characteristic (and group): people, answered, prefer not to say, not asked, response
    rate ((answered + prefer not to say) / people), known rate (answered / people) and the
    framework level the response rate reaches."""
    rows = []
    for characteristic in characteristics:
        category = _category(people[characteristic])
        keys = [people[by].cast("string").fill_null("").name("group")] if by else []
        summary = (
            people.group_by(keys).aggregate(
                people=lambda t: t.count(),
                answered=(~category.isin(list(UNKNOWN))).cast("int64").sum(),
                prefer_not_to_say=(category == PREFER_NOT_TO_SAY).cast("int64").sum(),
                not_asked=(category == NOT_KNOWN).cast("int64").sum(),
            )
            if by
            else people.aggregate(
                people=lambda t: t.count(),
                answered=(~category.isin(list(UNKNOWN))).cast("int64").sum(),
                prefer_not_to_say=(category == PREFER_NOT_TO_SAY).cast("int64").sum(),
                not_asked=(category == NOT_KNOWN).cast("int64").sum(),
            )
        )
        for item in summary.to_pyarrow().to_pylist():
            total = item["people"] or 0
            response = (item["answered"] + item["prefer_not_to_say"]) / total if total else 0.0
            level = next(
                (
                    name
                    for name, _ in LEVELS
                    if response >= {"excellent": excellent, "achieving": achieving}[name]
                ),
                "developing",
            )
            rows.append(
                {
                    "characteristic": characteristic,
                    "group": item.get("group", "all") if by else "all",
                    "people": total,
                    "answered": item["answered"],
                    "prefer_not_to_say": item["prefer_not_to_say"],
                    "not_asked": item["not_asked"],
                    "response_rate": response,
                    "known_rate": item["answered"] / total if total else 0.0,
                    "level": level,
                }
            )
    return sorted(rows, key=lambda row: (row["characteristic"], str(row["group"])))


def representation(
    people: ir.Table,
    characteristic: str,
    benchmark: dict[str, float],
    *,
    min_effect: float = 0.1,
) -> list[dict[str, Any]]:
    """Each known category's share of customers against its share of a benchmark population
    (census counts, say): the representation ratio and an exact binomial test of the customer
    count against the benchmark share. Customers whose answer is not known are left out of the
    shares, as census categories have no "prefer not to say"."""
    category = _category(people[characteristic])
    counts = {
        row["category"]: int(row["n"])
        for row in people.group_by(category.name("category"))
        .aggregate(n=lambda t: t.count())
        .to_pyarrow()
        .to_pylist()
        if row["category"] not in UNKNOWN
    }
    known = sum(counts.values())
    population = sum(benchmark.values())
    rows: list[dict[str, Any]] = []
    for name in sorted(set(counts) | set(benchmark)):
        k = counts.get(name, 0)
        expected_share = benchmark.get(name, 0) / population if population else math.nan
        share = k / known if known else math.nan
        p_value = (
            stats.binomial(k, known, expected_share)
            if known and 0 < expected_share < 1
            else math.nan
        )
        rows.append(
            {
                "category": name,
                "customers": k,
                "share": share,
                "benchmark_share": expected_share,
                "ratio": share / expected_share if expected_share else math.nan,
                "p_value": p_value,
            }
        )
    for row, q in zip(rows, stats.benjamini_hochberg([r["p_value"] for r in rows]), strict=True):
        row["q_value"] = q
        ratio = row["ratio"]
        if math.isnan(q) or math.isnan(ratio):
            row["flag"] = "insufficient_data"
        elif q < 0.05 and abs(ratio - 1) >= min_effect:
            row["flag"] = "under_represented" if ratio < 1 else "over_represented"
        else:
            row["flag"] = "as_expected"
    return rows
