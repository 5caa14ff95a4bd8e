"""Events extracts: checked first, keyed pseudonymously, objectors left out, reloads idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.management import call_command

from equal_outcomes.insight.events import events_path, import_events
from equal_outcomes.insight.snapshot import person_key
from equal_outcomes.insight.stores import encrypt_plain_store, open_store
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db


def stored() -> list[tuple[Any, ...]]:
    with open_store(events_path(), read_only=True) as con:
        return con.execute(
            "SELECT person_key, event_type, event_date::VARCHAR, on_time FROM events ORDER BY 1, 3"
        ).fetchall()


def test_events_are_loaded_under_the_person_key_and_reloading_changes_nothing(
    tmp_path: Path,
) -> None:
    ann = CustomerFactory(landlord_ref="00042")
    objector = CustomerFactory(landlord_ref="00043", objects_to_monitoring=True)
    extract = tmp_path / "repairs.csv"
    extract.write_text(
        "Customer Ref,Event Type,Event Date,on_time\n"
        "00042,repair,03/02/2026,1\n00042,repair,2026-02-09,0\n00043,repair,04/02/2026,1\n"
    )
    report = import_events(extract, actor="system:test")
    assert (report.written, report.left_out) == (True, 1)
    expected = [
        (person_key(ann.public_id), "repair", "2026-02-03", True),
        (person_key(ann.public_id), "repair", "2026-02-09", False),
    ]
    assert stored() == expected
    import_events(extract, actor="system:test")
    assert stored() == expected, "a reload replaces the event type, it does not add to it"
    assert person_key(objector.public_id) not in json.dumps(stored())


def test_any_bad_row_stops_the_load(tmp_path: Path) -> None:
    CustomerFactory(landlord_ref="00042")
    extract = tmp_path / "bad.csv"
    extract.write_text(
        "customer_ref,event_type,event_date,on_time\n"
        "00042,repair,03/02/2026,1\nNOBODY,repair,03/02/2026,1\n00042,,31/02/2026,1\n"
    )
    report = import_events(extract, actor="system:test")
    found = {(p.row, p.column, p.reason) for p in report.problems}
    assert found == {
        (3, "customer_ref", "no customer has this reference"),
        (4, "event_type", "the event type is blank"),
        (4, "event_date", "not a date: use day/month/year"),
    }
    assert not report.written
    assert not events_path().exists()


def test_analyse_runs_on_the_snapshot_and_the_events_store(
    lead: Any, tmp_path: Path, capsys: Any
) -> None:
    rows = ["customer_ref,event_type,on_time"]
    for number in range(60):
        customer = CustomerFactory(landlord_ref=f"R{number:03d}")
        record_answer(lead, customer, "disability", "yes" if number < 30 else "no")
        # Disabled tenants' repairs are on time a third of the time; others' always.
        rows.append(f"R{number:03d},repair,{1 if number >= 30 or number % 3 == 0 else 0}")
    extract = tmp_path / "repairs.csv"
    extract.write_text("\n".join(rows) + "\n")
    call_command("snapshot")
    call_command("import", "events", str(extract))
    capsys.readouterr()
    call_command("analyse", "--by", "disability", "--format", "json")
    (table,) = json.loads(capsys.readouterr().out)
    assert table["indicator"] == "RP02"
    rows_by = {row["category"]: row for row in table["rows"]}
    assert rows_by["yes"]["value"] == pytest.approx(10 / 30)
    assert rows_by["yes"]["flag"] == "worse"


def column_types() -> dict[str, str]:
    with open_store(events_path(), read_only=True) as con:
        return {row[0]: row[1] for row in con.execute("DESCRIBE events").fetchall()}


def test_outcomes_are_stored_as_yes_no_numbers_or_text(tmp_path: Path) -> None:
    CustomerFactory(landlord_ref="00042")
    extract = tmp_path / "repairs.csv"
    extract.write_text(
        "customer_ref,event_type,on_time,days,trade,note\n"
        "00042,repair,Yes,3,plumbing,\n"
        "00042,repair, n ,12.5,electrical,\n"
        "00042,repair,TRUE,,plumbing,\n"
        "00042,repair,,0,1,\n"
    )
    import_events(extract, actor="system:test")
    types = column_types()
    assert [types[c] for c in ("on_time", "days", "trade", "note")] == [
        "BOOLEAN",
        "DOUBLE",
        "VARCHAR",
        "VARCHAR",  # no values at all: kept as text
    ]
    with open_store(events_path(), read_only=True) as con:
        rows = con.execute("SELECT on_time, days, trade FROM events ORDER BY rowid").fetchall()
    assert sorted(rows, key=str) == sorted(
        [
            (True, 3.0, "plumbing"),
            (False, 12.5, "electrical"),
            (True, None, "plumbing"),
            (None, 0.0, "1"),
        ],
        key=str,
    )


def test_a_column_two_extracts_share_takes_a_type_both_fit(tmp_path: Path) -> None:
    CustomerFactory(landlord_ref="00042")
    repairs, complaints, surveys = (tmp_path / f"{n}.csv" for n in ("r", "c", "s"))
    repairs.write_text("customer_ref,event_type,outcome\n00042,repair,yes\n00042,repair,no\n")
    import_events(repairs, actor="system:test")
    assert column_types()["outcome"] == "BOOLEAN"
    # Numbers and yes/no: numbers, yes as 1.
    complaints.write_text("customer_ref,event_type,outcome\n00042,complaint,4\n")
    import_events(complaints, actor="system:test")
    assert column_types()["outcome"] == "DOUBLE"
    # Text and numbers: text, whole numbers without ".0" so that 1 and 0 still read as yes/no.
    surveys.write_text("customer_ref,event_type,outcome\n00042,survey,very good\n")
    import_events(surveys, actor="system:test")
    assert column_types()["outcome"] == "VARCHAR"
    with open_store(events_path(), read_only=True) as con:
        found = con.execute("SELECT event_type, outcome FROM events ORDER BY 1, 2").fetchall()
    assert found == [
        ("complaint", "4"),
        ("repair", "0"),
        ("repair", "1"),
        ("survey", "very good"),
    ]
    # Replacing the text answers with yes/no: the store is typed again from what it keeps.
    surveys.write_text("customer_ref,event_type,outcome\n00042,survey,y\n")
    import_events(surveys, actor="system:test")
    assert column_types()["outcome"] == "DOUBLE"


def test_a_store_written_as_text_is_typed_when_next_rebuilt(tmp_path: Path) -> None:
    CustomerFactory(landlord_ref="00042")
    events_path().parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(events_path())) as con:  # as earlier versions wrote it
        con.execute(
            "CREATE TABLE events AS SELECT 'k' AS person_key, 'repair' AS event_type, "
            "NULL::DATE AS event_date, '1' AS on_time, '7' AS days"
        )
    assert encrypt_plain_store(events_path())  # as the upgrade's migration does
    assert not encrypt_plain_store(events_path())  # once
    extract = tmp_path / "complaints.csv"
    extract.write_text("customer_ref,event_type,upheld\n00042,complaint,no\n")
    import_events(extract, actor="system:test")
    types = column_types()
    assert [types[c] for c in ("on_time", "days", "upheld")] == ["BOOLEAN", "DOUBLE", "BOOLEAN"]
