"""Breakdowns and coverage on small extracts whose answers can be worked out by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import ibis
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from equal_outcomes.analysis import Indicator, breakdown, breakdowns, coverage, stats
from equal_outcomes.analysis.disclosure import THRESHOLD, suppress
from equal_outcomes.analysis.engine import ResultTable
from equal_outcomes.analysis.files import connect, read_events, read_people

SATISFIED = Indicator(id="satisfied", event_type="repair", measure="rate", value="satisfied")


@pytest.fixture
def extract(tmp_path: Path) -> dict[str, Path]:
    """200 people: 150 group a (120 of 150 repairs satisfied), 40 group b (20 of 40), 5 who
    prefer not to say (5 of 5), 5 not asked (2 of 5); one repair without an outcome."""
    people = ["key,group,age_band"]
    events = ["person_key,event_type,satisfied,days"]
    plan = [("a", 150, 120), ("b", 40, 20), ("prefer_not_to_say", 5, 5), ("", 5, 2)]
    number = 0
    for group, size, happy in plan:
        for i in range(size):
            number += 1
            people.append(f"p{number:04d},{group},{'young' if i % 2 else 'old'}")
            events.append(
                f"p{number:04d},repair,{1 if i < happy else 0},{i % 7 + (3 if group == 'b' else 0)}"
            )
    events.append("p0001,repair,,5")
    events.append("p0002,complaint,1,1")
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n")
    (tmp_path / "events.csv").write_text("\n".join(events) + "\n")
    (tmp_path / "indicators.yaml").write_text(
        "indicators:\n"
        "  - {id: satisfied, event_type: repair, measure: rate, value: satisfied}\n"
        "  - {id: days, event_type: repair, measure: mean, value: days, higher_is_better: false}\n"
    )
    return {
        "people": tmp_path / "people.csv",
        "events": tmp_path / "events.csv",
        "indicators": tmp_path / "indicators.yaml",
    }


def file_mode(extract: dict[str, Path]) -> list[str]:
    """The command-line arguments that point analyse at the extract's files."""
    return [
        "--people",
        str(extract["people"]),
        "--events",
        str(extract["events"]),
        "--indicators",
        str(extract["indicators"]),
    ]


def tables(extract: dict[str, Path]) -> tuple[Any, Any]:
    con = connect()
    return read_people(con, extract["people"]), read_events(con, extract["events"])


def test_each_group_is_compared_with_everyone_else_known(extract: dict[str, Path]) -> None:
    people, events = tables(extract)
    rows = {row["category"]: row for row in breakdown(people, events, SATISFIED, "group").rows}
    assert list(rows) == ["a", "b", "not_known", "prefer_not_to_say"]
    a, b = rows["a"], rows["b"]
    assert (a["n"], a["numerator"], a["value"]) == (150, 120, 0.8)
    assert a["comparator_value"] == pytest.approx(20 / 40)
    assert b["comparator_value"] == pytest.approx(120 / 150)
    assert rows["prefer_not_to_say"]["comparator_value"] == pytest.approx(140 / 190)
    p, test = stats.proportion_test(20, 40, 120, 150)
    assert (b["p_value"], b["test"]) == (pytest.approx(p, abs=1e-12), test)
    interval = stats.wilson(20, 40)
    assert (b["ci_low"], b["ci_high"]) == (
        pytest.approx(interval.low),
        pytest.approx(interval.high),
    )
    q = stats.benjamini_hochberg([r["p_value"] for r in rows.values()])
    assert [r["q_value"] for r in rows.values()] == pytest.approx(q, nan_ok=True)
    assert b["flag"] == "worse"
    assert a["flag"] == "better"
    assert rows["prefer_not_to_say"]["flag"] == "insufficient_data"


def test_other_comparison_modes(extract: dict[str, Path]) -> None:
    people, events = tables(extract)
    overall = {
        r["category"]: r
        for r in breakdown(people, events, SATISFIED, "group", compare="overall").rows
    }
    assert overall["b"]["comparator_value"] == pytest.approx(147 / 200)
    reference = {
        r["category"]: r
        for r in breakdown(people, events, SATISFIED, "group", compare="reference:a").rows
    }
    assert reference["b"]["comparator_value"] == pytest.approx(0.8)
    # The reference against itself: ratio 1, difference 0, never a finding (issue 28, item 3).
    own = reference["a"]
    assert (own["comparator_value"], own["difference"], own["ratio"]) == (0.8, 0.0, 1.0)
    assert own["flag"] == "no_difference"


def test_equal_medians_of_tied_data_are_never_a_finding() -> None:
    """Issue 28, item 1: hours worked by sex, 40 against 40, were flagged worse on both sides
    (the Adult data, heavily tied at 40); a minimum effect in the measure's units is honoured."""
    import pandas as pd

    from equal_outcomes.analysis.indicators import Indicator

    people = ibis.memtable(pd.DataFrame({"person_key": [str(i) for i in range(400)],
                                         "sex": ["female"] * 200 + ["male"] * 200}))  # fmt: skip
    hours = [40] * 150 + list(range(20, 70))  # tied at 40, spread differently in each group
    other = [40] * 150 + list(range(30, 80))
    events = ibis.memtable(pd.DataFrame({
        "person_key": [str(i) for i in range(400)], "event_type": ["week"] * 400,
        "event_date": pd.to_datetime(["2026-01-05"] * 400), "hours": hours + other,
    }))  # fmt: skip
    median = Indicator(id="hours", event_type="week", measure="median", value="hours")
    rows = {r["category"]: r for r in breakdown(people, events, median, "sex").rows}
    assert rows["female"]["difference"] == rows["male"]["difference"] == 0
    assert {r["flag"] for r in rows.values()} == {"no_difference"}
    mean = Indicator(id="hours", event_type="week", measure="mean", value="hours", min_effect=10)
    rows = {r["category"]: r for r in breakdown(people, events, mean, "sex").rows}
    assert abs(rows["female"]["difference"]) < 10
    assert {r["flag"] for r in rows.values()} == {"no_difference"}, "under its minimum effect"


def test_a_mean_is_tested_with_welch_against_scipy(extract: dict[str, Path]) -> None:
    people, events = tables(extract)
    days = Indicator(
        id="days", event_type="repair", measure="mean", value="days", higher_is_better=False
    )
    rows = {r["category"]: r for r in breakdown(people, events, days, "group").rows}
    a_days = [i % 7 for i in range(150)] + [5]  # p0001 has a second repair without an outcome
    b_days = [i % 7 + 3 for i in range(40)]
    assert rows["b"]["value"] == pytest.approx(sum(b_days) / 40)
    expected = scipy_stats.ttest_ind(b_days, a_days, equal_var=False).pvalue
    assert rows["b"]["p_value"] == pytest.approx(expected, abs=1e-6)
    assert rows["b"]["flag"] == "worse", "longer repairs are worse"


def test_coverage_counts_and_levels(extract: dict[str, Path]) -> None:
    people, _ = tables(extract)
    (row,) = coverage(people, ["group"])
    assert (row["people"], row["answered"], row["prefer_not_to_say"], row["not_asked"]) == (
        200,
        190,
        5,
        5,
    )
    assert row["response_rate"] == pytest.approx(195 / 200)
    assert row["level"] == "excellent"
    by_band = coverage(people, ["group"], by="age_band")
    assert [r["group"] for r in by_band] == ["old", "young"]
    # Nobody asked at all is not "Developing" (issue 27, item 12: pregnancy at 0 %).
    nobody = people.mutate(group=ibis.literal("not_asked"))
    assert coverage(nobody, ["group"])[0]["level"] == "not_started"


def test_analyse_in_file_mode_writes_the_json_shape_of_the_design(
    extract: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "result.json"
    call_command(
        "analyse",
        *file_mode(extract),
        "--by",
        "group",
        "--format",
        "json",
        "--out",
        str(out),
    )
    result = json.loads(out.read_text())
    assert [(t["indicator"], t["characteristic"], t["comparison"]) for t in result] == [
        ("satisfied", "group", "rest"),
        ("days", "group", "rest"),
    ]
    assert set(result[0]["rows"][0]) == {
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
    }


def test_analyse_refuses_bad_input_with_a_reason(extract: dict[str, Path]) -> None:
    with pytest.raises(CommandError, match="unknown indicator"):
        call_command("analyse", *file_mode(extract), "--indicator", "nope")
    with pytest.raises(CommandError, match="no such file"):
        call_command("analyse", *file_mode({**extract, "people": Path("/nonexistent.csv")}))


def test_publishable_output_hides_small_cells(extract: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "published.json"
    call_command(
        "analyse",
        *file_mode(extract),
        "--by",
        "group",
        "--indicator",
        "satisfied",
        "--publishable",
        "--format",
        "json",
        "--out",
        str(out),
    )
    rows = {r["category"]: r for r in json.loads(out.read_text())[0]["rows"]}
    # The five who preferred not to say and the five not known are one published row, with no
    # comparison of its own (issue 28, item 10).
    assert list(rows) == ["a", "b", "not_known"]
    assert (rows["not_known"]["n"], rows["not_known"]["numerator"]) == (10, 7)
    assert rows["not_known"]["flag"] == "[low]", "too few for a reliable rate"
    assert rows["not_known"]["comparator_value"] is None
    assert rows["a"]["n"] == 150


def test_a_few_who_prefer_not_to_say_no_longer_hide_the_comparison() -> None:
    """Issue 28, item 10: on the board's TP09 by disability the non-disabled group (95 people)
    was hidden to protect ten who preferred not to say (three satisfied)."""
    rows = [
        {"category": "yes", "n": 312, "numerator": 150, "value": 150 / 312},
        {"category": "no", "n": 95, "numerator": 70, "value": 70 / 95},
        {"category": "prefer_not_to_say", "n": 10, "numerator": 3, "value": 0.3},
    ]
    for row in rows:
        row |= {"ci_low": 0.0, "ci_high": 1.0, "comparator_value": 0.5, "difference": 0.1,
                "ratio": 1.1, "p_value": 0.01, "q_value": 0.01, "test": "z", "flag": "worse",
                "suppressed": False}  # fmt: skip
    table = ResultTable("TP09", "disability", "rest", rows, "", "rate")
    published = {r["category"]: r for r in suppress(table).rows}
    assert published["no"]["n"] == 95
    assert published["no"]["comparator_value"] == 0.5
    assert published["not_known"]["n"] == 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=8))
def test_no_published_cell_is_small_and_no_lone_cell_is_hidden(
    cells: list[tuple[int, int]],
) -> None:
    rows = [
        {
            "category": f"c{i}",
            "n": a + b,
            "numerator": a,
            "value": a / (a + b) if a + b else 0.0,
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
        for i, (a, b) in enumerate(cells)
    ]
    published = suppress(ResultTable("x", "y", "rest", rows)).rows
    hidden = [r for r in published if r["suppressed"]]
    for row in published:
        if not row["suppressed"]:
            assert row["n"] >= THRESHOLD
            assert row["numerator"] >= THRESHOLD
            assert row["n"] - row["numerator"] >= THRESHOLD
    assert len(hidden) != 1 or len(published) == 1, "a lone hidden cell could be recovered"
    if hidden:
        # Each comparator is worked out from the published rows alone: a hidden row's figures
        # cannot be read back from it (issue 27, item 11: the board sees the size of a gap).
        shown = [r for r in published if not r["suppressed"] and isinstance(r["value"], float)]
        for row in published:
            if isinstance(row["comparator_value"], str):
                continue
            others = [r for r in shown if r is not row]
            pooled = sum(r["numerator"] for r in others) / sum(r["n"] for r in others)
            assert row["comparator_value"] == pytest.approx(pooled)
            assert row["difference"] == pytest.approx(row["value"] - pooled)


def test_the_engine_imports_no_django() -> None:
    code = (
        "import sys, equal_outcomes.analysis, equal_outcomes.analysis.files, "
        "equal_outcomes.analysis.disclosure\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_default_indicators_load_and_cover_the_tenant_satisfaction_measures() -> None:
    from equal_outcomes.analysis.indicators import default_indicators

    ids = {indicator.id for indicator in default_indicators()}
    assert {f"TP{n:02d}" for n in range(1, 13)} <= ids
    assert {"CH02", "RP02", "gas_no_access", "tenancy_failed_first_year"} <= ids


def test_representation_against_a_census_benchmark(tmp_path: Path) -> None:
    from scipy.stats import binomtest

    from equal_outcomes.analysis.engine import representation

    people_file = tmp_path / "people.csv"
    people_file.write_text(
        "key,ethnicity\n"
        + "".join(f"p{i},{'white_british' if i < 180 else 'asian_indian'}\n" for i in range(200))
        + "q1,prefer_not_to_say\n"
    )
    people = read_people(connect(), people_file)
    census = {"white_british": 8000, "asian_indian": 1500, "black_african": 500}
    rows = {row["category"]: row for row in representation(people, "ethnicity", census)}
    indian = rows["asian_indian"]
    assert indian["share"] == pytest.approx(20 / 200)
    assert indian["benchmark_share"] == pytest.approx(0.15)
    assert indian["ratio"] == pytest.approx(0.1 / 0.15)
    assert indian["p_value"] == pytest.approx(binomtest(20, 200, 0.15).pvalue, abs=1e-9)
    assert rows["black_african"]["customers"] == 0
    assert rows["black_african"]["flag"] == "under_represented"
    assert "prefer_not_to_say" not in rows


def test_a_two_way_breakdown_combines_the_categories(extract: dict[str, Path]) -> None:
    people, events = tables(extract)
    (table,) = breakdowns(people, events, SATISFIED, ["group*age_band"])
    rows = {row["category"]: row for row in table.rows}
    assert table.characteristic == "group*age_band"
    assert {"a & old", "a & young", "b & old", "b & young", "not_known"} <= set(rows)
    assert rows["b & old"]["n"] + rows["b & young"]["n"] == 40
    assert rows["not_known"]["n"] == 5, "not known in either characteristic"
