"""The equality report as a reader gets it: a PDF rendered to pages, and a workbook."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from equal_outcomes.analysis.disclosure import SUPPRESSED, THRESHOLD
from equal_outcomes.insight import results
from equal_outcomes.insight.population import import_population

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("census_ethnicity_sample.csv")


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} (Debian's poppler-utils) is missing: run `make browser-deps`"
        if __import__("os").environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def landlord(module_db: None, module_stores: None) -> None:
    call_command("demo", customers=1500, seed=4)
    import_population(SAMPLE, characteristic="ethnicity", actor="system:test")


def test_the_pdf_report_has_its_sections_and_figures(landlord: None, tmp_path: Path) -> None:
    out = tmp_path / "equality.pdf"
    call_command("report", "equality", "--format", "pdf", "--out", str(out), "--publishable")
    subprocess.run(
        [poppler("pdftoppm"), "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert all(page.stat().st_size > 2000 for page in pages), "pages with something drawn"
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in (
        "Equality monitoring report",
        "1. Knowing our customers",
        "2. Equal outcomes",
        "3. Who we serve",
        "4. How this was worked out",
        "Publishable edition",
    ):
        assert heading in text
    ethnicity = next(
        row
        for row in results.knowing_our_customers(results.Filters())["overall"]
        if row["characteristic"] == "ethnicity"
    )
    assert f"{ethnicity['response_rate']:.0%}" in text
    words = " ".join(text.split())
    assert "approach to handling complaints" in words, "TP09, worse for disabled tenants"
    assert "Rent accounts in arrears" in words


def _count_ok(value: Any) -> bool:
    return value == SUPPRESSED or (isinstance(value, int | float) and value >= THRESHOLD)


def test_a_publishable_workbook_has_every_table_and_no_small_count(
    landlord: None, tmp_path: Path
) -> None:
    out = tmp_path / "equality.xlsx"
    call_command("report", "equality", "--format", "xlsx", "--out", str(out), "--publishable")
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == [
        "About",
        "Coverage",
        "Coverage by group",
        "Coverage by area",
        "Findings",
        "Outcomes",
        "Who we serve Ethnic group",
        "Who we serve Broad ethnic group",
    ]

    def rows(name: str) -> list[dict[str, Any]]:
        values = list(book[name].iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]

    outcomes = rows("Outcomes")
    assert outcomes, "the outcome tables are there"
    assert any(row["n"] == SUPPRESSED for row in outcomes), "the demo has small groups"
    for row in [*outcomes, *rows("Findings")]:
        if row["category"] == "not_known":
            # The people whose answer is not held, in one row of any size (issue 28, item 10):
            # no group's figure, and no comparison.
            assert row["comparator_value"] is None, row
            assert row["flag"] != "worse", row
            continue
        assert _count_ok(row["n"]), row
        if row["n"] != SUPPRESSED and row["test"] in {"z", "fisher"}:  # a rate's two sides
            assert row["numerator"] >= THRESHOLD, row
            assert row["n"] - row["numerator"] >= THRESHOLD, row
    for name in ("Coverage", "Coverage by group", "Coverage by area"):
        table = rows(name)
        assert "answered" not in table[0], "published coverage gives rates, not small counts"
        assert all(_count_ok(row["people"]) for row in table)
    for row in [*rows("Who we serve Ethnic group"), *rows("Who we serve Broad ethnic group")]:
        assert row["customers"] == 0 or _count_ok(row["customers"]), row


def test_an_internal_workbook_keeps_the_counts_and_says_so(landlord: None, tmp_path: Path) -> None:
    out = tmp_path / "internal.xlsx"
    call_command("report", "equality", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out, read_only=True)
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["publishable"] == "no (internal)"
    header = next(book["Coverage"].iter_rows(values_only=True))
    assert "answered" in header


def test_a_report_without_a_snapshot_says_what_to_do(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no snapshot yet"):
        call_command("report", "equality", "--format", "html", "--out", str(tmp_path / "r.html"))


def test_a_report_asked_for_in_the_app_is_made_and_handed_only_to_its_owner(
    landlord: None,
) -> None:
    from django.urls import reverse

    from equal_outcomes.accounts.roles import Role
    from equal_outcomes.insight.models import ReportJob
    from tests.auth import signed_in
    from tests.factories import UserFactory

    lead = signed_in(UserFactory(username="report-lead", role=Role.EQUALITY_LEAD))
    board = signed_in(UserFactory(username="report-board", role=Role.BOARD))

    missing = lead.post(reverse("insight:reports"), {})
    assert missing.status_code == 400
    assert "Choose a format" in missing.content.decode()

    made = lead.post(reverse("insight:reports") + "?period=2026", {"file_format": "pdf"})
    job = ReportJob.objects.get(created_by__username="report-lead")
    assert made.url == reverse("insight:report_job", args=[job.public_id])
    assert (job.status, job.publishable, job.period) == ("done", True, "2026")
    page = lead.get(made.url)
    assert "Your report is ready" in page.content.decode()
    download = lead.get(reverse("insight:report_download", args=[job.public_id]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert board.get(reverse("insight:report_download", args=[job.public_id])).status_code == 404

    # The board's reports are publishable whatever is posted.
    board.post(reverse("insight:reports"), {"file_format": "xlsx", "internal": "on"})
    assert ReportJob.objects.get(created_by__username="report-board").publishable is True
