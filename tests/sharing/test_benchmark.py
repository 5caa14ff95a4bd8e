"""The benchmarking extract of a demo landlord, and pooling it from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from equal_outcomes.analysis.pooled import EXTRACT_SCHEMA
from tests.insight.conftest import empty_stores

pytestmark = pytest.mark.django_db
__all__ = ["empty_stores"]


def test_the_extract_is_publishable_and_pools(tmp_path: Path, capsys: Any) -> None:
    with pytest.raises(CommandError, match="no snapshot"):
        call_command("export", "benchmark", "--out", str(tmp_path), "--landlord", "Cartref")
    call_command("demo", "--no-warm", customers=1500, seed=8)
    call_command("snapshot")
    call_command("export", "benchmark", "--out", str(tmp_path), "--landlord", "Cartref Homes")
    parquet = pq.read_table(tmp_path / "cartref-homes.parquet").to_pylist()
    with (tmp_path / "cartref-homes.csv").open() as handle:
        from_csv = list(csv.DictReader(handle))
    assert len(from_csv) == len(parquet) > 100
    assert list(from_csv[0]) == list(EXTRACT_SCHEMA)
    assert {row["landlord"] for row in parquet} == {"Cartref Homes"}
    assert all(row["suppressed"] or row["n"] >= 10 for row in parquet)
    assert "person_key" not in from_csv[0]
    capsys.readouterr()
    call_command("pool", str(tmp_path), "--format", "json")
    tables = json.loads(capsys.readouterr().out)
    tp09 = next(
        t for t in tables if (t["indicator"], t["characteristic"]) == ("TP09", "disability")
    )
    assert tp09["pool"] == 1
    published = {
        row["category"]: row["n"]
        for row in parquet
        if (row["indicator"], row["characteristic"]) == ("TP09", "disability")
        and not row["suppressed"]
    }
    assert {row["category"]: row["n"] for row in tp09["rows"]} == published
