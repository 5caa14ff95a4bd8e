"""Nothing leaves without an active agreement that covers it; every disclosure is logged and
shown to the person in their subject access export; what contractors report back waits for
staff to confirm it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.customers.models import AdjustmentStatus, ReasonableAdjustment, SupportNeed
from equal_outcomes.privacy.dsar import subject_access_data
from equal_outcomes.sharing.models import Agreement, Disclosure, FieldReport, Job, ReportStatus
from equal_outcomes.sharing.services import NotShared, agreement_for, check, repeated_no_access
from tests.auth import signed_in
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)


@pytest.fixture
def contractor() -> Any:
    return UserFactory(username="operative", role=Role.CONTRACTOR)


def agreement(lead: Any, users: list[Any], job_at: Any = None, **overrides: Any) -> Agreement:
    """An agreement naming ``users``; with ``job_at``, an open job for it at that home."""
    values = {
        "partner": "Valleys Repairs Ltd",
        "kind": "contractor",
        "purpose": "Responsive repairs",
        "lawful_basis": "UK GDPR Art. 6(1)(b)",
        "fields": ["address", "instructions"],
        "starts_on": dt.date(2026, 1, 1),
        "expires_on": dt.date(2026, 12, 31),
        "review_on": dt.date(2026, 10, 1),
        "created_by": lead,
    }
    made = Agreement.objects.create(**{**values, **overrides})
    made.users.set(users)
    if job_at is not None:
        Job.objects.create(
            job_ref=f"J{made.pk}", property=job_at, agreement=made, opened_on=dt.date(2026, 11, 1)
        )
    return made


@pytest.fixture
def household(db: Any) -> Any:
    customer = CustomerFactory(first_name="Ceri", last_name="Morgan")
    ReasonableAdjustment.objects.create(
        customer=customer, adjustment="call_ahead_30", status=AdjustmentStatus.AGREED,
        details="Because of her condition", source="contact", recorded_at=NOW,
    )  # fmt: skip
    SupportNeed.objects.create(
        customer=customer, need="mental_health", details="Anxiety", source="contact",
        recorded_at=NOW, start_date=dt.date(2026, 1, 1), review_date=dt.date(2027, 1, 1),
    )  # fmt: skip
    return customer


def refusals() -> list[str]:
    return list(AuditEvent.objects.filter(action="share_refused").values_list("purpose", flat=True))


def test_sharing_outside_the_fields_or_after_expiry_is_refused_and_logged(
    lead: Any, contractor: Any
) -> None:
    made = agreement(lead, [contractor])
    with time_machine.travel(NOW):
        assert agreement_for(contractor, ["address", "instructions"]) == made
        with pytest.raises(NotShared, match="does not cover: names"):
            agreement_for(contractor, ["address", "names"])
    with (
        time_machine.travel(dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)),
        pytest.raises(NotShared, match="not in force"),
    ):
        agreement_for(contractor, ["address"])
    assert [r.split(":")[0] for r in refusals()] == [
        "Valleys Repairs Ltd",
        "Valleys Repairs Ltd",
    ]
    assert "names" in refusals()[0]
    with pytest.raises(NotShared, match="not a shareable field"):
        check(made, ["ethnicity"])  # no agreement can list a protected characteristic


def test_the_contractor_gets_the_job_pack_and_the_disclosure_is_logged(
    lead: Any, contractor: Any, household: Any
) -> None:
    home = household.household.property
    agreement(lead, [contractor], job_at=home)
    client = signed_in(contractor)
    with time_machine.travel(NOW, tick=True):
        page = client.get(reverse("sharing:job_pack", args=[home.property_ref]))
        pdf = client.get(reverse("sharing:job_pack", args=[home.property_ref]) + "?format=pdf")
    text = page.content.decode()
    assert "Call 30 minutes before arriving" in text
    assert home.address in text
    for never in ("Ceri", "Morgan", "Mental health", "Anxiety", "condition"):
        assert never not in text
    assert pdf.content.startswith(b"%PDF-")
    logged = list(Disclosure.objects.values_list("channel", "fields"))
    assert logged == [
        ("job_pack_pdf", ["address", "instructions"]),
        ("job_pack", ["address", "instructions"]),
    ]
    # The person sees it in their subject access export.
    export = subject_access_data(household)
    assert [(d["to"], d["what"], d["how"]) for d in export["disclosures"]] == [
        (
            "Valleys Repairs Ltd",
            ["Property address", "Visit instructions (what to do, never why)"],
            "job_pack",
        ),
        (
            "Valleys Repairs Ltd",
            ["Property address", "Visit instructions (what to do, never why)"],
            "job_pack_pdf",
        ),
    ]
    json.dumps(export)  # the JSON export can hold it


def test_no_agreement_no_job_pack(lead: Any, contractor: Any, household: Any) -> None:
    home = household.household.property
    agreement(lead, [contractor], job_at=home, revoked_at=NOW)
    with time_machine.travel(NOW, tick=True):
        response = signed_in(contractor).get(reverse("sharing:job_pack", args=[home.property_ref]))
    assert response.status_code == 403
    assert "This cannot be shared with you" in response.content.decode()
    assert "Call 30 minutes" not in response.content.decode()
    assert not Disclosure.objects.exists()
    assert refusals() == [
        "Valleys Repairs Ltd: the agreement has been revoked: address, instructions"
    ]


def test_a_reported_need_waits_for_staff_and_is_recorded_with_its_source(
    lead: Any, contractor: Any, household: Any, advisor: Any
) -> None:
    home = household.household.property
    agreement(lead, [contractor], job_at=home)
    with time_machine.travel(NOW, tick=True):
        sent = signed_in(contractor).post(
            reverse("sharing:report_back", args=[home.property_ref]),
            {"kind": "need", "visit_on_0": "20", "visit_on_1": "11", "visit_on_2": "2026",
             "suggested_need": "extra_time_at_door", "note": "Took a long time to reach the door"},
        )  # fmt: skip
    assert "Report sent" in sent.content.decode()
    report = FieldReport.objects.get()
    assert report.status == ReportStatus.PENDING
    assert not household.communication_needs.exists()  # nothing recorded until staff confirm
    staff = signed_in(advisor)
    waiting = staff.get(reverse("sharing:reports")).content.decode()
    assert "Allow more time to answer the door" in waiting
    staff.post(
        reverse("sharing:report_decide", args=[report.pk]),
        {"decision": "confirm", "customer": str(household.public_id)},
    )
    need = household.communication_needs.get()
    assert (need.need, need.source, need.recorded_by) == (
        "extra_time_at_door",
        "contractor_report",
        advisor,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED
    again = staff.post(reverse("sharing:report_decide", args=[report.pk]), {"decision": "confirm"})
    assert again.status_code == 400


def test_a_need_report_must_name_the_need(lead: Any, contractor: Any, household: Any) -> None:
    home = household.household.property
    agreement(lead, [contractor], job_at=home)
    with time_machine.travel(NOW, tick=True):
        response = signed_in(contractor).post(
            reverse("sharing:report_back", args=[home.property_ref]),
            {"kind": "need", "visit_on_0": "20", "visit_on_1": "11", "visit_on_2": "2026"},
        )
    assert response.status_code == 400
    assert "Choose the need you noticed" in response.content.decode()
    assert not FieldReport.objects.exists()


def test_repeated_no_access_is_flagged_only_where_someone_is_vulnerable(
    lead: Any, contractor: Any, household: Any
) -> None:
    made = agreement(lead, [contractor])
    home = household.household.property
    other = CustomerFactory().household.property
    for visit in (dt.date(2026, 6, 1), dt.date(2026, 9, 1)):
        for place in (home, other):
            FieldReport.objects.create(
                agreement=made,
                property=place,
                kind="no_access",
                visit_on=visit,
                reported_by=contractor,
            )
    assert repeated_no_access(dt.date(2026, 11, 21)) == {home.pk}
    assert repeated_no_access(dt.date(2027, 8, 1)) == set()  # the first visit is over a year ago


@time_machine.travel(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC))
def test_what_a_contractor_noticed_and_the_welfare_flag_reach_only_roles_that_may_read_them(
    lead: Any, contractor: Any, household: Any, advisor: Any, officer: Any
) -> None:
    """Issue 25, finding 10: advisors read contractors' notes unaudited, and the welfare flag
    (someone in this home has a support need) was listed for every area to every officer."""
    made = agreement(lead, [contractor])
    home = household.household.property
    mine = CustomerFactory(household__property__estate__area=officer.areas.first())
    SupportNeed.objects.create(
        customer=mine, need="bereavement", details="", source="contact", recorded_at=NOW,
        start_date=dt.date(2026, 1, 1), review_date=dt.date(2027, 1, 1),
    )  # fmt: skip
    for place in (home, mine.household.property):
        for visit in (dt.date(2026, 6, 1), dt.date(2026, 9, 1)):
            FieldReport.objects.create(
                agreement=made, property=place, kind="no_access", visit_on=visit,
                reported_by=contractor, note="Smelled of damp, tenant seemed frightened",
            )  # fmt: skip
    url = reverse("sharing:reports")
    seen = {who: signed_in(user).get(url).content.decode() for who, user in
            (("advisor", advisor), ("officer", officer), ("lead", lead))}  # fmt: skip
    assert "seemed frightened" not in seen["advisor"]
    assert "check on their welfare" not in seen["advisor"]
    assert home.property_ref not in seen["officer"], "another area's home"
    assert mine.household.property.property_ref in seen["officer"]
    assert "seemed frightened" in seen["officer"]
    assert home.property_ref in seen["lead"]
    assert mine.household.property.property_ref in seen["lead"]
    notes_read = AuditEvent.objects.filter(target_type="field_report", section="note")
    assert set(notes_read.values_list("actor_label", flat=True)) == {
        officer.username,
        lead.username,
    }
    assert not notes_read.filter(actor=advisor).exists()


def test_why_an_adjustment_was_refused_is_shown_only_to_roles_that_may_read_it(
    lead: Any, advisor: Any
) -> None:
    customer = CustomerFactory()
    ReasonableAdjustment.objects.create(
        customer=customer, adjustment="call_ahead_30", status=AdjustmentStatus.REFUSED,
        refusal_reason="Emergency repairs cannot wait for her carer", source="contact",
        recorded_at=NOW,
    )  # fmt: skip
    url = reverse("customers:record", args=[customer.public_id])
    assert "cannot wait for her carer" not in signed_in(advisor).get(url).content.decode()
    assert "cannot wait for her carer" in signed_in(lead).get(url).content.decode()
    assert AuditEvent.objects.filter(actor=lead, section="adjustments").exists()


def test_a_refused_token_request_says_why_on_a_page_and_echoes_no_markup(lead: Any) -> None:
    """Issue 25, finding 13: the error text was sent back as the page itself, markup and all."""
    made = agreement(lead, [], expires_on=dt.date(2099, 1, 1))
    response = signed_in(lead).post(
        reverse("sharing:agreement", args=[made.pk]),
        {"make_token": "1", "scopes": ["job_packs"], "days": "<b>ninety</b>"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<b>ninety</b>" not in page
    assert "&lt;b&gt;ninety&lt;/b&gt;" in page
    assert "govuk-error-summary" in page
    assert reverse("sharing:agreement", args=[made.pk]) in page  # a way back
