"""The staff upload screen runs the same import and shows every problem."""

from __future__ import annotations

from pathlib import Path
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
        follow=True,
    )
    assert response.redirect_chain[0][0].startswith("/imports/jobs/")
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
        follow=True,
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
        follow=True,
    )
    assert b"The file passed every check" in response.content
    assert not Customer.objects.exists()


def test_the_upload_is_removed_and_only_its_owner_sees_the_job(lead: Any) -> None:
    from equal_outcomes.imports.models import ImportJob
    from tests.factories import UserFactory

    signed_in(lead).post(
        URL, {"file": upload("customer_ref,customer_type,first_name,last_name\nU5,tenant,A,B\n")}
    )
    job = ImportJob.objects.get()
    assert job.status == "done"
    assert not Path(job.stored_path).exists(), "uploaded files are deleted once imported"
    other_lead = UserFactory(role="equality_lead")
    assert signed_in(other_lead).get(f"/imports/jobs/{job.public_id}/").status_code == 404


def test_a_running_import_shows_its_progress_and_refreshes(lead: Any) -> None:
    from equal_outcomes.imports.models import ImportJob

    job = ImportJob.objects.create(
        file_name="big.csv", stored_path="/nonexistent", created_by=lead, status="running"
    )
    from equal_outcomes.imports import jobs

    (jobs.folder() / f"{job.public_id}.progress.json").write_text(
        '{"stage": "answers", "done": 250000, "total": 1000000}'
    )
    page = signed_in(lead).get(f"/imports/jobs/{job.public_id}/").content.decode()
    # Issue 27, item 9: a status region that updates and a link to check again, not a page
    # that reloads itself (WCAG 2.2.1).
    assert 'http-equiv="refresh"' not in page
    assert "data-eo-waiting" in page
    assert "Check again" in page
    assert "Step 3 of 5: 250000 of 1000000 rows" in page
    assert '<progress class="eo-progress" max="1000000" value="250000"' in page
