"""The workforce dashboard and report: figures from the engine, unsuppressed for HR only, and
every decryption of equality answers audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from equal_outcomes.accounts.roles import Role
from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.workforce.analysis import compute
from equal_outcomes.workforce.models import Application, StaffMember
from tests.auth import signed_in
from tests.factories import UserFactory


def member(reference: str, pay: str, grade: str = "G1", **answers: str) -> StaffMember:
    found = StaffMember(
        reference=reference, body="staff", grade=grade, hourly_pay=Decimal(pay),
        started_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    found.set_answers(answers)
    found.save()
    return found


@pytest.fixture
def team(db: Any) -> None:
    """Men paid 20 and 20, women 15 and 17 (mean gap 4/20 = 20%, median 4/20 = 20%), a
    thirty-strong office of whom three are disabled, and one whose answers are unknown."""
    member("M1", "20.00", sex="male")
    member("M2", "20.00", sex="male")
    member("W1", "15.00", sex="female")
    member("W2", "17.00", sex="female")
    member("U1", "50.00")
    for number in range(30):
        member(f"O{number}", "12.00", grade="G0", disability="yes" if number < 3 else "no")


def test_pay_gap_is_measured_against_men_leaving_out_unknown_answers(team: None) -> None:
    rows = {r["category"]: r for r in compute(publishable=False)["pay"]["sex"]["overall"]}
    assert set(rows) == {"male", "female"}
    assert rows["male"]["reference"] == "male"
    assert rows["female"]["mean_gap"] == pytest.approx(0.2)
    assert rows["female"]["median_gap"] == pytest.approx(0.2)
    assert rows["female"]["mean_pay"] == pytest.approx(16.0)


def test_small_groups_are_withheld_from_published_results(team: None) -> None:
    internal = compute(publishable=False)
    published = compute(publishable=True)
    disabled = next(r for r in internal["profile"]["disability"]["rows"] if r["category"] == "yes")
    assert disabled["people"] == 3
    shown = {r["category"]: r for r in published["profile"]["disability"]["rows"]}
    assert shown["yes"]["people"] == "[c]"
    assert shown["yes"]["share"] == "[c]"
    # Pay of groups under ten is withheld too: two men, two women.
    pay = published["pay"]["sex"]["overall"]
    assert {r["mean_pay"] for r in pay} == {"[c]"}
    for tables in published["training"].values():
        for table in tables:
            for row in table["rows"]:
                assert row["n"] == "[c]" or row["n"] >= 10


def test_recruitment_funnel_counts_each_stage_of_those_reaching_the_one_before(db: Any) -> None:
    today = dt.date.today()
    for number, (stage, disability) in enumerate(
        [("applied", "yes")] * 8 + [("shortlisted", "yes")] * 2
        + [("applied", "no")] * 4 + [("interviewed", "no")] * 4 + [("appointed", "no")] * 2
    ):  # fmt: skip
        application = Application(reference=f"A{number}", applied_on=today, stage=stage)
        application.set_answers({"disability": disability})
        application.save()
    tables = compute(publishable=False)["funnel"]["disability"]
    shortlisted = {r["category"]: r for r in tables[0]["rows"]}
    assert tables[0]["indicator"] == "shortlisted_of_applied"
    assert shortlisted["yes"]["value"] == pytest.approx(2 / 10)
    assert shortlisted["no"]["value"] == pytest.approx(6 / 10)
    appointed = {r["category"]: r for r in tables[2]["rows"]}
    assert appointed["no"]["n"] == 6
    assert appointed["no"]["value"] == pytest.approx(2 / 6)


def test_hr_sees_counts_that_the_equality_lead_and_board_do_not(team: None) -> None:
    pages = {}
    for role in (Role.HR, Role.EQUALITY_LEAD, Role.BOARD):
        response = signed_in(UserFactory(role=role)).get("/workforce/")
        assert response.status_code == 200
        pages[role] = response.content.decode()
    assert "publishable results" not in pages[Role.HR]
    assert "publishable results" in pages[Role.BOARD]
    assert "[c]" in pages[Role.EQUALITY_LEAD]
    assert "[c]" not in pages[Role.HR]
    assert AuditEvent.objects.filter(action="analyse", target_type="workforce").exists()


def test_reading_a_staff_members_answers_is_audited(team: None) -> None:
    hr = UserFactory(role=Role.HR)
    response = signed_in(hr).get("/workforce/staff/W1/")
    assert response.status_code == 200
    assert "Female" in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=hr, action="view", target_type="staff", target_id="W1"
    ).exists()


def test_the_report_downloads_as_pdf_and_xlsx(team: None) -> None:
    client = signed_in(UserFactory(role=Role.BOARD))
    pdf = client.get("/workforce/report/?format=pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get("/workforce/report/?format=xlsx")
    assert xlsx.content.startswith(b"PK")
    assert client.get("/workforce/report/?format=doc").status_code == 400
