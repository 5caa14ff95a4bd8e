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
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db


def stored() -> list[tuple[Any, ...]]:
    with duckdb.connect(str(events_path()), read_only=True) as con:
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
        (person_key(ann.public_id), "repair", "2026-02-03", "1"),
        (person_key(ann.public_id), "repair", "2026-02-09", "0"),
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
