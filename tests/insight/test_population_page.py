"""The lead loads a census table from the browser (issue 27, item 12: Who we serve told the
lead to run a command, and there was no page for it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equal_outcomes.insight.population import population_path
from tests.auth import signed_in

pytestmark = pytest.mark.django_db
CENSUS = Path(__file__).resolve().parent / "census_ethnicity_sample.csv"


def test_the_lead_loads_a_census_table_and_who_we_serve_compares_with_it(lead: Any) -> None:
    client = signed_in(lead)
    upload = SimpleUploadedFile("census.csv", CENSUS.read_bytes(), content_type="text/csv")
    response = client.post(
        reverse("insight:population"), {"file": upload, "characteristic": "ethnicity"}
    )
    assert response.status_code == 302
    assert response.url == reverse("insight:serve")
    assert population_path().exists()


def test_a_table_whose_columns_match_nothing_is_refused_with_a_reason(lead: Any) -> None:
    upload = SimpleUploadedFile(
        "census.csv", b"geography code,Martians,Venusians\nW06000015,3,4\n", content_type="text/csv"
    )
    response = signed_in(lead).post(
        reverse("insight:population"), {"file": upload, "characteristic": "ethnicity"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error:" in page


def test_only_the_lead_may_load_one(advisor: Any) -> None:
    assert signed_in(advisor).get(reverse("insight:population")).status_code == 403


def test_the_lead_chooses_the_areas_of_a_table_that_holds_overlapping_ones(lead: Any) -> None:
    table = Path(__file__).resolve().parents[1] / "data" / "census"
    content = (table / "ts021-broad-groups-ctry-query.csv").read_bytes()
    client = signed_in(lead)

    def post(geography: str) -> Any:
        upload = SimpleUploadedFile("ts021.csv", content, content_type="text/csv")
        return client.post(
            reverse("insight:population"),
            {"file": upload, "characteristic": "ethnicity", "geography": geography},
        )

    refused = post("")
    assert refused.status_code == 400
    assert "cannot be added up" in refused.content.decode()
    assert post("W92000004").status_code == 302
    page = client.get(reverse("insight:population")).content.decode()
    assert '<option value="age_band">Age</option>' in page


def test_nothing_is_chosen_for_the_lead_and_a_wrong_choice_says_so(lead: Any) -> None:
    client = signed_in(lead)
    page = client.get(reverse("insight:population")).content.decode()
    assert '<option value="" selected>Choose</option>' in page
    upload = SimpleUploadedFile("census.csv", CENSUS.read_bytes(), content_type="text/csv")
    unchosen = client.post(reverse("insight:population"), {"file": upload})
    assert "Choose what the table counts" in unchosen.content.decode()
    upload = SimpleUploadedFile("census.csv", CENSUS.read_bytes(), content_type="text/csv")
    wrong = client.post(reverse("insight:population"), {"file": upload, "characteristic": "sex"})
    assert "match no group of sex" in wrong.content.decode()
    assert "Check what the table counts." in wrong.content.decode()
