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

from equal_outcomes.analysis import stats
from equal_outcomes.analysis.indicators import Indicator

PERSON = "person_key"
PREFER_NOT_TO_SAY = "prefer_not_to_say"
NOT_KNOWN = "not_known"
UNKNOWN = frozenset({PREFER_NOT_TO_SAY, NOT_KNOWN})
TRUE_TEXT = ("1", "true", "yes", "y", "t")
FALSE_TEXT = ("0", "false", "no", "n", "f")
LEVELS = (("excellent", 0.9), ("achieving", 0.6))


PER = 1000
PER_1000_HOMES = "per_1000_homes"
PERIODS = ("month", "quarter", "year")


# The fields of each row of a result table, in the order of DESIGN.md section 6.
ROW_FIELDS = (
    "category",
    "n",
    "numerator",
    "value",
    "ci_low",
    "ci_high",
    "comparator_value",
    "difference",
    "ratio",
    "p_value",
    "q_value",
    "test",
    "flag",
    "suppressed",
)


@dataclass
class ResultTable:
    """One indicator by one characteristic (in one period, for trends). ``measure`` tells
    disclosure control how to read the rows; it is not part of the JSON contract."""

    indicator: str
    characteristic: str
    comparison: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    period: str = ""
    measure: str = "rate"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "indicator": self.indicator,
            "characteristic": self.characteristic,
            "comparison": self.comparison,
        }
        if self.period:
            data["period"] = self.period
        data["rows"] = self.rows
        return data


def _category(column: ir.Column) -> ir.StringValue:
    text = column.cast("string").strip()
    return ibis.cases(
        (text.isnull() | (text == "") | (text == "not_asked"), ibis.literal(NOT_KNOWN)),
        else_=text,
    )


def _outcome(column: ir.Column, measure: str) -> ir.NumericValue:
    """Rates: true/false, yes/no, 1/0 as 1 or 0, anything else (blank) as no outcome. Numbers
    held as text: blank (or not a number) is no outcome."""
    if measure != "rate":
        return column.try_cast("float64") if column.type().is_string() else column.cast("float64")
    if column.type().is_boolean():
        return column.cast("int64")
    if column.type().is_numeric():  # no text to parse: 1 and 0, anything else no outcome
        return ibis.ifelse(column.isin([0, 1]), column, ibis.null()).cast("int64")
    text = column.cast("string").strip().lower()
    return ibis.cases(
        (text.isin(TRUE_TEXT), ibis.literal(1)),
        (text.isin(FALSE_TEXT), ibis.literal(0)),
        else_=ibis.null("int64"),
    )


def _period(date: ir.Column, period: str) -> ir.StringValue:
    """An event's period as text that sorts in time order: 2025, 2025-Q3, 2025-07."""
    day = date.cast("date")
    year = day.year().cast("string")
    if period == "year":
        return year
    if period == "quarter":
        return year.concat("-Q", day.quarter().cast("string"))
    return day.strftime("%Y-%m")


def _selects(events: ir.Table, indicator: Indicator) -> ir.BooleanValue:
    """Whether an event counts towards the indicator: its type and any filter."""
    condition = events.event_type == indicator.event_type
    for column, wanted in indicator.filter.items():
        values = [wanted] if isinstance(wanted, str) else wanted
        condition &= events[column].cast("string").isin(values)
    return condition


def _value(events: ir.Table, indicator: Indicator) -> ir.NumericValue:
    """An event's outcome for the indicator (null when it has none); 1 for counts."""
    if indicator.measure == PER_1000_HOMES:
        return ibis.literal(1).cast("float64")
    return _outcome(events[indicator.value], indicator.measure)


def _events_for(events: ir.Table, indicator: Indicator, period: str | None = None) -> ir.Table:
    """The indicator's events as (person, value[, period]). A count per 1,000 homes counts
    every event (value 1)."""
    selected = events.filter(_selects(events, indicator))
    if period:
        selected = selected.filter(selected.event_date.notnull())
    value = _value(selected, indicator)
    columns: dict[str, Any] = {"value": value}
    if period:
        columns["period"] = _period(selected.event_date, period)
    return selected.select(selected[PERSON], **columns).filter(lambda t: t.value.notnull())


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


def _coded(people: ir.Table, by: list[str]) -> ir.Table:
    """People as (person, ``c0``, ``c1``, ...): each characteristic's category, in the order
    of ``by``. A characteristic written ``a*b`` is the intersection of two."""
    people = with_intersections(people, by)
    return people.select(
        PERSON, **{f"c{number}": _category(people[name]) for number, name in enumerate(by)}
    )


def _per_category(table: ir.Table, by: list[str], keys: list[str], sums: list[str]) -> ir.Table:
    """``sums`` added up per category of each characteristic, as rows of (characteristic,
    category, keys..., sums...): one small aggregate per characteristic, unioned."""
    return ibis.union(
        *(
            table.group_by([*keys, table[f"c{number}"].name("category")])
            .aggregate(**{name: table[name].sum() for name in sums})
            .mutate(characteristic=ibis.literal(name))
            for number, name in enumerate(by)
        )
    )


Totals = dict[tuple[str, str], dict[str, dict[str, float]]]  # (period, characteristic):
# category: n (events with an outcome), k (sum), ss (sum of squares)


def _spec(indicator: Indicator) -> str:
    """What is summed for an indicator: every event (a count per 1,000 homes), or a column read
    as a rate (1, 0 or nothing) or as a number."""
    if indicator.measure == PER_1000_HOMES:
        return "events"
    return f"{'rate' if indicator.measure == 'rate' else 'number'}:{indicator.value}"


def _all_totals(
    events: ir.Table,
    indicators: list[Indicator],
    coded: ir.Table,
    by: list[str],
    period: str | None,
) -> dict[str, Totals]:
    """Per indicator, per (period, characteristic) and category: n, k and ss, from one pass
    over the events for all the indicators.

    Events are first summed per person and event type (and filter column, and period), with
    no condition inside any aggregate: on DuckDB a conditional aggregate per indicator costs
    twice this grouping. Those sums (a few rows per person) are joined to the people and added
    up per category; which indicator each row belongs to is decided in Python on the small
    result."""
    if not indicators:
        return {}
    filters = sorted({column for indicator in indicators for column in indicator.filter})
    specs = sorted({_spec(indicator) for indicator in indicators})
    # No filter on event type: on DuckDB it costs more than the groups it saves.
    relevant = events.filter(events.event_date.notnull()) if period else events
    keys = ["event_type", *(f"f{number}" for number in range(len(filters)))]
    extra: dict[str, Any] = {
        f"f{number}": relevant[column].cast("string") for number, column in enumerate(filters)
    }
    if period:
        extra["period"] = _period(relevant.event_date, period)
        keys.append("period")
    relevant = relevant.mutate(**extra)
    sums: dict[str, Any] = {}
    for number, spec in enumerate(specs):
        if spec == "events":
            sums[f"n{number}"] = relevant.count()
            continue
        kind, column = spec.split(":", 1)
        value = _outcome(relevant[column], "rate" if kind == "rate" else "mean")
        sums[f"n{number}"] = value.count()
        # Summed as floating point: exact for counts far beyond any landlord's, and on DuckDB
        # faster than the 128-bit integers it sums whole numbers into.
        sums[f"k{number}"] = value.cast("float64").sum()
        if kind == "number":
            sums[f"ss{number}"] = (value * value).cast("float64").sum()
    per_person = relevant.group_by([PERSON, *keys]).aggregate(**sums).join(coded, PERSON)
    grouped = _per_category(per_person, by, keys, list(sums))
    result: dict[str, Totals] = {indicator.id: {} for indicator in indicators}
    wanted = [
        (
            indicator,
            specs.index(_spec(indicator)),
            [
                (f"f{filters.index(column)}", [values] if isinstance(values, str) else values)
                for column, values in indicator.filter.items()
            ],
        )
        for indicator in indicators
    ]
    for row in grouped.to_pyarrow().to_pylist():
        for indicator, number, conditions in wanted:
            if row["event_type"] != indicator.event_type or not all(
                row[column] in values for column, values in conditions
            ):
                continue
            n = float(row[f"n{number}"] or 0)
            if not n:
                continue
            k = float(row.get(f"k{number}", n) or 0)
            key = (row.get("period") or "", row["characteristic"])
            total = (
                result[indicator.id]
                .setdefault(key, {})
                .setdefault(row["category"], {"n": 0.0, "k": 0.0, "ss": 0.0})
            )
            total["n"] += n
            total["k"] += k
            total["ss"] += float(row.get(f"ss{number}", k) or 0)
    return result


def _exposure(coded: ir.Table, by: list[str]) -> dict[str, dict[str, float]]:
    """People (homes) per characteristic and category: the denominators of counts per 1,000."""
    counts: dict[str, dict[str, float]] = {}
    people = coded.mutate(people=ibis.literal(1))
    for row in _per_category(people, by, [], ["people"]).to_pyarrow().to_pylist():
        counts.setdefault(row["characteristic"], {})[row["category"]] = float(row["people"])
    return counts


Histogram = dict[float, int]  # value: how many times it occurs


def _values(
    events: ir.Table, indicator: Indicator, coded: ir.Table, by: list[str], period: str | None
) -> dict[tuple[str, str], dict[str, Histogram]]:
    """Per (period, characteristic) and category, how often each value occurs (for medians and
    Mann-Whitney). Counted in the backend, per person first: outcomes such as days take few
    distinct values, so this is small however many events there are."""
    keys = ["value", *(["period"] if period else [])]
    per_person = (
        _events_for(events, indicator, period)
        .group_by([PERSON, *keys])
        .aggregate(times=lambda t: t.count())
        .join(coded, PERSON)
    )
    result: dict[tuple[str, str], dict[str, Histogram]] = {}
    for row in _per_category(per_person, by, keys, ["times"]).to_pyarrow().to_pylist():
        key = (row.get("period") or "", row["characteristic"])
        histogram = result.setdefault(key, {}).setdefault(row["category"], {})
        value = float(row["value"])
        histogram[value] = histogram.get(value, 0) + int(row["times"])
    return result


def _totals_of(samples: dict[tuple[str, str], dict[str, Histogram]]) -> Totals:
    """n, k and ss per category from the values' histograms."""
    return {
        key: {
            category: {
                "n": float(sum(histogram.values())),
                "k": float(sum(value * times for value, times in histogram.items())),
                "ss": float(sum(value * value * times for value, times in histogram.items())),
            }
            for category, histogram in categories.items()
        }
        for key, categories in samples.items()
    }


def _pool(histograms: list[Histogram]) -> Histogram:
    pooled: Histogram = {}
    for histogram in histograms:
        for value, times in histogram.items():
            pooled[value] = pooled.get(value, 0) + times
    return pooled


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
    period: str | None = None,
    coded: ir.Table | None = None,
    exposure: dict[str, dict[str, float]] | None = None,
    totals: Totals | None = None,
) -> list[ResultTable]:
    """One indicator broken down by each characteristic, each category against its comparator.

    ``rest`` compares each known category with everyone else whose answer is known; "prefer not
    to say" and "not known" are compared with everyone known. Each table's rows are one family
    for q-values. All characteristics come from one query. With ``period`` (month, quarter or
    year) there is a table per period, in time order, for trends."""
    if period is not None and period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    coded = coded if coded is not None else _coded(people, by)
    if indicator.measure == "median":
        all_samples = _values(events, indicator, coded, by, period)
        all_totals = totals if totals is not None else _totals_of(all_samples)
    else:
        all_samples = {}
        if totals is None:
            totals = _all_totals(events, [indicator], coded, by, period)[indicator.id]
        all_totals = totals
    if indicator.measure == PER_1000_HOMES and exposure is None:
        exposure = _exposure(coded, by)
    periods = sorted({key[0] for key in all_totals}) if period else [""]
    return [
        _table(
            indicator,
            characteristic,
            all_totals.get((when, characteristic), {}),
            all_samples.get((when, characteristic), {}),
            exposure=(exposure or {}).get(characteristic),
            compare=compare,
            min_n=min_n,
            min_effect=min_effect,
            period=when,
        )
        for when in periods
        for characteristic in by
    ]


def analyse_all(
    people: ir.Table,
    events: ir.Table,
    indicators: list[Indicator],
    by: list[str],
    *,
    period: str | None = None,
    **options: Any,
) -> list[ResultTable]:
    """Every indicator by every characteristic. People's categories are worked out once and
    kept in the backend, and the events are read once for all the indicators (medians, which
    need every value, apart)."""
    if period is not None and period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    coded = _coded(people, by)
    exposure = (
        _exposure(coded, by)
        if any(indicator.measure == PER_1000_HOMES for indicator in indicators)
        else None
    )
    summed = _all_totals(
        events, [i for i in indicators if i.measure != "median"], coded, by, period
    )
    return [
        table
        for indicator in indicators
        for table in breakdowns(
            people,
            events,
            indicator,
            by,
            coded=coded,
            exposure=exposure,
            totals=summed.get(indicator.id),
            period=period,
            **options,
        )
    ]


def _table(
    indicator: Indicator,
    by: str,
    totals: dict[str, dict[str, float]],
    samples: dict[str, Histogram],
    *,
    exposure: dict[str, float] | None,
    compare: str,
    min_n: int,
    min_effect: float,
    period: str = "",
) -> ResultTable:
    if indicator.measure == PER_1000_HOMES:
        return _counts_table(
            indicator,
            by,
            totals,
            exposure or {},
            compare=compare,
            min_n=min_n,
            period=period,
        )
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
                mine = samples.get(category, {})
                theirs = _pool([samples.get(c, {}) for c in pooled])
                value = stats.histogram_median(mine)
                comparator = stats.histogram_median(theirs)
                interval = stats.Interval(math.nan, math.nan)
                p_value, test = stats.mann_whitney_counts(mine, theirs), "mann_whitney"
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
    _judge(rows, indicator, min_effect if indicator.measure == "rate" else 0.0)
    return ResultTable(indicator.id, by, compare, rows, period, indicator.measure)


def _judge(rows: list[dict[str, Any]], indicator: Indicator, min_effect: float) -> None:
    """q-values over the table (one family) and each row's flag."""
    q_values = stats.benjamini_hochberg([row["p_value"] for row in rows])
    for row, q in zip(rows, q_values, strict=True):
        row["q_value"] = q
        row["flag"] = stats.flag(
            q_value=q,
            difference=row["difference"],
            higher_is_better=indicator.higher_is_better,
            enough=row.pop("enough"),
            min_effect=min_effect,
        )
        row["suppressed"] = False


def _counts_table(
    indicator: Indicator,
    by: str,
    totals: dict[str, dict[str, float]],
    exposure: dict[str, float],
    *,
    compare: str,
    min_n: int,
    period: str,
) -> ResultTable:
    """Events per 1,000 homes: ``n`` is the homes (people rows) in the category, ``numerator``
    the events; exact Poisson intervals and the exact conditional test of two rates."""
    homes = {
        category: {"n": people, "k": totals.get(category, {}).get("n", 0.0), "ss": 0.0}
        for category, people in exposure.items()
    }
    order = sorted(homes, key=lambda c: (c in UNKNOWN, -homes[c]["n"], c))
    rows: list[dict[str, Any]] = []
    for category in order:
        n, k = homes[category]["n"], homes[category]["k"]
        _, pooled = _comparator(category, homes, compare)
        n2 = sum(homes[c]["n"] for c in pooled)
        k2 = sum(homes[c]["k"] for c in pooled)
        value = k / n * PER if n else math.nan
        comparator = k2 / n2 * PER if n2 else math.nan
        interval = stats.poisson_interval(k, n, PER)
        difference = value - comparator if not math.isnan(comparator) else math.nan
        rows.append(
            {
                "category": category,
                "n": int(n),
                "numerator": int(k),
                "value": value,
                "ci_low": interval.low,
                "ci_high": interval.high,
                "comparator_value": comparator,
                "difference": difference,
                "ratio": value / comparator if comparator else math.nan,
                "p_value": stats.poisson_rates(int(k), n, int(k2), n2),
                "test": "poisson_exact",
                "enough": n >= min_n and n2 >= min_n,
            }
        )
    _judge(rows, indicator, 0.0)
    return ResultTable(indicator.id, by, compare, rows, period, indicator.measure)


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


def category_counts(people: ir.Table, characteristic: str) -> dict[str, float]:
    """People per known category: the customer base as a benchmark for ``representation``."""
    category = _category(people[characteristic])
    return {
        row["category"]: float(row["n"])
        for row in people.group_by(category.name("category"))
        .aggregate(n=lambda t: t.count())
        .to_pyarrow()
        .to_pylist()
        if row["category"] not in UNKNOWN
    }


def service_users(people: ir.Table, events: ir.Table, event_type: str) -> ir.Table:
    """The people with at least one event of ``event_type``: survey respondents, say."""
    used = events.filter(events.event_type == event_type).select(PERSON).distinct()
    return people.semi_join(used, PERSON)


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


OUTGOING = "outgoing_communication"
MATCH = "matches_preference"
# Preference column in the people table: the column of an outgoing communication it governs.
PREFERENCES = {"preferred_format": "format", "preferred_language": "language"}


def _meets(wanted: ir.StringValue, sent: ir.StringValue) -> ir.IntegerValue:
    """Null when the communication does not say; otherwise 1 when what was sent meets the
    preference (or there is none) and 0 when it does not. ``cy+en`` (bilingual) meets either language."""
    wanted = wanted.cast("string").strip().lower()
    sent = sent.cast("string").strip().lower()
    return ibis.cases(
        (sent.isnull() | (sent == ""), ibis.null("int64")),
        (wanted.isnull() | (wanted == ""), ibis.literal(1)),
        (sent.split("+").contains(wanted), ibis.literal(1)),
        else_=ibis.literal(0),
    )


def with_communication_match(people: ir.Table, events: ir.Table) -> ir.Table:
    """Events with ``matches_preference`` worked out for outgoing communications that record
    their ``format`` and/or ``language``, against the person's recorded preferred format and
    language: 1 when everything the communication records meets the preference, 0 when any part
    does not, blank when it records neither. A value given in the extract is kept."""
    usable = {
        preference: column
        for preference, column in PREFERENCES.items()
        if preference in people.columns and column in events.columns
    }
    if not usable:
        return events
    preferences = people.select(PERSON, *usable).rename(lambda name: f"_{name}")
    outgoing = events.filter(events.event_type == OUTGOING)
    joined = outgoing.left_join(preferences, outgoing[PERSON] == preferences[f"_{PERSON}"])
    checks = [
        _meets(joined[f"_{preference}"], joined[column]) for preference, column in usable.items()
    ]
    computed = (checks[0] if len(checks) == 1 else ibis.least(*checks)).cast("string")
    if MATCH in events.columns:
        given = joined[MATCH].cast("string")
        computed = ibis.cases((given.isnull() | (given.strip() == ""), computed), else_=given)
    outgoing = joined.mutate(**{MATCH: computed}).select(
        *events.columns, *([] if MATCH in events.columns else [MATCH])
    )
    others = events.filter(events.event_type != OUTGOING)
    if MATCH in events.columns:
        others = others.mutate(**{MATCH: others[MATCH].cast("string")})
    else:
        others = others.mutate(**{MATCH: ibis.null("string")})
    return outgoing.union(others.select(*outgoing.columns))


def staleness(
    people: ir.Table, stale: ir.Table, *, by: str | None = None
) -> dict[tuple[str, str], int]:
    """Answers not confirmed recently, per (characteristic, group): ``stale`` lists them as
    (person key, characteristic); only people in ``people`` (after any filter) count."""
    keys = [people[by].cast("string").fill_null("").name("group")] if by else []
    joined = stale.join(people.select(PERSON, *keys), PERSON)
    grouped = joined.group_by(["characteristic", *(["group"] if by else [])]).aggregate(
        n=lambda t: t.count()
    )
    return {
        (row["characteristic"], row.get("group", "all") if by else "all"): int(row["n"])
        for row in grouped.to_pyarrow().to_pylist()
    }


def coverage_trend(
    people: ir.Table, answered: ir.Table, quarters: list[tuple[str, Any]]
) -> dict[str, dict[str, float]]:
    """Per characteristic and quarter, the response rate today's customers had reached by the
    quarter's end: the share of ``people`` whose answer held now was first given by then.
    ``answered`` lists (person key, characteristic, since); ``quarters`` is (label, last day)."""
    total = int(people.count().to_pyarrow().as_py())
    if not total or not quarters:
        return {}
    joined = answered.semi_join(people.select(PERSON), PERSON)
    cases = {
        label: (joined.since <= ibis.literal(end)).cast("int64").sum() for label, end in quarters
    }
    rows = joined.group_by("characteristic").aggregate(**cases).to_pyarrow().to_pylist()
    return {
        row["characteristic"]: {label: (row[label] or 0) / total for label, _ in quarters}
        for row in rows
    }
