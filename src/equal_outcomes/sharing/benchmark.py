"""The benchmarking extract: this landlord's publishable breakdowns in the pooled schema
(``analysis.pooled.EXTRACT_SCHEMA``), as CSV and Parquet, ready to pool with other landlords'.
Only disclosure-controlled aggregates go in: no person, no count under the threshold."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from equal_outcomes.analysis import pooled
from equal_outcomes.analysis.indicators import default_indicators
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.insight import results

ARROW_TYPES = {
    "string": pa.string(),
    "boolean": pa.bool_(),
    "int64": pa.int64(),
    "float64": pa.float64(),
}


def extract_rows(landlord: str) -> list[dict[str, Any]]:
    outcomes = results.equal_outcomes(results.Filters(), publishable=True)
    return pooled.extract_rows(
        outcomes["tables"],
        {i.id: i for i in default_indicators()},
        landlord=landlord,
        data_as_at=str(outcomes.get("data_as_at", "")),
    )


def write_extract(*, actor: Any, folder: Path, landlord: str) -> list[Path]:
    """Writes ``<landlord>.csv`` and ``<landlord>.parquet`` into ``folder``."""
    rows = extract_rows(landlord)
    table = pa.Table.from_pylist(rows, schema=pooled.arrow_schema())
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "-", landlord.lower()).strip("-") or "landlord"
    written = [folder / f"{stem}.csv", folder / f"{stem}.parquet"]
    pa_csv.write_csv(table, written[0])
    pq.write_table(table, written[1])
    Auditor.record(
        actor=actor, action=AuditAction.EXPORT, target_type="analytics", target_id="benchmark",
        purpose=f"{len(rows)} published rows for {landlord}"[:200],
    )  # fmt: skip
    return written
