"""Exports of profile data: lead only, audited, formula-safe, and re-importable unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.core.spreadsheets import safe_cell
from equal_outcomes.customers.models import ProfileAnswer, RestrictedDetails
from equal_outcomes.imports.customers import import_customers
from tests.auth import signed_in
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["=1+1", "+44 7700 900000", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_made_inert(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_ordinary_cells_are_left_alone() -> None:
    assert safe_cell("Siân O'Brien") == "Siân O'Brien"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "yes"


@pytest.fixture
def people(lead: Any) -> list[Any]:
    hostile = CustomerFactory(landlord_ref="00042", first_name='=HYPERLINK("http://x","y")')
    record_answer(lead, hostile, "ethnicity", "asian_indian")
    record_answer(lead, hostile, "religion", state="prefer_not_to_say")
    other = CustomerFactory(landlord_ref="00043", first_name="Ann")
    RestrictedDetails.objects.create(
        customer=other, safe_address="Hidden Refuge", recorded_at=hostile.created_at
    )
    return [hostile, other]


def test_the_lead_downloads_a_csv_with_formulas_neutralised(people: list[Any], lead: Any) -> None:
    response = signed_in(lead).post(reverse("sharing:export_customers"), {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["customer_ref"] for r in rows] == ["00042", "00043"]
    assert rows[0]["first_name"] == '\'=HYPERLINK("http://x","y")'
    assert rows[0]["ethnicity"] == "asian_indian"
    assert rows[0]["religion"] == "prefer_not_to_say"
    assert "Hidden Refuge" not in text
    assert AuditEvent.objects.filter(action="export", target_type="customer").count() == 2


def test_the_xlsx_export_holds_text_not_formulas(people: list[Any], tmp_path: Path) -> None:
    out = tmp_path / "customers.xlsx"
    call_command("export", "customers", "--format", "xlsx", "--out", str(out))
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    cells = {cell.value for row in sheet.iter_rows() for cell in row}
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_an_export_reimports_without_changing_anything(people: list[Any], tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    call_command("export", "customers", "--format", "csv", "--out", str(out))
    before = sorted(
        ProfileAnswer.objects.values_list("customer_id", "characteristic", "state", "is_current")
    )
    # The one neutralised cell comes back with its apostrophe: put it right as a user would.
    out.write_text(
        out.read_text(encoding="utf-8-sig").replace("'=HYPERLINK", "=HYPERLINK"), encoding="utf-8"
    )
    report = import_customers(out, actor="system:test")
    assert report.problems == []
    assert (report.created, report.updated, report.answers_added) == (0, 0, 0)
    assert (
        sorted(
            ProfileAnswer.objects.values_list(
                "customer_id", "characteristic", "state", "is_current"
            )
        )
        == before
    )


@pytest.mark.parametrize("role", ["advisor", "officer"])
def test_other_staff_cannot_export(people: list[Any], role: str, request: Any) -> None:
    user = request.getfixturevalue(role)
    assert (
        signed_in(user).post(reverse("sharing:export_customers"), {"format": "csv"}).status_code
        == 403
    )
