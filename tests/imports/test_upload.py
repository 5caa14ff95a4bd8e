"""The staff upload screen runs the same import and shows every problem."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equal_outcomes.customers.models import Customer
from tests.auth import signed_in

pytestmark = pytest.mark.django_db
URL = "/imports/customers/"


def upload(text: str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_lead_imports_a_file_and_sees_what_happened(lead: Any) -> None:
    assert reverse("imports:customers") == URL
    response = signed_in(lead).post(
        URL,
        {
            "file": upload("customer_ref,first_name,last_name,ethnicity\nU1,Ann,Ash,Irish\n"),
            "customer_type": "tenant",
        },
    )
    assert response.status_code == 200
    assert b"Import complete" in response.content
    assert Customer.objects.get(landlord_ref="U1").customer_type == "tenant"


def test_problems_are_listed_by_row_and_column_and_nothing_is_imported(lead: Any) -> None:
    response = signed_in(lead).post(
        URL,
        {
            "file": upload(
                "customer_ref,customer_type,first_name,last_name,sex\nU2,tenant,Ann,Ash,Dragon\nU3,tenant,Ben,Birch,Male\n"
            )
        },
    )
    content = response.content.decode()
    assert "The file has 1 problem" in content
    assert "Nothing was imported" in content
    assert '<td class="govuk-table__cell">2</td><td class="govuk-table__cell">sex</td>' in content
    assert not Customer.objects.exists()


def test_a_missing_or_wrong_file_is_explained(lead: Any) -> None:
    missing = signed_in(lead).post(URL, {})
    assert b"Choose a CSV or XLSX file" in missing.content
    wrong = signed_in(lead).post(URL, {"file": upload("x", name="notes.docx")})
    assert b"The file must be CSV or XLSX" in wrong.content
    assert b"govuk-error-summary" in wrong.content


def test_a_dry_run_checks_without_importing(lead: Any) -> None:
    response = signed_in(lead).post(
        URL,
        {
            "file": upload("customer_ref,customer_type,first_name,last_name\nU4,tenant,Ann,Ash\n"),
            "dry_run": "on",
        },
    )
    assert b"The file passed every check" in response.content
    assert not Customer.objects.exists()
