"""Pay gaps checked against a hand-computed example, and the recruitment funnel's conversions."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from equal_outcomes.analysis.disclosure import SUPPRESSED, suppress
from equal_outcomes.analysis.workforce import funnel, pay_gaps

# Ten staff. By hand: men 12, 14, 16, 18 (mean 15, median 15); women 10, 11, 12, 13, 20
# (mean 13.2, median 12); one unknown at 30 is left out of both sides.
# Mean gap (15 - 13.2) / 15 = 0.12; median gap (15 - 12) / 15 = 0.20.
STAFF = pa.table(
    {
        "sex": [
            "male",
            "male",
            "male",
            "male",
            "female",
            "female",
            "female",
            "female",
            "female",
            "",
        ],
        "hourly_pay": [12.0, 14.0, 16.0, 18.0, 10.0, 11.0, 12.0, 13.0, 20.0, 30.0],
        "grade": ["A", "A", "B", "B", "A", "A", "A", "B", "B", "B"],
    }
)


def test_the_pay_gap_matches_the_hand_computed_example() -> None:
    staff = ibis.memtable(STAFF)
    rows = {row["category"]: row for row in pay_gaps(staff, "sex", reference="male")}
    assert set(rows) == {"male", "female"}
    assert rows["male"]["mean_gap"] == 0.0
    assert rows["female"]["n"] == 5
    assert rows["female"]["mean_pay"] == pytest.approx(13.2)
    assert rows["female"]["median_pay"] == pytest.approx(12.0)
    assert rows["female"]["mean_gap"] == pytest.approx(0.12)
    assert rows["female"]["median_gap"] == pytest.approx(0.20)


def test_pay_gaps_within_grades() -> None:
    # Grade A: men 12, 14 (mean 13, median 13); women 10, 11, 12 (mean 11, median 11):
    # gaps 2/13. Grade B: men 16, 18 (17); women 13, 20 (16.5): gaps 0.5/17.
    rows = pay_gaps(ibis.memtable(STAFF), "sex", reference="male", grade="grade")
    women = {row["grade"]: row for row in rows if row["category"] == "female"}
    assert women["A"]["mean_gap"] == pytest.approx(2 / 13)
    assert women["A"]["median_gap"] == pytest.approx(2 / 13)
    assert women["B"]["mean_gap"] == pytest.approx(0.5 / 17)


def test_without_a_reference_the_largest_known_group_is_compared_with() -> None:
    rows = pay_gaps(ibis.memtable(STAFF), "sex")
    assert {row["reference"] for row in rows} == {"female"}


def applicants() -> pa.Table:
    """200 applicants: 100 disabled, 100 not. Shortlisted 30 of 100 disabled against 60 of
    100 not; interviewed 20 of 30 against 40 of 60; appointed 5 of 20 against 10 of 40."""
    rows = []
    for disabled, shortlisted, interviewed, appointed in (("yes", 30, 20, 5), ("no", 60, 40, 10)):
        for i in range(100):
            rows.append(
                (disabled, 1, int(i < shortlisted), int(i < interviewed), int(i < appointed))
            )
    return pa.table({name: [r[k] for r in rows] for k, name in
                     enumerate(["disability", "applied", "shortlisted", "interviewed", "appointed"])})  # fmt: skip


def test_the_funnel_finds_where_a_group_falls_away() -> None:
    stages = funnel(ibis.memtable(applicants()), "disability")
    assert [t.indicator for t in stages] == [
        "shortlisted_of_applied", "interviewed_of_shortlisted", "appointed_of_interviewed",
    ]  # fmt: skip
    shortlisting = {row["category"]: row for row in stages[0].rows}
    assert (shortlisting["yes"]["n"], shortlisting["yes"]["numerator"]) == (100, 30)
    assert shortlisting["yes"]["value"] == pytest.approx(0.30)
    assert shortlisting["yes"]["comparator_value"] == pytest.approx(0.60)
    assert shortlisting["yes"]["flag"] == "worse"
    later = {row["category"]: row for row in stages[1].rows}
    assert later["yes"]["value"] == pytest.approx(20 / 30)
    assert later["yes"]["flag"] != "worse"  # same conversion once shortlisted


def test_small_teams_are_suppressed_when_published() -> None:
    rows = [("yes", 1, 1, 1, 0)] * 4 + [("no", 1, 1, 0, 0)] * 40
    table = pa.table({name: [r[k] for r in rows] for k, name in
                      enumerate(["disability", "applied", "shortlisted", "interviewed", "appointed"])})  # fmt: skip
    published = suppress(funnel(ibis.memtable(table), "disability")[0])
    small = next(row for row in published.rows if row["category"] == "yes")
    assert small["n"] == SUPPRESSED
    assert small["value"] == SUPPRESSED
