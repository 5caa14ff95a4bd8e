"""Service events from the housing management system, CRM and survey tools.

Events are not ORM rows: an extract (repairs, complaints, survey responses...) is loaded by
DuckDB straight into the events store (``var/events.duckdb``), keyed by the same pseudonymous
person key as the snapshot. Customer references are looked up and dropped; they never reach the
store. An extract replaces every event of the event types it holds, so loading the same file
twice changes nothing. Every row is checked first; nothing is loaded if any row fails.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.customers.models import Customer
from equal_outcomes.imports.customers import Problem
from equal_outcomes.insight import outcomes
from equal_outcomes.insight.outcomes import quoted
from equal_outcomes.insight.snapshot import person_key, pseudonymisation_key
from equal_outcomes.insight.stores import attach, rebuilt

REQUIRED = ("customer_ref", "event_type")
RESERVED = {"person_key", "event_type", "event_date"}
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
SHOWN_PROBLEMS = 1000


def events_path() -> Path:
    return settings.HOME / "events.duckdb"


@dataclass
class EventReport:
    file: str
    rows: int = 0
    event_types: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    left_out: int = 0  # events of people who object to equality monitoring
    written: bool = False
    seconds: float = 0.0


def _people_map(con: duckdb.DuckDBPyConnection) -> None:
    """Customer reference to person key, and whether the person objects to monitoring."""
    key = pseudonymisation_key()
    refs, keys, objects = [], [], []
    for ref, public_id, objecting in Customer.objects.filter(erased_at__isnull=True).values_list(
        "landlord_ref", "public_id", "objects_to_monitoring"
    ):
        refs.append(ref)
        keys.append(person_key(public_id, key))
        objects.append(objecting)
    con.register(
        "people_map",
        pa.table(
            {
                "customer_ref": pa.array(refs, pa.string()),
                "person_key": pa.array(keys, pa.string()),
                "objects": pa.array(objects, pa.bool_()),
            }
        ),
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def import_events(path: Path, *, actor: Any, dry_run: bool = False) -> EventReport:
    """Checks every row of an events extract, then replaces those event types in the store."""
    started = time.monotonic()
    report = EventReport(file=path.name)
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    if path.suffix.lower() not in {".csv", ".txt"}:
        raise UnreadableFile("events extracts must be CSV")
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE incoming AS SELECT row_number() OVER () + 1 AS line, * "
            "FROM read_csv(?, all_varchar = true, header = true)",
            [str(path)],
        )
    except duckdb.Error as error:
        raise UnreadableFile(f"the file cannot be read: {error}") from None
    columns = [row[0] for row in con.execute("DESCRIBE incoming").fetchall() if row[0] != "line"]
    normalised = {c: c.strip().lower().replace(" ", "_") for c in columns}
    missing = set(REQUIRED) - set(normalised.values())
    if missing:
        raise UnreadableFile(f"the file needs the columns {', '.join(sorted(missing))}")
    for original, name in normalised.items():
        if original != name:
            con.execute(f"ALTER TABLE incoming RENAME {quoted(original)} TO {quoted(name)}")
    outcome_columns = [n for n in normalised.values() if n not in {*REQUIRED, "event_date"}]
    _people_map(con)
    has_date = "event_date" in normalised.values()
    checks = [
        (
            "customer_ref",
            "customer_ref",
            "no customer has this reference",
            "NOT EXISTS (SELECT 1 FROM people_map m WHERE m.customer_ref = i.customer_ref)",
        ),
        (
            "event_type",
            "event_type",
            "the event type is blank",
            "coalesce(trim(i.event_type), '') = ''",
        ),
    ]
    if has_date:
        checks.append(
            (
                "event_date",
                "event_date",
                "not a date: use day/month/year",
                "coalesce(trim(i.event_date), '') <> '' AND "
                f"try_strptime(trim(i.event_date), {DATE_FORMATS!r}) IS NULL",
            )
        )
    for column, source, reason, condition in checks:
        count = _scalar(con, f"SELECT count(*) FROM incoming i WHERE {condition}")  # noqa: S608
        report.problem_count += count
        for line, value in con.execute(
            f"SELECT line, coalesce(i.{source}, '') FROM incoming i WHERE {condition} "  # noqa: S608
            f"ORDER BY line LIMIT {SHOWN_PROBLEMS}"
        ).fetchall():
            report.problems.append(Problem(int(line), column, str(value)[:60], reason))
    report.problems.sort(key=lambda p: (p.row, p.column))
    report.rows = _scalar(con, "SELECT count(*) FROM incoming")
    report.left_out = _scalar(
        con,
        "SELECT count(*) FROM incoming i JOIN people_map m USING (customer_ref) WHERE m.objects",
    )
    report.event_types = dict(
        con.execute("SELECT event_type, count(*) FROM incoming GROUP BY 1 ORDER BY 1").fetchall()
    )
    if report.problem_count or dry_run:
        report.seconds = time.monotonic() - started
        return report
    date = (
        f"try_strptime(trim(i.event_date), {DATE_FORMATS!r})::DATE AS event_date"
        if has_date
        else "NULL::DATE AS event_date"
    )
    outcome_sql = "".join(
        f", nullif(trim(i.{quoted(c)}), '') AS {quoted(c)}" for c in outcome_columns
    )
    con.execute(
        "CREATE TABLE loaded AS SELECT m.person_key, trim(i.event_type) AS event_type, "  # noqa: S608
        f"{date}{outcome_sql} FROM incoming i JOIN people_map m USING (customer_ref) "
        "WHERE NOT m.objects ORDER BY event_type, m.person_key"
    )
    replace_events(con, report.event_types)
    report.written = True
    report.seconds = time.monotonic() - started
    Auditor.record(
        actor=actor,
        action=AuditAction.IMPORT,
        target_type="events",
        target_id=path.name[:64],
        purpose=f"{report.rows} events: {', '.join(report.event_types)}"[:200],
    )
    return report


def replace_events(con: duckdb.DuckDBPyConnection, event_types: dict[str, int]) -> None:
    """Builds the new store beside the old one and moves it into place in one step.

    ``loaded`` (person_key, event_type, event_date and outcomes as text) replaces every event
    of ``event_types``. Outcome columns are stored typed (see ``outcomes``).

    The store is kept in event type order, then person key: the analysis sums each event
    type apart, and DuckDB then skips the other types' row groups (their min/max statistics
    rule them out); within a type, one person's events sit together for the per-person sums.
    An extract replaces whole event types, so appending it keeps each type together."""
    new: dict[str, outcomes.Kind] = dict(_types(con, "loaded"))
    new_text = _text_outcomes(new)
    new.update(outcomes.column_types(con, "loaded", new_text))
    final = events_path()
    with rebuilt(final) as building:
        attach(con, building, "store")
        if final.exists():
            # The events kept are re-typed too (a store written as text is typed as it is
            # rebuilt), and a column both hold takes a type that fits both.
            attach(con, final, "old", read_only=True)
            old: dict[str, outcomes.Kind] = dict(_types(con, "old.events"))
            old_text = _text_outcomes(old)
            kept = f"WHERE event_type NOT IN ({', '.join('?' for _ in event_types)})"
            old.update(outcomes.column_types(con, "old.events", old_text, kept, [*event_types]))
            wanted = {c: outcomes.unified(old.get(c), new.get(c)) for c in {*old, *new}}
            con.execute(
                f"CREATE TABLE store.events AS SELECT {_conversions(old, wanted)} "  # noqa: S608
                f"FROM (SELECT {_typing(old, old_text)} FROM old.events {kept})",
                list(event_types),
            )
            con.execute("DETACH old")
            for column in new:
                if column not in old:
                    con.execute(
                        f"ALTER TABLE store.events ADD COLUMN {quoted(column)} {wanted[column]}"
                    )
            con.execute(
                f"INSERT INTO store.events BY NAME SELECT {_conversions(new, wanted)} "  # noqa: S608
                f"FROM (SELECT {_typing(new, new_text)} FROM loaded)"
            )
        else:
            wanted = {c: outcomes.unified(kind, kind) for c, kind in new.items()}
            con.execute(
                f"CREATE TABLE store.events AS SELECT {_conversions(new, wanted)} "  # noqa: S608
                f"FROM (SELECT {_typing(new, new_text)} FROM loaded)"
            )
        con.execute("DETACH store")


def _text_outcomes(kinds: dict[str, outcomes.Kind]) -> list[str]:
    return [c for c, kind in kinds.items() if c not in RESERVED and kind == outcomes.TEXT]


def _typing(kinds: dict[str, outcomes.Kind], text: list[str]) -> str:
    """SELECT list: each of the ``text`` columns typed as ``kinds`` says, the rest as they are."""
    return ", ".join(
        f"{outcomes.typed(c, kinds[c])} AS {quoted(c)}" if c in text else quoted(c) for c in kinds
    )


def _conversions(kinds: dict[str, outcomes.Kind], wanted: dict[str, str]) -> str:
    return ", ".join(
        f"{outcomes.converted(c, kind, wanted[c])} AS {quoted(c)}" for c, kind in kinds.items()
    )


def _types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE {table}").fetchall()}
