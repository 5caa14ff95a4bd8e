"""Reading extracts for file mode: CSV (plain or gzipped) or Parquet into a DuckDB-backed Ibis
table. People's answers are read as text, so codes keep their leading zeros; the person key is
text in both files whatever type the file gives it (a Parquet whole number, a CSV column DuckDB
takes for a number), so the two files always join. The usual markers of a missing answer
(``?``, ``Unknown``, ``N/K``, ``Not stated`` ...) are read as not known."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import ibis
import ibis.expr.types as ir

from equal_outcomes.analysis.engine import PERSON


class ExtractError(ValueError):
    """An extract that cannot be used; the message says why."""


#: What extracts write for an answer nobody gave, compared trimmed and in lower case. A refusal
#: ("prefer not to say") is an answer and is kept.
NOT_KNOWN_MARKERS = frozenset(
    {
        "?",
        "-",
        ".",
        "n/a",
        "na",
        "n/k",
        "nk",
        "null",
        "none",
        "missing",
        "unknown",
        "not known",
        "not stated",
        "not recorded",
        "not available",
        "blank",
    }
)

CSV_SUFFIXES = (".csv", ".txt", ".tsv", ".csv.gz", ".txt.gz", ".tsv.gz")


def connect() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def _read(con: ibis.BaseBackend, path: Path, *, text: bool) -> ir.Table:
    if not path.is_file():
        raise ExtractError(f"no such file: {path}")
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            return con.read_parquet(path)
        if name.endswith(CSV_SUFFIXES):
            table = con.read_csv(path, **({"all_varchar": True} if text else {}))
            if not text and PERSON in table.columns and not table[PERSON].type().is_string():
                # Keys such as 00123 would lose their zeros as numbers and miss the people file.
                table = con.read_csv(path, types={PERSON: "VARCHAR"})
            return table
    except Exception as error:  # DuckDB raises many kinds for malformed files
        raise ExtractError(f"cannot read {path.name}: {error}") from None
    raise ExtractError(f"{path.name}: extracts must be CSV or Parquet")


def _key_text(column: ir.Column) -> ir.StringValue:
    """A person key as text: whole numbers without a decimal point, whatever their type."""
    kind = column.type()
    if kind.is_string():
        return column
    if kind.is_floating():
        return column.cast("int64").cast("string")
    return column.cast("string")


def read_people(con: ibis.BaseBackend, path: Path, *, not_known: Iterable[str] = ()) -> ir.Table:
    """The people table; its first column is the person key, whatever it is called. Every
    column is text, and a marker of a missing answer (``NOT_KNOWN_MARKERS`` and ``not_known``)
    is null, which the breakdowns count as not known."""
    table = _read(con, path, text=True)
    first = table.columns[0]
    if first != PERSON:
        if PERSON in table.columns:
            raise ExtractError(
                f"{path.name}: the person key must be the first column, not {first!r}"
            )
        table = table.rename({PERSON: first})
    markers = sorted(NOT_KNOWN_MARKERS | {value.strip().lower() for value in not_known})
    columns = {PERSON: _key_text(table[PERSON])}
    for name in table.columns:
        if name == PERSON:
            continue
        value = table[name].cast("string")
        columns[name] = ibis.ifelse(value.strip().lower().isin(markers), ibis.null("string"), value)
    return table.select(**columns)


def read_events(con: ibis.BaseBackend, path: Path) -> ir.Table:
    table = _read(con, path, text=False)
    missing = {PERSON, "event_type"} - set(table.columns)
    if missing:
        raise ExtractError(f"{path.name} needs the columns {', '.join(sorted(missing))}")
    if table[PERSON].type().is_string():
        return table  # a table derived from every event would be copied whole (engine.Prepare)
    return table.mutate(**{PERSON: _key_text(table[PERSON])})
