"""Sector-wide comparisons from landlords' benchmarking extracts: aggregates only, never a
person-level row.

Each landlord exports the publishable (disclosure-controlled) breakdowns of its indicators as a
benchmarking extract (``EXTRACT_SCHEMA``, CSV and Parquet). Pooling sums the counts of every
group that was published (suppressed cells are left out; groups marked ``[low]`` keep their
counts and add up across landlords) and runs the engine's statistics on the sums: each group
against everyone else in the sector whose answer is known, with Wilson intervals, the
two-proportion or exact test, and Benjamini-Hochberg q-values. Rates pool exactly; means and
medians cannot be pooled from published figures and are left out. The code is Ibis, so a
folder of extracts is read by DuckDB or, for a large pool, by PySpark.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from equal_outcomes.analysis.disclosure import LOW, SUPPRESSED, THRESHOLD
from equal_outcomes.analysis.engine import NOT_KNOWN, ResultTable, _table
from equal_outcomes.analysis.indicators import Indicator

SCHEMA_VERSION = "1"
# Column: (type, meaning). The schema is documented in docs/benchmarking.md.
EXTRACT_SCHEMA: dict[str, tuple[str, str]] = {
    "schema_version": ("string", "the version of this schema"),
    "landlord": ("string", "the landlord's name, as it chooses to be known in the pool"),
    "data_as_at": ("string", "when the landlord's snapshot was taken (ISO 8601)"),
    "indicator": ("string", "indicator id, e.g. TP01 (see analysis/data/indicators.yaml)"),
    "title": ("string", "the indicator's title"),
    "measure": ("string", "rate, mean, median or per_1000_homes"),
    "higher_is_better": ("boolean", "whether a higher value is the better outcome"),
    "characteristic": ("string", "the characteristic broken down by, e.g. disability"),
    "category": ("string", "the group's code, e.g. yes"),
    "n": ("int64", "events (or people) in the group; empty when suppressed"),
    "numerator": ("float64", "events with the outcome (rates), or the sum (means)"),
    "value": ("float64", "the group's value; empty when suppressed or of low reliability"),
    "suppressed": ("boolean", "the group was withheld by disclosure control"),
    "low_reliability": ("boolean", "fewer than 30 in the group: published counts, no value"),
}


def arrow_schema() -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "boolean": pa.bool_(), "int64": pa.int64(),
             "float64": pa.float64()}  # fmt: skip
    return pa.schema([(name, types[kind]) for name, (kind, _) in EXTRACT_SCHEMA.items()])


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


def extract_rows(
    tables: list[dict[str, Any]],
    indicators: dict[str, Indicator],
    *,
    landlord: str,
    data_as_at: str,
) -> list[dict[str, Any]]:
    """Publishable result tables (with disclosure control applied, as the analyse command's
    JSON) as extract rows. A table for a period (a trend) is left out."""
    rows = []
    for table in tables:
        indicator = indicators.get(table["indicator"])
        if indicator is None or table.get("period"):
            continue
        for row in table["rows"]:
            n = _number(row.get("n"))
            if row["category"] == NOT_KNOWN and (n is None or n < THRESHOLD):
                # Published at home as one row of any size; another landlord needs no small
                # count of people not known, and pooling has no use for it.
                row = dict(row, n=SUPPRESSED, numerator=None, value=None, flag=SUPPRESSED)
                n = None
            rows.append(
                {
                    "schema_version": SCHEMA_VERSION,
                    "landlord": landlord,
                    "data_as_at": data_as_at,
                    "indicator": indicator.id,
                    "title": indicator.title or indicator.id,
                    "measure": indicator.measure,
                    "higher_is_better": indicator.higher_is_better,
                    "characteristic": table["characteristic"],
                    "category": row["category"],
                    "n": int(n) if n is not None else None,
                    "numerator": _number(row.get("numerator")),
                    "value": _number(row.get("value")),
                    "suppressed": SUPPRESSED in (row.get("n"), row.get("flag")),
                    "low_reliability": row.get("flag") == LOW,
                }
            )
    return rows


def _rates(extracts: ir.Table) -> ir.Table:
    usable = extracts.filter(
        (extracts.measure == "rate")
        & ~extracts.suppressed
        & extracts.n.notnull()
        & extracts.numerator.notnull()
    )
    return usable.group_by(
        ["indicator", "title", "higher_is_better", "characteristic", "category"]
    ).aggregate(
        n=usable.n.sum(),
        k=usable.numerator.sum(),
        landlords=usable.landlord.nunique(),
    )


def pooled(extracts: ir.Table, *, min_effect: float = 0.05) -> list[dict[str, Any]]:
    """Every rate indicator by every characteristic across the pool, as result tables (the
    analyse command's JSON shape) with the number of landlords behind each."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _rates(extracts).to_pyarrow().to_pylist():
        key = (row["indicator"], row["characteristic"])
        found = groups.setdefault(
            key,
            {
                "title": row["title"],
                "higher": row["higher_is_better"],
                "totals": {},
                "landlords": 0,
            },
        )
        found["totals"][row["category"]] = {
            "n": float(row["n"]),
            "k": float(row["k"]),
            "ss": float(row["k"]),
        }
        found["landlords"] = max(found["landlords"], int(row["landlords"]))
    landlords = extracts.landlord.nunique().to_pyarrow().as_py()
    tables = []
    for (indicator_id, characteristic), found in sorted(groups.items()):
        indicator = Indicator(
            id=indicator_id, event_type="pooled", measure="rate", value="numerator",
            higher_is_better=bool(found["higher"]), title=found["title"],
        )  # fmt: skip
        table: ResultTable = _table(
            indicator, characteristic, found["totals"], {}, exposure=None, compare="rest",
            min_n=10, min_effect=min_effect,
        )  # fmt: skip
        tables.append({**table.as_json(), "title": found["title"], "landlords": found["landlords"],
                       "pool": landlords})  # fmt: skip
    return tables


def read_extracts(con: Any, folder: str) -> ir.Table:
    """Every Parquet extract in a folder, on any Ibis backend (DuckDB, PySpark)."""
    table = con.read_parquet(f"{folder.rstrip('/')}/*.parquet")
    missing = set(EXTRACT_SCHEMA) - set(table.columns)
    if missing:
        raise ValueError(f"not benchmarking extracts: no {', '.join(sorted(missing))} column")
    return table.mutate(
        n=table.n.cast("int64"),
        numerator=table.numerator.cast("float64"),
        suppressed=table.suppressed.cast("boolean"),
    )


def duckdb_pool(folder: str) -> list[dict[str, Any]]:
    return pooled(read_extracts(ibis.duckdb.connect(), folder))
