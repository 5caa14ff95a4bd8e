"""The same engine code on PySpark (local mode) gives the same results as on DuckDB."""

from __future__ import annotations

import datetime as dt
import math
import random
from functools import partial
from typing import Any

import ibis
import pyarrow as pa
import pytest

from equal_outcomes.analysis import Indicator, breakdowns, coverage
from equal_outcomes.analysis.engine import analyse_all, with_communication_match

INDICATORS = [
    Indicator(id="on_time", event_type="repair", measure="rate", value="on_time"),
    Indicator(id="days", event_type="repair", measure="mean", value="days", higher_is_better=False),
    Indicator(id="days_median", event_type="repair", measure="median", value="days"),
    Indicator(id="satisfied", event_type="survey", measure="rate", value="satisfied"),
    Indicator(id="repairs", event_type="repair", measure="per_1000_homes"),
    # Two indicators over the same event type, one with a filter: two branches of one query.
    Indicator(
        id="on_time_satisfied",
        event_type="repair",
        measure="rate",
        value="on_time",
        filter={"satisfied": "1"},
    ),
    # Worked out per event type by the Prepare step, from the people's preferences.
    Indicator(id="letters", event_type="outgoing", measure="rate", value="matches_preference"),
]


def generated() -> tuple[pa.Table, pa.Table]:
    rng = random.Random(5)
    groups = ["a", "b", "c", "prefer_not_to_say", ""]
    people = pa.table(
        {
            "person_key": [f"p{i:04d}" for i in range(600)],
            "ethnicity": [rng.choice(groups) for _ in range(600)],
            "disability": [rng.choice(["yes", "no", "no", ""]) for _ in range(600)],
            "preferred_format": [
                rng.choice(["large_print", "", " Standard_Print"]) for _ in range(600)
            ],
        }
    )
    rows = []
    for _ in range(4000):
        person = rng.randrange(600)
        kind = rng.choice(["repair", "repair", "survey", "outgoing"])
        rows.append(
            (
                f"p{person:04d}",
                kind,
                rng.choice(["1", "1", "0", ""]),
                str(rng.randint(1, 30)),
                rng.choice(["1", "0"]),
                dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                rng.choice(["standard_print", "large_print", "", None])
                if kind == "outgoing"
                else None,
            )
        )
    events = pa.table(
        {
            "person_key": [r[0] for r in rows],
            "event_type": [r[1] for r in rows],
            "on_time": [r[2] for r in rows],
            "days": [r[3] for r in rows],
            "satisfied": [r[4] for r in rows],
            "event_date": pa.array([r[5] for r in rows], pa.date32()),
            "format": pa.array([r[6] for r in rows], pa.string()),
        }
    )
    return people, events


def same(first: Any, second: Any) -> bool:
    if isinstance(first, float) or isinstance(second, float):
        if first is None or second is None:
            return first is second
        return (math.isnan(first) and math.isnan(second)) or first == pytest.approx(
            second, rel=1e-9, abs=1e-12
        )
    return bool(first == second)


def test_breakdowns_and_coverage_are_identical_on_spark_and_duckdb(spark: Any) -> None:
    people, events = generated()
    spark.createDataFrame(people.to_pandas()).createOrReplaceTempView("people")
    spark.createDataFrame(events.to_pandas()).createOrReplaceTempView("events")
    on_spark = ibis.pyspark.connect(spark)
    spark_people, spark_events = on_spark.table("people"), on_spark.table("events")
    duck_people, duck_events = ibis.memtable(people), ibis.memtable(events)

    by = ["ethnicity", "disability", "ethnicity*disability"]
    runs = [(indicator, None) for indicator in INDICATORS] + [(INDICATORS[0], "quarter")]
    on_duck = partial(with_communication_match, duck_people)
    on_spark_ = partial(with_communication_match, spark_people)
    for indicator, period in runs:
        expected = breakdowns(
            duck_people, duck_events, indicator, by, period=period, prepare=on_duck
        )
        actual = breakdowns(
            spark_people, spark_events, indicator, by, period=period, prepare=on_spark_
        )
        assert [t.period for t in actual] == [t.period for t in expected]
        for want, got in zip(expected, actual, strict=True):
            assert [row["category"] for row in got.rows] == [row["category"] for row in want.rows]
            for want_row, got_row in zip(want.rows, got.rows, strict=True):
                for name, value in want_row.items():
                    assert same(got_row[name], value), (indicator.id, want.characteristic, name)
    assert coverage(spark_people, by[:2]) == coverage(duck_people, by[:2])
    # The one pass over the events for every indicator, as analyse runs it.
    together = analyse_all(duck_people, duck_events, INDICATORS, by, prepare=on_duck)
    on_spark_together = analyse_all(spark_people, spark_events, INDICATORS, by, prepare=on_spark_)
    assert len(together) == len(INDICATORS) * len(by)
    for want, got in zip(together, on_spark_together, strict=True):
        for want_row, got_row in zip(want.rows, got.rows, strict=True):
            for name, value in want_row.items():
                assert same(got_row[name], value), (want.indicator, want.characteristic, name)
