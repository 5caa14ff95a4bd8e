"""Coverage and breakdowns of indicators by characteristic (DESIGN.md section 5).

Events are aggregated per person first (counts, sums, sums of squares), then joined to people
and grouped by category: far faster than joining every event to its person. Everything up to
the per-category totals runs in the backend (DuckDB by default); the statistics run in Python
on those few totals.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from equal_outcomes.analysis import stats
from equal_outcomes.analysis.indicators import Indicator
from equal_outcomes.analysis.options import PERIODS

PERSON = "person_key"
PREFER_NOT_TO_SAY = "prefer_not_to_say"
NOT_KNOWN = "not_known"
#: A question that is not for this person (a child asked nothing of sexual orientation, someone
#: not asked about pregnancy this period): they are left out of its coverage and breakdowns.
NOT_APPLICABLE = "not_applicable"
UNKNOWN = frozenset({PREFER_NOT_TO_SAY, NOT_KNOWN})
# Values that hold no answer, read as not known.
NO_ANSWER = ("", "not_asked", NOT_APPLICABLE)
TRUE_TEXT = ("1", "true", "yes", "y", "t")
FALSE_TEXT = ("0", "false", "no", "n", "f")
LEVELS = (("excellent", 0.9), ("achieving", 0.6))


PER = 1000
PER_1000_HOMES = "per_1000_homes"

# Work done on each event type's events once they are selected, given the events and their
# type (for example ``partial(with_communication_match, people)``). Done there rather than on
# every event up front, each part of the query still reads only its own event type's rows: a
# table derived from all the events is shared by every part, and DuckDB then copies the whole
# of it.
Prepare = Callable[[ir.Table, str], ir.Table]


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


_SCALARS = (str, int, bool, type(None))


def plain(value: Any) -> Any:
    """A figure that is not a number (no comparator, no test) as None, all the way down, so that
    results can be kept and written as JSON. Scalars in a mapping are dealt with in place (a
    dashboard's results hold half a million of them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {
            key: item
            if isinstance(item, _SCALARS)
            else (item if math.isfinite(item) else None)
            if isinstance(item, float)
            else plain(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def json_text(data: Any, indent: int = 2) -> str:
    """Results as JSON that every reader accepts: a figure that is not a number (no comparator,
    no test) is null, never a bare ``NaN``."""
    return json.dumps(plain(data), indent=indent, allow_nan=False, default=str)


def _category(column: ir.Column) -> ir.StringValue:
    """A person's category in a breakdown: nothing held, or a question not for them, is not
    known (so every table of an indicator has the same total, which disclosure control relies
    on); representation leaves not known out of its shares."""
    text = column.cast("string").strip()
    return ibis.cases(
        (
            text.isnull() | text.isin(NO_ANSWER),
            ibis.literal(NOT_KNOWN),
        ),
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
    # Clean values are matched as they are; only the rest are trimmed and put in lower case
    # (DuckDB looks at each later case only for the rows the earlier ones left).
    raw = column.cast("string")
    text = raw.strip().lower()
    return ibis.cases(
        (raw.isin(TRUE_TEXT), ibis.literal(1)),
        (raw.isin(FALSE_TEXT), ibis.literal(0)),
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


def _value(events: ir.Table, indicator: Indicator) -> ir.NumericValue:
    """An event's outcome for the indicator (null when it has none); 1 for counts."""
    if indicator.measure == PER_1000_HOMES:
        return ibis.literal(1).cast("float64")
    return _read(events[indicator.value], _reading(indicator))


def _reading(indicator: Indicator) -> str:
    """How an indicator reads its ``value`` column: ``rate``, ``number``, ``at_most:N`` (a
    number against a standard) or ``one_of:["a", "b"]`` (a value among those given)."""
    if indicator.at_most is not None:
        return f"at_most:{indicator.at_most!r}"
    if indicator.one_of:
        return f"one_of:{json.dumps(sorted(indicator.one_of))}"
    return "rate" if indicator.measure == "rate" else "number"


def _read(column: ir.Column, reading: str) -> ir.NumericValue:
    """An event's outcome from ``column`` read as ``_reading`` says: 1 or 0 for a rate (null
    when the column has nothing to read), a number otherwise."""
    if reading.startswith("at_most:"):
        number = _outcome(column, "number")
        return (number <= float(reading.split(":", 1)[1])).cast("int64")
    if reading.startswith("one_of:"):
        wanted = [_folded(value) for value in json.loads(reading.split(":", 1)[1])]
        text = column.cast("string").strip().lower().nullif("")
        return text.isin(wanted).cast("int64")
    return _outcome(column, reading)


def _folded(value: str) -> str:
    return value.strip().lower()


def _of_type(events: ir.Table, indicator: Indicator, prepare: Prepare | None) -> ir.Table:
    """The events an indicator reads: its event type, prepared, then its filter."""
    selected = events.filter(events.event_type == indicator.event_type)
    if prepare is not None:
        selected = prepare(selected, indicator.event_type)
    for column, wanted in indicator.filter.items():
        values = [wanted] if isinstance(wanted, str) else wanted
        selected = selected.filter(_matches(selected[column], values))
    return selected


def _matches(column: ir.Column, values: list[str]) -> ir.BooleanValue:
    """Whether an event's value is one of a filter's ``values`` (text). Yes/no values (``1``,
    ``true``, ``yes``...) match by what they mean, however the column spells it or whatever
    type it is stored as; so does anything in a yes/no column. Other values match a column of
    numbers as numbers, and anything else as text."""
    words = {value.strip().lower() for value in values}
    meant = [
        int(truth) for truth, text in ((True, TRUE_TEXT), (False, FALSE_TEXT)) if words & set(text)
    ]
    if column.type().is_boolean() or words <= {*TRUE_TEXT, *FALSE_TEXT}:
        return _outcome(column, "rate").isin(meant) if meant else ibis.literal(False)
    if column.type().is_numeric():
        numbers = [number for number in map(_number, values) if number is not None]
        return column.isin(numbers) if numbers else ibis.literal(False)
    return column.cast("string").isin(values)


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _events_for(
    events: ir.Table,
    indicator: Indicator,
    period: str | None = None,
    prepare: Prepare | None = None,
) -> ir.Table:
    """The indicator's events as (person, value[, period]). A count per 1,000 homes counts
    every event (value 1)."""
    selected = _of_type(events, indicator, prepare)
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
    """``sums`` added up per category of each characteristic, as rows of (keys...,
    characteristic, category, sums...). Each row is unpivoted into one row per characteristic
    (an array of (characteristic's number, category) pairs, unnested) and the whole grouped
    once: one aggregate for every characteristic, rather than an aggregate per characteristic
    unioned, whose query took Ibis longer to compile than DuckDB to run (sixteen aggregates
    for each stack of branches in ``_all_totals``)."""
    pair = ibis.array(
        [
            ibis.struct({"number": ibis.literal(number, "int8"), "category": table[f"c{number}"]})
            for number in range(len(by))
        ]
    ).unnest()
    long = table.select(*keys, *sums, pair=pair)
    summed = long.group_by(
        [*keys, long.pair["number"].name("number"), long.pair["category"].name("category")]
    ).aggregate(**{name: long[name].sum() for name in sums})
    # The characteristic's name put on the small result, not on every unpivoted row.
    return summed.mutate(
        characteristic=summed.number.substitute(dict(enumerate(by)), else_=ibis.null("string"))
    ).drop("number")


Totals = dict[tuple[str, str], dict[str, dict[str, float]]]  # (period, characteristic):
# category: n (events with an outcome), k (sum), ss (sum of squares)


def _spec(indicator: Indicator) -> str:
    """What is summed for an indicator, among its event type's events: every event (a count
    per 1,000 homes), or a column read as a rate (1, 0 or nothing) or as a number; either of
    the events its filter keeps."""
    kept = json.dumps(
        sorted(
            (column, sorted([wanted] if isinstance(wanted, str) else wanted))
            for column, wanted in indicator.filter.items()
        )
    )
    if indicator.measure == PER_1000_HOMES:
        return f"events|{kept}"
    return f"{_reading(indicator)}|{indicator.value}|{kept}"


def _branch(indicator: Indicator) -> str:
    """The events an indicator reads: its event type. Indicators of one event type are summed
    in one branch, each filter's as sums of their own (a branch each made the query longer to
    plan than to run)."""
    return indicator.event_type


def _kept(selected: ir.Table, indicator: Indicator) -> ir.BooleanValue | None:
    """Whether an event is one the indicator's filter keeps (None: no filter, every event)."""
    kept = None
    for column, wanted in indicator.filter.items():
        values = [wanted] if isinstance(wanted, str) else wanted
        matched = _matches(selected[column], values).fill_null(False)
        kept = matched if kept is None else kept & matched
    return kept


Numbered = tuple[ir.Table, list[list[str]]]  # people with numbered categories; their labels


def _numbered(coded: ir.Table, by: list[str]) -> tuple[Numbered, dict[str, dict[str, float]]]:
    """People with each category as a small integer (``c0``, ``c1``, ...) and, per
    characteristic, the category each number stands for; and how many people each category
    has (the denominators of counts per 1,000 homes), from the same query. Grouping on small
    integers costs far less than grouping on text."""
    labels: list[list[str]] = [[] for _ in by]
    counts: dict[str, dict[str, float]] = {}
    for row in (
        _per_category(coded.mutate(people=ibis.literal(1)), by, [], ["people"])
        .to_pyarrow()
        .to_pylist()
    ):
        labels[by.index(row["characteristic"])].append(row["category"])
        counts.setdefault(row["characteristic"], {})[row["category"]] = float(row["people"])
    numbered = coded.select(
        PERSON,
        **{
            f"c{number}": coded[f"c{number}"]
            .substitute(
                {category: code for code, category in enumerate(sorted(names))},
                else_=ibis.null("int32"),
            )
            .cast("int32")
            for number, names in enumerate(labels)
        },
    )
    return (numbered, [sorted(names) for names in labels]), counts


def _stacks(widths: list[int]) -> list[tuple[list[int], int]]:
    """Branches (by number) gathered into stacks of similar width, each with its width: a
    branch of a dozen survey questions would otherwise pad every other branch's rows with a
    dozen empty sums to add up."""
    stacks: list[tuple[list[int], int]] = []
    for number in sorted(range(len(widths)), key=widths.__getitem__):
        if stacks and widths[number] <= 2 * widths[stacks[-1][0][0]]:
            stacks[-1][0].append(number)
            stacks[-1] = (stacks[-1][0], widths[number])
        else:
            stacks.append(([number], widths[number]))
    return stacks


def _stacked(
    parts: list[ir.Table], sums: list[list[str]], numbers: list[int], keys: list[str], width: int
) -> ir.Table:
    """The branches' per-person sums (named in ``sums``) one under another, in shared columns
    ``s0``, ``s1``... (empty where a branch has fewer), with the branch's number."""
    return ibis.union(
        *(
            parts[number].select(
                *keys,
                branch=ibis.literal(number, "int32"),
                **{
                    f"s{slot}": parts[number][name] if name else ibis.null("float64")
                    for slot, name in enumerate([*sums[number], *[""] * width][:width])
                },
            )
            for number in numbers
        )
    )


def _padded(table: ir.Table, width: int, wanted: int) -> ir.Table:
    """Empty sums added after ``s{width - 1}`` up to ``s{wanted - 1}``, so that every stack's
    (small) per-category result can go in one union."""
    return table.mutate(**{f"s{slot}": ibis.null("float64") for slot in range(width, wanted)})


def _all_totals(
    events: ir.Table,
    indicators: list[Indicator],
    coded: ir.Table,
    by: list[str],
    period: str | None,
    prepare: Prepare | None = None,
    numbered: Numbered | None = None,
) -> dict[str, Totals]:
    """Per indicator, per (period, characteristic) and category: n, k and ss, from one query
    for all the indicators.

    Indicators are gathered into branches by the events they read (event type and filter).
    Each branch sums its own events per person (and period): it reads only its event type's
    rows and the columns its indicators use, which on a store kept in event type order means
    only its own part of the table. The branches' per-person sums are stacked in shared
    columns (``s0``, ``s1``, ...), joined to the people once, and added up per category;
    which indicator each sum belongs to is worked out in Python on the small result."""
    if not indicators:
        return {}
    branches: dict[Any, list[Indicator]] = {}
    for indicator in indicators:
        branches.setdefault(_branch(indicator), []).append(indicator)
    keys = [PERSON, *(["period"] if period else [])]
    parts = []
    summed: list[list[str]] = []  # per branch, the names of its sums, in order
    # Per branch, per spec: the names of its n, k and ss sums among the branch's columns.
    layouts: list[tuple[list[Indicator], dict[str, dict[str, str]]]] = []
    for members in branches.values():
        selected = events.filter(events.event_type == members[0].event_type)
        if prepare is not None:
            selected = prepare(selected, members[0].event_type)
        if period:
            selected = selected.filter(selected.event_date.notnull())
            selected = selected.mutate(period=_period(selected.event_date, period))
        sums: dict[str, Any] = {}
        layout: dict[str, dict[str, str]] = {}
        specs = {_spec(indicator): indicator for indicator in members}
        for spec in sorted(specs):
            names = layout[spec] = {}
            number = len(layout)
            kept = _kept(selected, specs[spec])
            if spec.startswith("events|"):
                names["n"] = names["k"] = names["ss"] = f"n{number}"
                sums[f"n{number}"] = (
                    selected.count() if kept is None else kept.cast("int64").sum()
                ).cast("float64")
                continue
            kind = _reading(specs[spec])
            value = _read(selected[specs[spec].value], kind)
            if kept is not None:
                value = ibis.ifelse(kept, value, ibis.null(value.type()))
            names["n"], names["k"] = f"n{number}", f"k{number}"
            names["ss"] = f"ss{number}" if kind == "number" else f"k{number}"
            sums[f"n{number}"] = value.count().cast("float64")
            # Summed as floating point: exact for counts far beyond any landlord's, and on
            # DuckDB faster than the 128-bit integers it sums whole numbers into.
            sums[f"k{number}"] = value.cast("float64").sum()
            if kind == "number":
                sums[f"ss{number}"] = (value * value).cast("float64").sum()
        parts.append(selected.group_by(keys).aggregate(**sums))
        summed.append(list(sums))
        layouts.append((members, layout))
    people, labels = numbered or _numbered(coded, by)[0]
    widths = [len(names) for names in summed]
    grouped = ibis.union(
        *(
            _padded(
                _per_category(
                    _stacked(parts, summed, numbers, keys, stack_width).join(people, PERSON),
                    by,
                    ["branch", *keys[1:]],
                    [f"s{slot}" for slot in range(stack_width)],
                ),
                stack_width,
                max(widths),
            )
            for numbers, stack_width in _stacks(widths)
        )
    )
    positions = {name: number for number, name in enumerate(by)}
    result: dict[str, Totals] = {indicator.id: {} for indicator in indicators}
    for row in grouped.to_pyarrow().to_pylist():
        members, layout = layouts[row["branch"]]
        values = {name: row[f"s{slot}"] for slot, name in enumerate(summed[row["branch"]])}
        category = labels[positions[row["characteristic"]]][row["category"]]
        key = (row.get("period") or "", row["characteristic"])
        for indicator in members:
            names = layout[_spec(indicator)]
            n = float(values[names["n"]] or 0)
            if not n:
                continue
            total = (
                result[indicator.id]
                .setdefault(key, {})
                .setdefault(category, {"n": 0.0, "k": 0.0, "ss": 0.0})
            )
            total["n"] += n
            total["k"] += float(values[names["k"]] or 0)
            total["ss"] += float(values[names["ss"]] or 0)
    return result


Histogram = dict[float, int]  # value: how many times it occurs


def _values(
    events: ir.Table,
    indicator: Indicator,
    coded: ir.Table,
    by: list[str],
    period: str | None,
    prepare: Prepare | None = None,
    numbered: Numbered | None = None,
) -> dict[tuple[str, str], dict[str, Histogram]]:
    """Per (period, characteristic) and category, how often each value occurs (for medians and
    Mann-Whitney). Counted in the backend: outcomes such as days take few distinct values, so
    this is small however many events there are. Each event is joined to its person's
    (numbered) categories first: summing per person and value first saves little, as a
    person's events seldom share a value, and costs more than the join."""
    keys = ["value", *(["period"] if period else [])]
    people, labels = numbered or _numbered(coded, by)[0]
    joined = (
        _events_for(events, indicator, period, prepare)
        .mutate(times=ibis.literal(1, "int64"))
        .join(people, PERSON)
    )
    positions = {name: number for number, name in enumerate(by)}
    result: dict[tuple[str, str], dict[str, Histogram]] = {}
    for row in _per_category(joined, by, keys, ["times"]).to_pyarrow().to_pylist():
        key = (row.get("period") or "", row["characteristic"])
        category = labels[positions[row["characteristic"]]][row["category"]]
        histogram = result.setdefault(key, {}).setdefault(category, {})
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


def _years_added(parts: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], Any]:
    """Figures by quarter ("2026-Q3") with each calendar year's ("2026") added: a year's sums
    (n, k, ss) and its histogram of values are those of its quarters added up, so one pass over
    the events by quarter gives both periods."""
    result: dict[tuple[str, str], Any] = dict(parts)
    for (period, characteristic), categories in parts.items():
        year = result.setdefault((period[:4], characteristic), {})
        for category, figures in categories.items():
            held = year.setdefault(category, {})
            for key, value in figures.items():
                held[key] = held.get(key, 0) + value
    return result


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
    prepare: Prepare | None = None,
    numbered: Numbered | None = None,
    years: bool = False,
) -> list[ResultTable]:
    """One indicator broken down by each characteristic, each category against its comparator.

    ``rest`` compares each known category with everyone else whose answer is known; "prefer not
    to say" and "not known" are compared with everyone known. Each table's rows are one family
    for q-values. All characteristics come from one query. With ``period`` (month, quarter or
    year) there is a table per period, in time order, for trends; ``years`` with quarters adds
    each year's tables, from the same figures."""
    if period is not None and period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    if years and period != "quarter":
        raise ValueError("years are added only to quarters")
    coded = coded if coded is not None else _coded(people, by)
    if indicator.measure == "median":
        all_samples = _values(events, indicator, coded, by, period, prepare, numbered)
        if years:
            all_samples = _years_added(all_samples)
        all_totals = totals if totals is not None else _totals_of(all_samples)
    else:
        all_samples = {}
        if totals is None:
            totals = _all_totals(events, [indicator], coded, by, period, prepare, numbered)[
                indicator.id
            ]
            if years:
                totals = _years_added(totals)
        all_totals = totals
    if indicator.measure == PER_1000_HOMES and exposure is None:
        exposure = _numbered(coded, by)[1]
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


#: How a question with more than one answer (impairment types) holds them in one value.
MULTIPLE = "|"


def analyse_all(
    people: ir.Table,
    events: ir.Table,
    indicators: list[Indicator],
    by: list[str],
    **options: Any,
) -> list[ResultTable]:
    """Every indicator by every characteristic. A characteristic with more than one answer a
    person (``mental_health|stamina``) has a row per answer, each against everyone known who
    did not give it: a person may be in several (issue 28, item 11). They are worked out as a
    yes/no characteristic per answer, and the rows of "yes" gathered into one table."""
    candidates = [name for name in by if INTERSECTION not in name]
    found = (
        people.aggregate(
            **{
                f"m{i}": people[name].cast("string").contains(MULTIPLE).any()
                for i, name in enumerate(candidates)
            }
        )
        .to_pyarrow()
        .to_pylist()[0]
        if candidates
        else {}
    )
    multiple = [name for i, name in enumerate(candidates) if found.get(f"m{i}")]
    if not multiple:
        return _analyse_all(people, events, indicators, by, **options)
    answers: dict[str, dict[str, str]] = {}  # characteristic: answer: its yes/no column
    extra: dict[str, Any] = {}
    for name in multiple:
        column = people[name].cast("string").strip()
        held = (
            people.select(part=column.split(MULTIPLE).unnest().strip())
            .distinct()
            .to_pyarrow()
            .column(0)
            .to_pylist()
        )
        codes = sorted(c for c in held if c and c not in {*NO_ANSWER, *UNKNOWN})
        answers[name] = {code: f"{name}={code}" for code in codes}
        unknown = column.isnull() | column.isin([*NO_ANSWER, *UNKNOWN])
        for code, derived in answers[name].items():
            has = (MULTIPLE + column + MULTIPLE).contains(MULTIPLE + code + MULTIPLE)
            extra[derived] = ibis.ifelse(unknown, column, ibis.ifelse(has, "yes", "no"))
    singles = [name for name in by if name not in multiple]
    derived_by = singles + [d for name in multiple for d in answers[name].values()]
    tables = _analyse_all(people.mutate(**extra), events, indicators, derived_by, **options)
    kept = [t for t in tables if t.characteristic in singles]
    parts = {(t.indicator, t.period, t.characteristic): t for t in tables}
    for indicator in indicators:
        for period in sorted({t.period for t in tables if t.indicator == indicator.id}):
            for name in multiple:
                merged = _gathered(indicator, period, name, answers[name], parts, options)
                if merged is not None:
                    kept.append(merged)
    order = {name: i for i, name in enumerate(by)}
    ids = {indicator.id: i for i, indicator in enumerate(indicators)}
    return sorted(kept, key=lambda t: (ids[t.indicator], t.period, order[t.characteristic]))


def _gathered(
    indicator: Indicator,
    period: str,
    name: str,
    answers: dict[str, str],
    parts: dict[tuple[str, str, str], ResultTable],
    options: dict[str, Any],
) -> ResultTable | None:
    """One table of a many-answer characteristic from its yes/no tables: each answer's "yes"
    row, and the unknown rows (the same in every one), judged again as one family."""
    tables = {code: parts.get((indicator.id, period, column)) for code, column in answers.items()}
    present = {code: table for code, table in tables.items() if table is not None}
    if not present:
        return None
    rows: list[dict[str, Any]] = []
    for code, table in present.items():
        rows += [dict(row, category=code) for row in table.rows if row["category"] == "yes"]
    first = next(iter(present.values()))
    rows.sort(key=lambda row: (-row["n"], row["category"]))
    rows += [dict(row) for row in first.rows if row["category"] in UNKNOWN]
    for row in rows:
        # Too few on either side stays so; the rest are judged again against the new family.
        row["enough"] = row.pop("flag") != "insufficient_data"
        row.pop("q_value", None)
    _judge(rows, indicator, _min_effect(indicator, options.get("min_effect", 0.05)))
    return ResultTable(indicator.id, name, first.comparison, rows, period, indicator.measure)


def _analyse_all(
    people: ir.Table,
    events: ir.Table,
    indicators: list[Indicator],
    by: list[str],
    *,
    period: str | None = None,
    prepare: Prepare | None = None,
    years: bool = False,
    **options: Any,
) -> list[ResultTable]:
    """Every indicator by every characteristic of one answer each. People's categories are worked out once and
    kept in the backend, and one query sums the events for all the indicators (medians, which
    need every value, apart). ``prepare``, if given, is applied to each event type's events
    once selected (see ``Prepare``)."""
    if period is not None and period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    if not indicators or not by:
        return []  # a table per indicator and characteristic: none
    # Each person's categories as text, worked out once and kept as a temporary table: the
    # numbering below is a CASE with a branch per category, and DuckDB works out the value a
    # simple CASE tests once per branch. On the text read from an extract (markers of a missing
    # answer, trimming) that was 2.5 s of a 300,000-person file-mode run; now 0.3 s.
    coded = _coded(people, by).cache()
    (numbered_people, labels), exposure = _numbered(coded, by)
    # Kept as a temporary table: each part of the main query and each median reads it, and
    # would otherwise work out every person's categories again (a tenth of the time).
    numbered = (numbered_people.cache(), labels)
    summed = _all_totals(
        events,
        [i for i in indicators if i.measure != "median"],
        coded,
        by,
        period,
        prepare,
        numbered,
    )
    if years:
        summed = {indicator: _years_added(totals) for indicator, totals in summed.items()}
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
            prepare=prepare,
            numbered=numbered,
            years=years,
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
        if compare == f"reference:{category}":
            # The reference group against itself: a ratio of 1 and no difference (as Aequitas
            # reports it), never a finding.
            comparator, p_value, test, n2 = value, math.nan, "", n
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
    _judge(rows, indicator, _min_effect(indicator, min_effect))
    return ResultTable(indicator.id, by, compare, rows, period, indicator.measure)


def _min_effect(indicator: Indicator, for_rates: float) -> float:
    """The smallest difference that counts as a finding, in the indicator's own units: its
    own ``min_effect`` if it gives one, else ``for_rates`` for a rate and none (any difference
    but none at all) for a mean or a median."""
    if indicator.min_effect is not None:
        return indicator.min_effect
    return for_rates if indicator.measure == "rate" else 0.0


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
    # Every characteristic's four counts in one aggregate (one query, not one each).
    counts: dict[str, Any] = {}
    for number, characteristic in enumerate(characteristics):
        category = _category(people[characteristic])
        # People the question is for: not a child asked nothing of it, not someone left out of
        # this period's asking (issue 28, item 9).
        applies = people[characteristic].cast("string").fill_null("") != NOT_APPLICABLE
        counts |= {
            f"people{number}": applies.cast("int64").sum(),
            f"answered{number}": (~category.isin(list(UNKNOWN))).cast("int64").sum(),
            f"prefer{number}": (category == PREFER_NOT_TO_SAY).cast("int64").sum(),
            f"not_asked{number}": (applies & (category == NOT_KNOWN)).cast("int64").sum(),
        }
    if not counts:
        return []
    summary = (
        people.group_by(people[by].cast("string").fill_null("").name("group")).aggregate(**counts)
        if by
        else people.aggregate(**counts)
    )
    rows = []
    for item in summary.to_pyarrow().to_pylist():
        for number, characteristic in enumerate(characteristics):
            total = item[f"people{number}"] or 0
            if by and not total:
                continue  # a group the question is not for (no child is asked it)
            answered, prefer = item[f"answered{number}"] or 0, item[f"prefer{number}"] or 0
            response = (answered + prefer) / total if total else 0.0
            level = next(
                (
                    name
                    for name, _ in LEVELS
                    if response >= {"excellent": excellent, "achieving": achieving}[name]
                ),
                "developing" if response > 0 else "not_started",
            )
            rows.append(
                {
                    "characteristic": characteristic,
                    "group": item.get("group", "all") if by else "all",
                    "people": total,
                    "answered": answered,
                    "prefer_not_to_say": prefer,
                    "not_asked": item[f"not_asked{number}"] or 0,
                    "response_rate": response,
                    "known_rate": answered / total if total else 0.0,
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


def who_could_respond(people: ir.Table) -> ir.Table:
    """The people a survey of customers asks: adults (16 or over, or of unknown age) who are not
    household members (issue 28, item 9: respondents were compared with a base that counted
    children and household members)."""
    kept = people
    if "adult" in people.columns:
        kept = kept.filter(kept.adult.fill_null("") != "no")
    if "customer_type" in people.columns:
        kept = kept.filter(kept.customer_type.fill_null("") != "household_member")
    return kept


def service_users(
    people: ir.Table, events: ir.Table, event_type: str, value: str | None = None
) -> ir.Table:
    """The people with at least one event of ``event_type``: survey respondents, say; with
    ``value``, only events where that yes/no column is yes (offers taken up)."""
    used = events.filter(events.event_type == event_type)
    if value is not None:
        used = used.filter(_outcome(used[value], "rate") == 1)
    return people.semi_join(used.select(PERSON).distinct(), PERSON)


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


def _normal(value: ir.Value) -> ir.StringValue:
    """Text as compared: trimmed, in lower case, and blank as null."""
    return value.cast("string").strip().lower().nullif("")


def _wanted(preference: ir.Value) -> ir.StringValue:
    """A recorded preference as the part to look for among what was sent (``+cy+``), or empty
    (found in anything) when there is none."""
    return ("+" + _normal(preference) + "+").fill_null("")


def _meets(wanted: ir.StringValue, sent: ir.Value) -> ir.IntegerValue:
    """Null when the communication does not say; otherwise 1 when what was sent meets the
    preference (or there is none) and 0 when it does not. ``cy+en`` (bilingual) meets either
    language. ``wanted`` comes from ``_wanted`` (null when the person is not in the people
    table). Each value is named once: this runs for every letter sent, and DuckDB works out
    an expression again wherever it is repeated."""
    return ("+" + _normal(sent) + "+").contains(wanted.fill_null("")).cast("int64")


CONTACT = "contact"
CHANNEL_MATCH = "channel_matches_preference"
# A contact method a person asked for (the contact_method code list), and the channels of an
# incoming contact that meet it. Someone who asked to be reached through their representative
# is met whichever way the contact came.
CHANNELS_MEETING = {
    "phone": ("phone", "telephone", "call"),
    "text": ("text", "sms"),
    "email": ("email", "e-mail"),
    "letter": ("letter", "post"),
    "in_person": ("office", "visit", "in_person", "face_to_face"),
    "video_relay": ("video_relay",),
    "text_relay": ("text_relay", "relay_uk"),
}


def with_channel_match(
    people: ir.Table, events: ir.Table, event_type: str | None = None
) -> ir.Table:
    """Incoming contacts with ``channel_matches_preference``: 1 when the contact's ``channel``
    is one the person's ``preferred_contact_method`` asks for, 0 when it is not, blank when
    either is not recorded (nothing to compare). A value given in the extract is kept."""
    if "preferred_contact_method" not in people.columns or "channel" not in events.columns:
        return events
    if event_type is not None and event_type != CONTACT:
        return events.mutate(**{CHANNEL_MATCH: _given(events, CHANNEL_MATCH)})
    wanted = people.select(
        **{f"_{PERSON}": people[PERSON], "_method": _normal(people.preferred_contact_method)}
    )
    contacts = events.filter(events.event_type == CONTACT)
    joined = contacts.left_join(wanted, contacts[PERSON] == wanted[f"_{PERSON}"])
    channel = _normal(joined.channel).replace(" ", "_")
    method = joined["_method"]
    computed = ibis.cases(
        *(
            ((method == preference) & channel.notnull(), channel.isin(list(meeting)).cast("int64"))
            for preference, meeting in CHANNELS_MEETING.items()
        ),
        ((method == "representative") & channel.notnull(), ibis.literal(1, "int64")),
        else_=ibis.null("int64"),
    )
    if CHANNEL_MATCH in events.columns:
        computed = _given(joined, CHANNEL_MATCH).fill_null(computed)
    contacts = joined.mutate(**{CHANNEL_MATCH: computed}).select(
        *events.columns, *([] if CHANNEL_MATCH in events.columns else [CHANNEL_MATCH])
    )
    if event_type == CONTACT:
        return contacts
    others = events.filter(events.event_type != CONTACT)
    others = others.mutate(**{CHANNEL_MATCH: _given(others, CHANNEL_MATCH)})
    return contacts.union(others.select(*contacts.columns))


def with_communication_match(
    people: ir.Table, events: ir.Table, event_type: str | None = None
) -> ir.Table:
    """What was sent and how people reached us, against what they asked for: incoming contacts
    with ``channel_matches_preference`` (``with_channel_match``), and outgoing communications
    with ``matches_preference`` (``with_letter_match``)."""
    return with_letter_match(people, with_channel_match(people, events, event_type), event_type)


def with_letter_match(
    people: ir.Table, events: ir.Table, event_type: str | None = None
) -> ir.Table:
    """Events with ``matches_preference`` worked out for outgoing communications that record
    their ``format`` and/or ``language``, against the person's recorded preferred format and
    language: 1 when everything the communication records meets the preference, 0 when any part
    does not, blank when it records neither. A yes/no value given in the extract is kept.

    ``event_type`` says the events are all of that type (as a ``Prepare`` is told): events of
    any other type then only gain the column, with nothing to join."""
    usable = {
        preference: column
        for preference, column in PREFERENCES.items()
        if preference in people.columns and column in events.columns
    }
    if not usable:
        return events
    if event_type is not None and event_type != OUTGOING:
        return events.mutate(**{MATCH: _given(events)})
    preferences = people.select(
        PERSON, **{preference: _wanted(people[preference]) for preference in usable}
    ).rename(lambda name: f"_{name}")
    outgoing = events.filter(events.event_type == OUTGOING)
    joined = outgoing.left_join(preferences, outgoing[PERSON] == preferences[f"_{PERSON}"])
    checks = [
        _meets(joined[f"_{preference}"], joined[column]) for preference, column in usable.items()
    ]
    computed = checks[0] if len(checks) == 1 else ibis.least(*checks)
    if MATCH in events.columns:
        computed = _given(joined).fill_null(computed)
    outgoing = joined.mutate(**{MATCH: computed}).select(
        *events.columns, *([] if MATCH in events.columns else [MATCH])
    )
    if event_type == OUTGOING:
        return outgoing
    others = events.filter(events.event_type != OUTGOING)
    others = others.mutate(**{MATCH: _given(others)})
    return outgoing.union(others.select(*outgoing.columns))


def _given(events: ir.Table, column: str = MATCH) -> ir.IntegerValue:
    """A match (``matches_preference`` unless said) as the extract gives it (1, 0 or null,
    read as a rate is)."""
    if column in events.columns:
        return _outcome(events[column], "rate").cast("int64")
    return ibis.null("int64")


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
    # Each question's denominator is the people it is for (issue 28, item 9).
    names = [c for c in people.columns if c != PERSON]
    eligible = (
        people.aggregate(
            **{
                c: (people[c].cast("string").fill_null("") != NOT_APPLICABLE).cast("int64").sum()
                for c in names
            }
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    joined = answered.semi_join(people.select(PERSON), PERSON)
    cases = {
        label: (joined.since <= ibis.literal(end)).cast("int64").sum() for label, end in quarters
    }
    rows = joined.group_by("characteristic").aggregate(**cases).to_pyarrow().to_pylist()
    return {
        row["characteristic"]: {
            label: min(1.0, (row[label] or 0) / (eligible.get(row["characteristic"]) or total))
            for label, _ in quarters
        }
        for row in rows
    }
