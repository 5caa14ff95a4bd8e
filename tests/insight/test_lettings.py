"""MHCLG CORE lettings logs as letting events (issue 28, item 14), from the fixtures of the CORE
service itself (tests/data/core, MIT): the labels and codes exports, and the 2026 layout with a
row of questions above the field names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.lettings import import_core
from equal_outcomes.insight.stores import open_store
from tests.factories import CustomerFactory, HouseholdFactory

pytestmark = pytest.mark.django_db
CORE = Path(__file__).resolve().parents[1] / "data" / "core"
EXPORTS = ["lettings_log_csv_export_labels_24.csv", "lettings_log_csv_export_codes_24.csv",
           "lettings_log_csv_export_labels_26.csv"]  # fmt: skip


def lettings() -> list[dict[str, Any]]:
    with open_store(events_path(), read_only=True) as con:
        cursor = con.execute("SELECT * FROM events WHERE event_type = 'letting'")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def tenancy() -> Any:
    from equal_outcomes.customers.models import Tenancy

    household = HouseholdFactory()
    tenant = CustomerFactory(household=household, customer_type="tenant", landlord_ref="T0001")
    CustomerFactory(household=household, customer_type="household_member")
    Tenancy.objects.create(tenancy_ref="HIJKLMN", household=household,
                           property=household.property, start_date="2024-04-01")  # fmt: skip
    return tenant


@pytest.mark.parametrize("export", EXPORTS)
def test_each_core_export_loads_as_a_letting_to_the_lead_tenant(tenancy: Any, export: str) -> None:
    report = import_core(CORE / export, actor="system:test")
    assert report.problems == []
    (letting,) = lettings()
    assert letting["event_date"].isoformat() in {"2024-04-01", "2023-11-26", "2026-04-01"}
    assert letting["needs_type"] == "General needs", "codes come out in words"
    assert letting["rent_type"].lower() == "affordable rent"


def test_a_log_whose_tenancy_is_not_here_stops_the_load_at_its_line(tmp_path: Path) -> None:
    report = import_core(CORE / "lettings_log_csv_export_labels_26.csv", actor="system:test")
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.value) == (3, "tenancycode", "HIJKLMN")
    assert not events_path().exists() or lettings() == []


def test_the_command_loads_core_and_who_is_housed_breaks_down(
    tenancy: Any, lead: Any, capsys: Any
) -> None:
    from tests.factories import record_answer

    record_answer(lead, tenancy, "ethnicity", "white_irish")
    call_command("snapshot", "--no-warm")
    call_command("import", "core", str(CORE / "lettings_log_csv_export_codes_24.csv"))
    assert "Loaded 1 events (letting 1)" in capsys.readouterr().out
    call_command("representation", "--by", "ethnicity", "--among", "letting", "--format", "json")
    rows = {row["category"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["white_irish"]["customers"] == 1
    with pytest.raises(CommandError, match="not a CORE lettings log"):
        call_command("import", "core", str(Path(__file__).parent / "census_ethnicity_sample.csv"))
