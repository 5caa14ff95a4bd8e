"""Outcome columns stored typed in the events store.

Extracts arrive as text. As events are loaded, each outcome column takes the narrowest type
that every non-blank value in it allows: yes/no (``yes``, ``N``, ``true``, ``1``...) as
BOOLEAN, numbers as DOUBLE, anything else stays text. The analysis then reads true/false and
numbers rather than matching text for each of millions of events (a quarter of the full
default analysis's time). When an event type is loaded with a column that the store already
holds as another type, the column takes a type both fit: BOOLEAN and DOUBLE as DOUBLE (1 and
0), anything else as text (``true``/``false``; whole numbers without ``.0``).

Plain DuckDB SQL, no Django: the analysis benchmark shapes its data with the same functions.
"""

from __future__ import annotations

import duckdb

from equal_outcomes.analysis.engine import FALSE_TEXT, TRUE_TEXT

BOOLEAN, DOUBLE, TEXT = "BOOLEAN", "DOUBLE", "VARCHAR"
Kind = str | None  # one of the three, or None for a column with no values (any type fits)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{word}'" for word in words)


def column_types(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str],
    where: str = "",
    parameters: list[str] | None = None,
) -> dict[str, Kind]:
    """Per text column of ``table`` (the rows ``where`` picks), the type all its non-blank
    values fit: BOOLEAN, DOUBLE or VARCHAR; None when it has none. Each column's distinct
    values are checked, not every row's (a seventh of the time on 20 million events)."""
    if not columns:
        return {}
    value = "nullif(trim(v), '')"
    given = f"FILTER (WHERE {value} IS NOT NULL)"
    checks = " UNION ALL ".join(
        f"SELECT {number} AS number, count({value}), "  # noqa: S608
        f"bool_and(lower({value}) IN ({_words(TRUE_TEXT + FALSE_TEXT)})) {given}, "
        f"bool_and(try_cast({value} AS DOUBLE) IS NOT NULL) {given} "
        f"FROM (SELECT DISTINCT {quoted(column)} AS v FROM {table} {where})"
        for number, column in enumerate(columns)
    )
    kinds: dict[str, Kind] = {}
    for number, values, yes_no, numbers in con.execute(
        checks, (parameters or []) * len(columns)
    ).fetchall():
        kind = None if not values else BOOLEAN if yes_no else DOUBLE if numbers else TEXT
        kinds[columns[number]] = kind
    return kinds


def typed(column: str, kind: Kind) -> str:
    """SQL for a text column's values as ``kind`` (from ``column_types``), blank as null."""
    value = f"nullif(trim({quoted(column)}), '')"
    if kind == BOOLEAN:
        lower = f"lower({value})"
        return (
            f"CASE WHEN {lower} IN ({_words(TRUE_TEXT)}) THEN true "
            f"WHEN {lower} IN ({_words(FALSE_TEXT)}) THEN false END"
        )
    if kind == DOUBLE:
        return f"CAST({value} AS DOUBLE)"
    return value


def unified(first: Kind, second: Kind) -> str:
    """The type a column takes when it holds values of both types."""
    if first is None or second is None:
        return first or second or TEXT
    if first == second:
        return first
    if {first, second} == {BOOLEAN, DOUBLE}:
        return DOUBLE
    return TEXT


def converted(column: str, kind: Kind, to: str) -> str:
    """SQL for a typed column's values as type ``to`` (``unified``)."""
    name = quoted(column)
    if kind == to:
        return name
    if kind is None or to == DOUBLE:
        return f"CAST({name} AS {to})"
    if kind == DOUBLE:  # 1 rather than 1.0, so that it still reads as yes/no
        return (
            f"CASE WHEN {name} = trunc({name}) AND abs({name}) < 1e15 "
            f"THEN CAST(CAST({name} AS BIGINT) AS VARCHAR) ELSE CAST({name} AS VARCHAR) END"
        )
    return f"CAST({name} AS VARCHAR)"
