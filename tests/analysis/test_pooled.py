"""Pooling three generated landlords' benchmarking extracts: on PySpark as on DuckDB, the sums
of what each published and nothing else, and a sector-wide gap found that no one landlord's
small groups could show."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equal_outcomes.analysis import Indicator
from equal_outcomes.analysis.disclosure import suppress_linked
from equal_outcomes.analysis.engine import analyse_all
from equal_outcomes.analysis.pooled import (
    EXTRACT_SCHEMA,
    arrow_schema,
    extract_rows,
    pooled,
    read_extracts,
)

INDICATORS = [
    Indicator(
        id="satisfied", event_type="survey", measure="rate", value="satisfied", title="Satisfied"
    ),
    Indicator(id="days", event_type="repair", measure="mean", value="days", higher_is_better=False),
]


def landlord(seed: int, people_count: int) -> list[dict[str, Any]]:
    """A landlord's publishable tables: disabled tenants are less satisfied everywhere (55 %
    against 70 %), and ethnic groups are small, so many cells are suppressed."""
    rng = random.Random(seed)
    keys = [f"p{seed}-{i}" for i in range(people_count)]
    disability = [rng.choice(["yes", "no", "no", "no", ""]) for _ in keys]
    ethnicity = [
        rng.choice(["white_british"] * 12 + ["asian_indian", "black_african", "white_roma"])
        for _ in keys
    ]
    people = pa.table({"person_key": keys, "disability": disability, "ethnicity": ethnicity})
    rows = []
    for key, disabled in zip(keys, disability, strict=True):
        chance = 0.55 if disabled == "yes" else 0.70
        rows.append((key, "survey", "1" if rng.random() < chance else "0", ""))
        rows.append((key, "repair", "", str(rng.randint(1, 20))))
    events = pa.table({
        "person_key": [r[0] for r in rows], "event_type": [r[1] for r in rows],
        "satisfied": [r[2] for r in rows], "days": [r[3] for r in rows],
    })  # fmt: skip
    con = ibis.duckdb.connect()
    tables = analyse_all(con.create_table("people", people), con.create_table("events", events),
                         INDICATORS, ["disability", "ethnicity"])  # fmt: skip
    return [{**t.as_json(), "measure": t.measure} for t in suppress_linked(tables)]


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pool")
    indicators = {i.id: i for i in INDICATORS}
    for seed, size in ((1, 260), (2, 400), (3, 180)):
        rows = extract_rows(landlord(seed, size), indicators, landlord=f"Landlord {seed}",
                            data_as_at="2026-11-21")  # fmt: skip
        pq.write_table(
            pa.Table.from_pylist(rows, schema=arrow_schema()), folder / f"landlord-{seed}.parquet"
        )
    return folder


def test_extracts_hold_only_published_aggregates(extracts: Path) -> None:
    for path in extracts.glob("*.parquet"):
        table = pq.read_table(path)
        assert table.column_names == list(EXTRACT_SCHEMA)
        rows = table.to_pylist()
        assert any(row["suppressed"] for row in rows)  # small groups were withheld ...
        for row in rows:
            if row["suppressed"]:
                assert (row["n"], row["numerator"], row["value"]) == (None, None, None)
            else:
                assert row["n"] >= 10  # ... and nothing under the threshold is published


def by_cell(tables: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {
        (t["indicator"], t["characteristic"], r["category"]): r for t in tables for r in t["rows"]
    }


def test_the_pool_is_the_sum_of_what_was_published(extracts: Path) -> None:
    tables = pooled(read_extracts(ibis.duckdb.connect(), str(extracts)))
    assert {t["indicator"] for t in tables} == {"satisfied"}  # means cannot be pooled
    expected: dict[tuple[str, str, str], list[float]] = {}
    for path in extracts.glob("*.parquet"):
        for row in pq.read_table(path).to_pylist():
            if row["measure"] == "rate" and not row["suppressed"]:
                cell = expected.setdefault(
                    (row["indicator"], row["characteristic"], row["category"]), [0, 0]
                )
                cell[0] += row["n"]
                cell[1] += row["numerator"]
    found = by_cell(tables)
    assert set(found) == set(expected)
    for cell, (n, k) in expected.items():
        assert found[cell]["n"] == n
        assert found[cell]["value"] == pytest.approx(k / n)
    assert all(t["pool"] == 3 for t in tables)


def test_the_sector_shows_the_gap(extracts: Path) -> None:
    tables = pooled(read_extracts(ibis.duckdb.connect(), str(extracts)))
    disabled = by_cell(tables)[("satisfied", "disability", "yes")]
    assert disabled["flag"] == "worse"
    assert disabled["difference"] == pytest.approx(-0.15, abs=0.07)


def test_pyspark_pools_exactly_as_duckdb(extracts: Path, spark: Any) -> None:
    on_duckdb = by_cell(pooled(read_extracts(ibis.duckdb.connect(), str(extracts))))
    on_spark = by_cell(pooled(read_extracts(ibis.pyspark.connect(spark), str(extracts))))
    assert set(on_spark) == set(on_duckdb)
    for cell, row in on_duckdb.items():
        for name in ("n", "numerator", "value", "q_value", "flag"):
            other = on_spark[cell][name]
            assert (
                other == pytest.approx(row[name], nan_ok=True)
                if isinstance(row[name], float)
                else other == row[name]
            )


def test_pool_writes_json_every_reader_accepts(extracts: Path) -> None:
    """Issue 28, item 5: `pool --format json` wrote bare NaN, which is not JSON."""
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("pool", str(extracts), "--format", "json", stdout=out)
    text = out.getvalue()
    assert "NaN" not in text

    def strict(constant: str) -> None:
        raise ValueError(constant)

    assert json.loads(text, parse_constant=strict)
    # The one writer both `pool` and `analyse` use: a median's missing interval, a group with no
    # comparator, are null.
    from equal_outcomes.analysis.engine import json_text

    row = {"ci_low": float("nan"), "ratio": float("inf"), "n": 12}
    assert json.loads(json_text([{"rows": [row]}]), parse_constant=strict) == [
        {"rows": [{"ci_low": None, "ratio": None, "n": 12}]}
    ]


def test_a_folder_of_other_files_is_refused(tmp_path: Path) -> None:
    pq.write_table(pa.table({"person_key": ["p1"]}), tmp_path / "people.parquet")
    with pytest.raises(ValueError, match="not benchmarking extracts"):
        read_extracts(ibis.duckdb.connect(), str(tmp_path))
