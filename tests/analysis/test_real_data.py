"""File mode on a real public data set: the UCI Adult census extract (tests/data/adult), as a
landlord's analyst would run it, checked against an independent computation with pandas, scipy
and statsmodels (issue 28, acceptance and items 2 and 4)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from scipy import stats as scipy_stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

ADULT = Path(__file__).resolve().parents[1] / "data" / "adult"
BY = ["sex", "race", "sex*race", "workclass"]
INDICATORS = (
    "indicators:\n"
    "  - {id: income, event_type: census_1994, measure: rate, value: income_over_50k}\n"
    "  - {id: hours, event_type: census_1994, measure: mean, value: hours_per_week}\n"
    "  - {id: hours_median, event_type: census_1994, measure: median, value: hours_per_week}\n"
)


def analyse(tmp_path: Path, people: Path, events: Path, *extra: str) -> dict[tuple[str, str], Any]:
    indicators = tmp_path / "indicators.yaml"
    indicators.write_text(INDICATORS)
    out = tmp_path / "result.json"
    by = [arg for name in BY for arg in ("--by", name)]
    call_command(
        "analyse",
        "--people", str(people), "--events", str(events), "--indicators", str(indicators),
        *by, *extra, "--format", "json", "--out", str(out),
    )  # fmt: skip
    return {(t["indicator"], t["characteristic"]): t for t in json.loads(out.read_text())}


def adult() -> pd.DataFrame:
    people = pd.read_csv(ADULT / "people.csv.gz", dtype=str)
    events = pd.read_csv(ADULT / "events.csv.gz", dtype={"person_key": str})
    data = people.merge(events, on="person_key")
    data["workclass"] = data["workclass"].replace("?", "not_known")
    data["sex*race"] = data["sex"] + " & " + data["race"]
    return data


def expected_rates(data: pd.DataFrame, by: str) -> dict[str, dict[str, float]]:
    """Each group against every other known group: Wilson interval, pooled z test (Fisher's
    exact test where an expected cell is under 5), Benjamini-Hochberg over the table."""
    rows: dict[str, dict[str, float]] = {}
    known = data[data[by] != "not_known"]
    for category, group in data.groupby(by):
        rest = known[known[by] != category]
        k, n = int(group.income_over_50k.sum()), len(group)
        k2, n2 = int(rest.income_over_50k.sum()), len(rest)
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        table = np.array([[k, n - k], [k2, n2 - k2]])
        expected = table.sum(axis=1)[:, None] * table.sum(axis=0)[None, :] / table.sum()
        if (expected < 5).any():
            p = scipy_stats.fisher_exact(table).pvalue
        else:
            p = proportions_ztest([k, k2], [n, n2])[1]
        rows[str(category)] = {"n": n, "value": k / n, "ci_low": low, "ci_high": high,
                               "comparator_value": k2 / n2, "p_value": p}  # fmt: skip
    _add_q(rows)
    return rows


def expected_hours(data: pd.DataFrame, by: str, measure: str) -> dict[str, dict[str, float]]:
    """Means by Welch's t test, medians by the Mann-Whitney U test, against the rest known."""
    rows: dict[str, dict[str, float]] = {}
    known = data[data[by] != "not_known"]
    for category, group in data.groupby(by):
        mine = group.hours_per_week.to_numpy(dtype=float)
        theirs = known[known[by] != category].hours_per_week.to_numpy(dtype=float)
        if measure == "mean":
            value, comparator = mine.mean(), theirs.mean()
            p = (
                scipy_stats.ttest_ind(mine, theirs, equal_var=False).pvalue
                if len(mine) > 1
                else math.nan
            )
        else:
            value, comparator = float(np.median(mine)), float(np.median(theirs))
            p = scipy_stats.mannwhitneyu(mine, theirs, alternative="two-sided").pvalue
        rows[str(category)] = {"n": len(mine), "value": value, "comparator_value": comparator,
                               "p_value": float(p)}  # fmt: skip
    _add_q(rows)
    return rows


def _add_q(rows: dict[str, dict[str, float]]) -> None:
    tested = [c for c, r in rows.items() if not math.isnan(r["p_value"])]
    q = multipletests([rows[c]["p_value"] for c in tested], method="fdr_bh")[1]
    for category, value in zip(tested, q, strict=True):
        rows[category]["q_value"] = float(value)


def assert_agree(table: dict[str, Any], expected: dict[str, dict[str, float]]) -> None:
    got = {row["category"]: row for row in table["rows"]}
    assert set(got) == set(expected)
    for category, want in expected.items():
        for field, value in want.items():
            assert got[category][field] == pytest.approx(value, abs=1e-9, nan_ok=True), (
                category,
                field,
            )


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same extract as Parquet, keys as whole numbers in both files (as warehouses write)."""
    folder = tmp_path_factory.mktemp("parquet")
    files = {}
    for name in ("people", "events"):
        files[name] = folder / f"{name}.parquet"
        source = ADULT / f"{name}.csv.gz"
        duckdb.read_csv(str(source)).write_parquet(str(files[name]))
    assert duckdb.read_parquet(str(files["people"])).types[0] == "BIGINT"
    return files


def test_adult_by_sex_race_and_their_crossing_agrees_with_scipy_and_statsmodels(
    tmp_path: Path,
) -> None:
    results = analyse(tmp_path, ADULT / "people.csv.gz", ADULT / "events.csv.gz")
    data = adult()
    for by in BY:
        assert_agree(results[("income", by)], expected_rates(data, by))
        assert_agree(results[("hours", by)], expected_hours(data, by, "mean"))
        assert_agree(results[("hours_median", by)], expected_hours(data, by, "median"))
    flagged_zero = [
        (key, row["category"])
        for key, table in results.items()
        for row in table["rows"]
        if row["difference"] == 0 and row["flag"] in {"worse", "better"}
    ]
    assert flagged_zero == []
    men = {r["category"]: r for r in results[("hours_median", "sex")]["rows"]}["Male"]
    assert (men["value"], men["comparator_value"], men["flag"]) == (40, 40, "no_difference")


def test_question_marks_and_other_markers_are_not_known(tmp_path: Path) -> None:
    results = analyse(tmp_path, ADULT / "people.csv.gz", ADULT / "events.csv.gz")
    categories = [row["category"] for row in results[("income", "workclass")]["rows"]]
    assert "?" not in categories
    not_known = {r["category"]: r for r in results[("income", "workclass")]["rows"]}["not_known"]
    assert not_known["n"] == 1836
    # A marker of the landlord's own, named on the command line.
    again = analyse(tmp_path, ADULT / "people.csv.gz", ADULT / "events.csv.gz",
                    "--not-known", "never-worked")  # fmt: skip
    rows = {r["category"]: r for r in again[("income", "workclass")]["rows"]}
    assert "Never-worked" not in rows
    assert rows["not_known"]["n"] == 1836 + 7


def test_parquet_with_whole_number_keys_gives_the_csv_results(
    tmp_path: Path, parquet: dict[str, Path]
) -> None:
    from_csv = analyse(tmp_path, ADULT / "people.csv.gz", ADULT / "events.csv.gz")
    mixed = analyse(tmp_path, parquet["people"], ADULT / "events.csv.gz")
    both = analyse(tmp_path, parquet["people"], parquet["events"])
    assert mixed == from_csv
    assert both == from_csv


def test_keys_with_leading_zeros_join_whatever_the_events_file_makes_of_them(
    tmp_path: Path,
) -> None:
    """A CSV of events whose keys look like numbers (00017) still meets the people file, and a
    people file whose first column is a float key (17.0) meets an integer one (17)."""
    people = tmp_path / "people.csv"
    people.write_text("tenant_ref,sex\n" + "".join(
        f"{i:05d},{'Female' if i % 2 else 'Male'}\n" for i in range(1, 41)))  # fmt: skip
    events = tmp_path / "events.csv"
    events.write_text("person_key,event_type,income_over_50k,hours_per_week\n" + "".join(
        f"{i:05d},census_1994,{i % 3 == 0:d},{30 + i % 5}\n" for i in range(1, 41)))  # fmt: skip
    results = analyse_by_sex(tmp_path, people, events)
    assert sum(row["n"] for row in results["rows"]) == 40
    floats = tmp_path / "people.parquet"
    duckdb.read_csv(str(people)).project(
        "CAST(tenant_ref AS DOUBLE) AS person_key, sex"
    ).write_parquet(str(floats))
    whole = tmp_path / "events.parquet"
    duckdb.read_csv(str(events), all_varchar=True).project(
        "* REPLACE (CAST(person_key AS BIGINT) AS person_key)"
    ).write_parquet(str(whole))
    assert sum(row["n"] for row in analyse_by_sex(tmp_path, floats, whole)["rows"]) == 40


def analyse_by_sex(tmp_path: Path, people: Path, events: Path) -> dict[str, Any]:
    indicators = tmp_path / "indicators.yaml"
    indicators.write_text(INDICATORS)
    out = tmp_path / "sex.json"
    call_command(
        "analyse", "--people", str(people), "--events", str(events),
        "--indicators", str(indicators), "--indicator", "income", "--by", "sex",
        "--format", "json", "--out", str(out),
    )  # fmt: skip
    (table,) = json.loads(out.read_text())
    return table


def test_each_answer_of_a_many_answer_question_is_its_own_group(tmp_path: Path) -> None:
    """Issue 28, item 11: impairment types were analysed as combined strings
    (``mental_health|stamina``). Each is its own group, a person may be in several, and each is
    compared with everyone known who did not give it."""
    people = ["person_key,impairment_type"]
    events = ["person_key,event_type,income_over_50k,hours_per_week"]
    plan = [("mental_health", 30, 6), ("stamina", 20, 10), ("mental_health|stamina", 10, 1),
            ("mobility", 40, 20), ("", 15, 5), ("prefer_not_to_say", 5, 1)]  # fmt: skip
    number = 0
    for value, size, yes in plan:
        for i in range(size):
            number += 1
            people.append(f"{number},{value}")
            events.append(f"{number},census_1994,{int(i < yes)},{30 + i % 7}")
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n")
    (tmp_path / "events.csv").write_text("\n".join(events) + "\n")
    indicators = tmp_path / "indicators.yaml"
    indicators.write_text(INDICATORS)
    out = tmp_path / "impairments.json"
    call_command("analyse", "--people", str(tmp_path / "people.csv"),
                 "--events", str(tmp_path / "events.csv"), "--indicators", str(indicators),
                 "--indicator", "income", "--by", "impairment_type", "--format", "json",
                 "--out", str(out))  # fmt: skip
    (table,) = json.loads(out.read_text())
    rows = {row["category"]: row for row in table["rows"]}
    assert set(rows) == {"mental_health", "stamina", "mobility", "not_known", "prefer_not_to_say"}
    mental = rows["mental_health"]
    assert (mental["n"], mental["numerator"]) == (40, 7), "30 alone and 10 with stamina"
    # Against everyone known without it: stamina alone and mobility (60 people, 30 yes).
    assert mental["comparator_value"] == pytest.approx(30 / 60)
    assert mental["p_value"] == pytest.approx(proportions_ztest([7, 30], [40, 60])[1], abs=1e-9)
    assert rows["stamina"]["n"] == 30
    assert rows["not_known"]["comparator_value"] == pytest.approx(37 / 100)
    q = multipletests([r["p_value"] for r in table["rows"] if r["p_value"] is not None],
                      method="fdr_bh")[1]  # fmt: skip
    assert [r["q_value"] for r in table["rows"] if r["p_value"] is not None] == pytest.approx(q)
