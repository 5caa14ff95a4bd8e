"""Counts per 1,000 homes, trends by period, and disclosure control over linked tables."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from statsmodels.stats import rates

from equal_outcomes.analysis import Indicator, breakdowns, load_indicators
from equal_outcomes.analysis.disclosure import (
    LOW,
    SUPPRESSED,
    THRESHOLD,
    suppress_linked,
    suppress_periods,
)
from equal_outcomes.analysis.engine import ResultTable, analyse_all, with_communication_match
from equal_outcomes.analysis.files import connect, read_events, read_people

ASB = Indicator(id="asb", event_type="asb_case", measure="per_1000_homes", higher_is_better=False)
SATISFIED = Indicator(id="satisfied", event_type="repair", measure="rate", value="satisfied")


@pytest.fixture
def extract(tmp_path: Path) -> dict[str, Path]:
    """300 homes of group a with 12 ASB cases, 100 of group b with 15 (one home has three), and
    repairs over two quarters: in 2025-Q1 a is satisfied 50 of 60 times and b 30 of 40; in
    2025-Q2, 40 of 60 and 10 of 40. Group c has 20 homes and no cases at all."""
    people = ["key,group"]
    events = ["person_key,event_type,satisfied,event_date"]
    for i in range(300):
        people.append(f"a{i},a")
        if i < 12:
            events.append(f"a{i},asb_case,,01/03/2025")
    for i in range(100):
        people.append(f"b{i},b")
        for _ in range(3 if i == 0 else 1 if i < 13 else 0):
            events.append(f"b{i},asb_case,,02/03/2025")
    people += [f"c{i},c" for i in range(20)]
    for quarter, day, plan in (
        ("Q1", "15/02/2025", {"a": 50, "b": 30}),
        ("Q2", "15/05/2025", {"a": 40, "b": 10}),
    ):
        for group, happy in plan.items():
            total = 60 if group == "a" else 40
            for i in range(total):
                events.append(f"{group}{i},repair,{1 if i < happy else 0},{day}")
        assert quarter
    events.append("a0,repair,1,")  # no date: left out of trends
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n")
    (tmp_path / "events.csv").write_text("\n".join(events) + "\n")
    (tmp_path / "indicators.yaml").write_text(
        "indicators:\n"
        "  - {id: asb, event_type: asb_case, measure: per_1000_homes, higher_is_better: false}\n"
        "  - {id: satisfied, event_type: repair, measure: rate, value: satisfied}\n"
    )
    return {
        name: tmp_path / f"{name}.{ext}"
        for name, ext in (("people", "csv"), ("events", "csv"), ("indicators", "yaml"))
    }


def _tables(extract: dict[str, Path]) -> tuple[Any, Any]:
    con = connect()
    return read_people(con, extract["people"]), read_events(con, extract["events"])


def test_a_count_per_1000_homes_counts_every_home_and_tests_the_rates_exactly(
    extract: dict[str, Path],
) -> None:
    people, events = _tables(extract)
    (table,) = breakdowns(people, events, ASB, ["group"])
    rows = {row["category"]: row for row in table.rows}
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert (a["n"], a["numerator"], a["value"]) == (300, 12, pytest.approx(40.0))
    assert (b["n"], b["numerator"], b["value"]) == (100, 15, pytest.approx(150.0))
    assert (c["n"], c["numerator"], c["value"]) == (20, 0, 0.0), "homes without cases count"
    assert b["comparator_value"] == pytest.approx(12 / 320 * 1000)
    expected = rates.test_poisson_2indep(15, 100, 12, 320, method="exact-cond").pvalue
    assert b["p_value"] == pytest.approx(float(expected), abs=1e-9)
    low, high = rates.confint_poisson(15, 100, method="exact-c")
    assert (b["ci_low"], b["ci_high"]) == (
        pytest.approx(float(low) * 1000, rel=1e-6),
        pytest.approx(float(high) * 1000, rel=1e-6),
    )
    assert b["flag"] == "worse", "more ASB is worse"
    assert b["test"] == "poisson_exact"


def test_a_count_needs_no_value_and_a_rate_needs_one() -> None:
    with pytest.raises(ValidationError, match="leave 'value' out"):
        Indicator(id="x", event_type="asb_case", measure="per_1000_homes", value="hate")
    with pytest.raises(ValidationError, match="needs the outcome column"):
        Indicator(id="x", event_type="repair", measure="rate")


def test_trends_give_a_table_per_period_in_time_order(extract: dict[str, Path]) -> None:
    people, events = _tables(extract)
    found = breakdowns(people, events, SATISFIED, ["group"], period="quarter")
    assert [t.period for t in found] == ["2025-Q1", "2025-Q2"]
    first, second = ({r["category"]: r for r in t.rows} for t in found)
    assert (first["a"]["n"], first["a"]["numerator"]) == (60, 50)
    assert (second["b"]["n"], second["b"]["numerator"]) == (40, 10)
    assert first["b"]["flag"] == "no_difference"
    assert second["b"]["flag"] == "worse"
    assert found[0].as_json()["period"] == "2025-Q1"
    months = breakdowns(people, events, SATISFIED, ["group"], period="month")
    assert [t.period for t in months] == ["2025-02", "2025-05"]


def test_analyse_writes_trends_by_period(extract: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "trend.json"
    call_command(
        "analyse",
        "--people", str(extract["people"]),
        "--events", str(extract["events"]),
        "--indicators", str(extract["indicators"]),
        "--indicator", "satisfied",
        "--period", "year",
        "--format", "json",
        "--out", str(out),
    )  # fmt: skip
    (table,) = json.loads(out.read_text())
    assert table["period"] == "2025"
    assert {r["category"]: r["n"] for r in table["rows"]}["a"] == 120


def _row(category: str, n: int, k: int) -> dict[str, Any]:
    return {
        "category": category,
        "n": n,
        "numerator": k,
        "value": k / n if n else 0.0,
        "ci_low": 0.0,
        "ci_high": 1.0,
        "comparator_value": 0.5,
        "difference": 0.0,
        "ratio": 1.0,
        "p_value": 1.0,
        "q_value": 1.0,
        "test": "z",
        "flag": "no_difference",
        "suppressed": False,
    }


def _recoverable(tables: list[ResultTable]) -> list[str]:
    """Hidden counts that the published counts pin down, by linear algebra: every table sums to
    the same (known) total, and each category's cells of the two-way table sum to its row of
    the one-way table. A hidden value is recoverable when its unit vector lies in the row space
    of the equations restricted to hidden values."""
    cells: dict[tuple[str, str], int | str] = {
        (t.characteristic, row["category"]): row["n"] for t in tables for row in t.rows
    }
    unknown = [key for key, value in cells.items() if value == SUPPRESSED]
    if not unknown:
        return []
    position = {key: i for i, key in enumerate(unknown)}
    equations: list[list[tuple[tuple[str, str], int]]] = []
    for t in tables:  # sum of the table minus the grand total (known)
        equations.append([((t.characteristic, r["category"]), 1) for r in t.rows])
    two_way = next(t for t in tables if "*" in t.characteristic)
    first, second = two_way.characteristic.split("*")
    for side, name in ((0, first), (1, second)):
        groups: dict[str, list[tuple[tuple[str, str], int]]] = {}
        for row in two_way.rows:
            if " & " in row["category"]:
                part = row["category"].split(" & ")[side]
                groups.setdefault(part, []).append(((two_way.characteristic, row["category"]), 1))
        for part, members in groups.items():
            equations.append([*members, ((name, part), -1)])
    matrix = np.array(
        [
            [sum(sign for key, sign in eq if key == hidden) for hidden in unknown]
            for eq in equations
        ],
        dtype=float,
    )
    rank = np.linalg.matrix_rank(matrix) if len(matrix) else 0
    found = []
    for key, i in position.items():
        unit = np.zeros(len(unknown))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(f"{key[0]}={key[1]}")
    return found


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=4), min_size=2, max_size=4).filter(
        lambda grid: len({len(row) for row in grid}) == 1
    )
)
def test_no_hidden_cell_of_linked_tables_can_be_recovered(grid: list[list[int]]) -> None:
    """A two-way table of ethnicity by sex published with the one-way tables it adds up to."""
    ethnicities = [f"e{i}" for i in range(len(grid))]
    sexes = [f"s{j}" for j in range(len(grid[0]))]
    half = lambda n: n // 2  # noqa: E731 - numerators: half of each count
    two_way = [
        _row(f"{e} & {s}", grid[i][j], half(grid[i][j]))
        for i, e in enumerate(ethnicities)
        for j, s in enumerate(sexes)
    ]
    by_ethnicity = [
        _row(e, sum(grid[i]), sum(half(v) for v in grid[i])) for i, e in enumerate(ethnicities)
    ]
    by_sex = [
        _row(s, sum(row[j] for row in grid), sum(half(row[j]) for row in grid))
        for j, s in enumerate(sexes)
    ]
    tables = [
        ResultTable("x", "ethnicity", "rest", by_ethnicity),
        ResultTable("x", "sex", "rest", by_sex),
        ResultTable("x", "ethnicity*sex", "rest", two_way),
    ]
    published = suppress_linked(tables)
    for table in published:
        for row in table.rows:
            if not row["suppressed"]:
                assert row["n"] >= THRESHOLD
                assert row["numerator"] >= THRESHOLD
                assert row["n"] - row["numerator"] >= THRESHOLD
    assert _recoverable(published) == []


def test_a_lone_small_cell_in_a_two_way_table_hides_a_neighbour_and_reports_low_reliability() -> (
    None
):
    two_way = [
        _row("e0 & s0", 100, 50),
        _row("e0 & s1", 4, 2),
        _row("e1 & s0", 100, 50),
        _row("e1 & s1", 25, 12),
    ]
    tables = [
        ResultTable("x", "ethnicity", "rest", [_row("e0", 104, 52), _row("e1", 125, 62)]),
        ResultTable("x", "sex", "rest", [_row("s0", 200, 100), _row("s1", 29, 14)]),
        ResultTable("x", "ethnicity*sex", "rest", two_way),
    ]
    published = {t.characteristic: t for t in suppress_linked(tables)}
    cells = {r["category"]: r for r in published["ethnicity*sex"].rows}
    assert cells["e0 & s1"]["n"] == SUPPRESSED
    assert cells["e1 & s1"]["n"] == SUPPRESSED, "otherwise s1 minus e1 & s1 gives e0 & s1"
    assert cells["e0 & s0"]["n"] == SUPPRESSED, "otherwise e0 minus e0 & s0 gives e0 & s1"
    assert _recoverable(list(published.values())) == []
    sex = {r["category"]: r for r in published["sex"].rows}
    assert sex["s1"]["n"] == 29
    assert sex["s1"]["value"] == LOW, "29 people are too few for a reliable rate"
    assert sex["s0"]["value"] == 0.5


def test_letters_are_checked_against_the_preferred_format_and_language(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "key,preferred_format,preferred_language\n"
        "welsh,large_print,cy\nnone,,\nenglish,standard,en\n"
    )
    events = tmp_path / "events.csv"
    events.write_text(
        "person_key,event_type,format,language\n"
        "welsh,outgoing_communication,large_print,cy\n"
        "welsh,outgoing_communication,large_print,en\n"  # wrong language
        "welsh,outgoing_communication,standard,cy\n"  # wrong format
        "welsh,outgoing_communication,large_print,cy+en\n"  # bilingual meets Welsh
        "none,outgoing_communication,braille,pl\n"  # no preference: anything meets it
        "english,outgoing_communication,,\n"  # records neither: no outcome
        "english,repair,,\n"
    )
    con = connect()
    checked = with_communication_match(read_people(con, people), read_events(con, events))
    found = [
        (row["person_key"], row["format"], row["language"], row["matches_preference"])
        for row in checked.order_by(["person_key", "format", "language"]).to_pyarrow().to_pylist()
        if row["event_type"] == "outgoing_communication"
    ]
    assert found == [
        ("english", None, None, None),
        ("none", "braille", "pl", 1),
        ("welsh", "large_print", "cy", 1),
        ("welsh", "large_print", "cy+en", 1),
        ("welsh", "large_print", "en", 0),
        ("welsh", "standard", "cy", 0),
    ]
    letters = Indicator(
        id="letters",
        event_type="outgoing_communication",
        measure="rate",
        value="matches_preference",
    )
    (table,) = breakdowns(read_people(con, people), checked, letters, ["preferred_language"])
    rows = {row["category"]: row for row in table.rows}
    assert (rows["cy"]["n"], rows["cy"]["numerator"]) == (4, 2)
    # Checked per event type inside the analysis (as analyse and the dashboards run it), the
    # letters give the same table.
    (inside,) = analyse_all(
        read_people(con, people),
        read_events(con, events),
        [letters],
        ["preferred_language"],
        prepare=partial(with_communication_match, read_people(con, people)),
    )
    assert json.dumps(inside.rows) == json.dumps(table.rows)  # NaN as NaN


@pytest.mark.parametrize("period", [None, "quarter"])
def test_one_pass_over_the_events_gives_what_each_indicator_gives_alone(
    extract: dict[str, Path], period: str | None
) -> None:
    people, events = _tables(extract)
    indicators = [
        ASB,
        SATISFIED,
        Indicator(id="unhappy", event_type="repair", measure="rate", value="satisfied",
                  higher_is_better=False),
        Indicator(id="mean", event_type="repair", measure="mean", value="satisfied"),
        Indicator(id="median", event_type="repair", measure="median", value="satisfied"),
    ]  # fmt: skip
    together = analyse_all(people, events, indicators, ["group"], period=period)
    alone = [
        table
        for indicator in indicators
        for table in breakdowns(people, events, indicator, ["group"], period=period)
    ]
    assert [t.as_json() for t in together] == [t.as_json() for t in alone]


def test_years_added_up_from_quarters_are_the_years_analysed_alone(
    extract: dict[str, Path],
) -> None:
    """The board's yearly tables come from the quarterly pass (one pass over the events for
    both): each is what analysing by year gives, medians and counts included."""
    people, events = _tables(extract)
    indicators = [
        ASB,
        SATISFIED,
        Indicator(id="mean", event_type="repair", measure="mean", value="satisfied"),
        Indicator(id="median", event_type="repair", measure="median", value="satisfied"),
    ]
    both = analyse_all(people, events, indicators, ["group"], period="quarter", years=True)
    years = analyse_all(people, events, indicators, ["group"], period="year")
    quarters = analyse_all(people, events, indicators, ["group"], period="quarter")
    assert len({t.period for t in quarters}) > len({t.period for t in years})  # several a year
    assert [t.as_json() for t in both if "-Q" not in t.period] == [t.as_json() for t in years]
    assert [t.as_json() for t in both if "-Q" in t.period] == [t.as_json() for t in quarters]


def test_no_indicators_or_no_characteristics_give_no_tables(extract: dict[str, Path]) -> None:
    con = connect()
    people, events = read_people(con, extract["people"]), read_events(con, extract["events"])
    indicators = load_indicators(extract["indicators"])
    assert analyse_all(people, events, [], ["group"]) == []
    assert analyse_all(people, events, indicators, []) == []


def _recoverable_across_periods(tables: list[ResultTable]) -> list[str]:
    """Hidden counts a reader who can ask for every period pins down: each table's cells sum to
    its (known) total, and a category's cells in the quarters of a year sum to its cell in the
    year, and in the years to its cell over the whole time. (No sum joins two characteristics,
    so each characteristic is solved on its own.)"""
    found = []
    for name in sorted({t.characteristic for t in tables}):
        mine = [t for t in tables if t.characteristic == name]
        cells = {(t.period, r["category"]): r["n"] for t in mine for r in t.rows}
        unknown = [key for key, value in cells.items() if value == SUPPRESSED]
        if not unknown:
            continue
        equations = [{(t.period, r["category"]): 1 for r in t.rows} for t in mine]
        children: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for period, category in cells:
            if period:
                parent = period.split("-Q")[0] if "-Q" in period else ""
                children.setdefault((parent, category), []).append((period, category))
        for parent, members in children.items():
            equations.append({**dict.fromkeys(members, 1), parent: -1})
        matrix = np.array([[eq.get(key, 0) for key in unknown] for eq in equations], float)
        # A hidden count is pinned down when no solution of the sums can change it: its
        # column is zero across the null space of the system.
        _, singular, vt = np.linalg.svd(matrix)
        null = vt[int((singular > 1e-9).sum()) :]
        found += [
            f"{period}/{name}/{category}"
            for i, (period, category) in enumerate(unknown)
            if np.all(np.abs(null[:, i]) < 1e-9)
        ]
    return found


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=3), min_size=2, max_size=4).filter(
        lambda quarters: len({len(q) for q in quarters}) == 1
    )
)
def test_no_hidden_cell_can_be_recovered_by_subtracting_one_period_from_another(
    quarters: list[list[int]],
) -> None:
    """Issue 25, finding 13: each period was suppressed on its own, so the whole time's row
    minus the other quarters' rows gave back a quarter's hidden count. ``quarters[q][c]`` is
    category c's count in quarter q of 2026."""
    categories = [f"c{i}" for i in range(len(quarters[0]))]
    half = lambda n: n // 2  # noqa: E731 - numerators: half of each count

    def table(period: str, counts: list[int]) -> ResultTable:
        rows = [_row(c, n, half(n)) for c, n in zip(categories, counts, strict=True)]
        return ResultTable("x", "sex", "rest", rows, period)

    totals = [sum(q[c] for q in quarters) for c in range(len(categories))]
    tables = [
        table("", totals),
        table("2026", totals),
        *(table(f"2026-Q{q + 1}", counts) for q, counts in enumerate(quarters)),
    ]
    published = suppress_periods(tables)
    for each in published:
        for row in each.rows:
            if not row["suppressed"]:
                assert row["n"] >= THRESHOLD
    assert _recoverable_across_periods(published) == []


def test_a_quarters_hidden_count_is_no_longer_the_whole_minus_the_other_quarters() -> None:
    def table(period: str, counts: list[int]) -> ResultTable:
        rows = [_row(f"c{i}", n, n // 2) for i, n in enumerate(counts)]
        return ResultTable("x", "sex", "rest", rows, period)

    quarters = [[3, 40], [20, 30], [24, 25], [22, 35]]
    totals = [sum(q[i] for q in quarters) for i in range(2)]
    tables = [
        table("", totals),
        table("2026", totals),
        *(table(f"2026-Q{q + 1}", counts) for q, counts in enumerate(quarters)),
    ]
    each_alone = [suppress_linked([t])[0] for t in tables]
    assert "2026-Q1/sex/c0" in _recoverable_across_periods(each_alone)  # 69 - 20 - 24 - 22
    assert _recoverable_across_periods(suppress_periods(tables)) == []


def test_a_group_alone_in_a_quarter_is_not_given_away_by_the_years_sums() -> None:
    """Issue 31: a rare service (major adaptations) had events in one area alone in a quarter.
    Every cell was hidden, yet the year's total less the other quarters' totals gave that
    area's count for the year and the whole time. When hiding cells cannot protect a count,
    the breakdown is withheld in every period."""

    def table(period: str, counts: dict[str, int]) -> ResultTable:
        rows = [_row(category, n, n // 2) for category, n in counts.items()]
        return ResultTable("x", "area", "rest", rows, period, "median")

    quarters = {
        "2026-Q1": {"b1": 2},
        "2026-Q2": {"c1": 3, "d1": 2, "e2": 1},
        "2026-Q3": {"c1": 1, "d1": 4},
    }
    year: dict[str, int] = {}
    for counts in quarters.values():
        for category, n in counts.items():
            year[category] = year.get(category, 0) + n
    tables = [
        table("", year),
        table("2026", year),
        *(table(period, counts) for period, counts in quarters.items()),
    ]
    assert "2026/area/b1" in _recoverable_across_periods([suppress_linked([t])[0] for t in tables])
    published = suppress_periods(tables)
    one_row = {f"{t.period}/{t.characteristic}/{t.rows[0]['category']}"
               for t in published if len(t.rows) == 1}  # fmt: skip
    assert set(_recoverable_across_periods(published)) <= one_row
    # Nothing of the breakdown is left to read.
    assert all(not t.rows for t in published)
