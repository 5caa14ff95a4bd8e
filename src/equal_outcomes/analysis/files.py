"""Reading extracts for file mode: CSV or Parquet (by extension) into a DuckDB-backed Ibis
table. People files are read as text, so codes keep their leading zeros."""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir

from equal_outcomes.analysis.engine import PERSON


class ExtractError(ValueError):
    """An extract that cannot be used; the message says why."""


def connect() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def _read(con: ibis.BaseBackend, path: Path, *, text: bool) -> ir.Table:
    if not path.is_file():
        raise ExtractError(f"no such file: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return con.read_parquet(path)
        if suffix in {".csv", ".txt"}:
            options = {"all_varchar": True} if text else {}
            return con.read_csv(path, **options)
    except Exception as error:  # DuckDB raises many kinds for malformed files
        raise ExtractError(f"cannot read {path.name}: {error}") from None
    raise ExtractError(f"{path.name}: extracts must be CSV or Parquet")


def read_people(con: ibis.BaseBackend, path: Path) -> ir.Table:
    """The people table; its first column is the person key, whatever it is called."""
    table = _read(con, path, text=True)
    first = table.columns[0]
    return table.rename({PERSON: first}) if first != PERSON else table


def read_events(con: ibis.BaseBackend, path: Path) -> ir.Table:
    table = _read(con, path, text=False)
    missing = {PERSON, "event_type"} - set(table.columns)
    if missing:
        raise ExtractError(f"{path.name} needs the columns {', '.join(sorted(missing))}")
    if table[PERSON].type().is_string():
        return table  # a table derived from every event would be copied whole (engine.Prepare)
    return table.mutate(**{PERSON: table[PERSON].cast("string")})
