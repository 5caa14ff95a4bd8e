"""People's rights over their data: access, rectification, objection, erasure, retention;
and emergency access to records outside a housing officer's areas."""

from __future__ import annotations

import datetime as dt
import json
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.customers.models import (
    Customer,
    ProfileAnswer,
    RestrictedDetails,
    SupportNeed,
    Tenancy,
)
from equal_outcomes.customers.selectors import customer_record, customers_for_analysis
from equal_outcomes.privacy import rights
from equal_outcomes.privacy.dsar import subject_access_data
from equal_outcomes.privacy.retention import retention_run
from tests.auth import signed_in
from tests.factories import (
    CustomerFactory,
    HouseholdFactory,
    PropertyFactory,
    SupportNeedFactory,
    record_answer,
)
from tests.insight.test_reports import poppler

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(lead: Any, officer: Any) -> tuple[Customer, Customer]:
    """Two people in one home: one fled abuse and has a safe address; the other does not."""
    home = HouseholdFactory(property=PropertyFactory(estate__area=officer.areas.first()))
    alice = CustomerFactory(household=home, first_name="Alys", last_name="Morgan")
    bryn = CustomerFactory(household=home, first_name="Bryn", last_name="Morgan")
    record_answer(lead, alice, "religion", "christian")
    record_answer(lead, alice, "religion", "none")
    record_answer(lead, bryn, "sexual_orientation", "gay_lesbian")
    SupportNeedFactory(customer=alice, need="domestic_abuse", details="Left in March")
    rights.restricted_details_record(
        actor=officer,
        customer=alice,
        safe_address="Flat 9, Quiet Street",
        gender_history="Transitioned 2015",
    )
    return alice, bryn


def test_subject_access_holds_everything_about_the_person_with_history(
    household: tuple[Customer, Customer],
) -> None:
    alice, _ = household
    when = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        data = subject_access_data(alice)
    assert data["generated_at"] == when.isoformat()
    religion = [row for row in data["profile"] if row["question"] == "Religion or belief"]
    assert [(row["answer"], row["current"]) for row in religion] == [
        (["Christian (all denominations)"], False),
        (["No religion"], True),
    ]
    assert data["support_needs"][0]["details"] == "Left in March"
    assert data["restricted_details"] == {"held": True, "added_by": "Housing officer"}
    assert data["person"]["first_name"] == "Alys"


def test_subject_access_holds_nothing_about_anyone_else(
    household: tuple[Customer, Customer], lead: Any
) -> None:
    _alice, bryn = household
    text = json.dumps(subject_access_data(bryn))
    for other in ("Alys", "Quiet Street", "Transitioned", "Left in March", "No religion"):
        assert other not in text
    assert "Gay or lesbian" in text
    assert lead.username not in text, "staff appear by role only"
    assert "Leila" not in text
    assert "Equality and data lead" in text


def test_the_dsar_command_writes_json_and_pdf_readable_only_by_the_owner(
    household: tuple[Customer, Customer], tmp_path: Path
) -> None:
    alice, _ = household
    call_command("dsar", alice.landlord_ref, out=tmp_path / "alys.json")
    data = json.loads((tmp_path / "alys.json").read_text())
    assert data["person"]["customer_reference"] == alice.landlord_ref
    call_command("dsar", alice.landlord_ref, out=tmp_path / "alys.pdf")
    pdf = (tmp_path / "alys.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000
    assert stat.S_IMODE((tmp_path / "alys.pdf").stat().st_mode) == 0o600
    assert AuditEvent.objects.filter(action="subject_access", section="all").count() == 2
    with pytest.raises(CommandError, match="no customer"):
        call_command("dsar", "NOPE", out=tmp_path / "x.json")


def test_the_lead_downloads_a_subject_access_export_from_the_record(
    household: tuple[Customer, Customer], lead: Any
) -> None:
    alice, _ = household
    url = reverse("privacy:subject_access", args=[alice.public_id])
    response = signed_in(lead).post(url, {"format": "json"})
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["person"]["first_name"] == "Alys"
    assert signed_in(lead).post(url, {"format": "docx"}).status_code == 400


def test_the_leads_export_says_restricted_details_are_held_without_holding_them(
    household: tuple[Customer, Customer], lead: Any, tmp_path: Path
) -> None:
    """Only the area's housing officer may read a safe address (issue 25, finding 6)."""
    alice, _ = household
    url = reverse("privacy:subject_access", args=[alice.public_id])
    web = signed_in(lead).post(url, {"format": "json"}).content.decode()
    call_command("dsar", alice.landlord_ref, out=tmp_path / "alys.json")
    for export in (web, (tmp_path / "alys.json").read_text()):
        assert "Quiet Street" not in export
        assert "Transitioned" not in export
        assert json.loads(export)["restricted_details"]["held"] is True
    pdf = signed_in(lead).post(url, {"format": "pdf"}).content
    text = subprocess.run(
        [poppler("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Only your housing officer may read them" in " ".join(text.split())
    assert "Quiet Street" not in text


def test_the_areas_housing_officer_produces_the_restricted_part(
    household: tuple[Customer, Customer], officer: Any
) -> None:
    alice, _ = household
    url = reverse("privacy:subject_access", args=[alice.public_id])
    client = signed_in(officer)
    assert "only you, as their housing officer" in client.get(url).content.decode()
    response = client.post(url, {"format": "json"})
    assert response.status_code == 200
    assert "restricted" in response["Content-Disposition"]
    part = json.loads(response.content)
    assert part["restricted_details"] == {
        "safe_address": "Flat 9, Quiet Street",
        "gender_history": "Transitioned 2015",
    }
    assert "first_name" not in part["person"]
    assert AuditEvent.objects.filter(
        actor=officer, action="subject_access", section="restricted"
    ).exists()
    assert client.post(url, {"format": "pdf"}).content.startswith(b"%PDF")


def test_rectification_changes_details_and_keeps_the_old_value(
    household: tuple[Customer, Customer], advisor: Any
) -> None:
    alice, _ = household
    url = reverse("privacy:correct", args=[alice.public_id])
    form = {
        "first_name": "Alys",
        "last_name": "Morgan-Price",
        "date_of_birth": alice.date_of_birth.strftime("%d/%m/%Y"),
        "email": alice.email,
        "phone": alice.phone,
        "reason": "Married; customer phoned to update",
    }
    response = signed_in(advisor).post(url, form)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.last_name == "Morgan-Price"
    corrections = subject_access_data(alice)["corrections"]
    assert [(c["detail"], c["previous_value"], c["new_value"]) for c in corrections] == [
        ("last_name", "Morgan", "Morgan-Price")
    ]


def test_rectification_without_a_reason_shows_an_error_summary(
    household: tuple[Customer, Customer], advisor: Any
) -> None:
    alice, _ = household
    url = reverse("privacy:correct", args=[alice.public_id])
    response = signed_in(advisor).post(url, {"first_name": "", "last_name": "X", "reason": ""})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Give the reason" in response.content
    alice.refresh_from_db()
    assert alice.last_name == "Morgan"


def test_an_objection_leaves_the_person_out_of_analysis(
    household: tuple[Customer, Customer], advisor: Any
) -> None:
    alice, bryn = household
    signed_in(advisor).post(
        reverse("privacy:objection", args=[alice.public_id]), {"objects": "yes"}
    )
    assert set(customers_for_analysis()) == {bryn}
    assert AuditEvent.objects.filter(action="objection", target_id=str(alice.public_id)).exists()
    rights.objection_record(
        actor=advisor, customer=Customer.objects.get(pk=alice.pk), objects=False
    )
    assert set(customers_for_analysis()) == {alice, bryn}


def test_erasure_removes_everything_and_leaves_an_anonymous_row(
    household: tuple[Customer, Customer], lead: Any, advisor: Any
) -> None:
    alice, bryn = household
    with pytest.raises(PermissionDenied):
        rights.customer_erase(actor=advisor, customer=alice, reason="not allowed to do this")
    response = signed_in(lead).post(
        reverse("privacy:erase", args=[alice.public_id]),
        {"reason": "Article 17 request DP-42", "confirm": "on"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.first_name == ""
    assert alice.date_of_birth is None
    assert alice.household is None
    assert not ProfileAnswer.objects.filter(customer=alice).exists()
    assert not SupportNeed.objects.filter(customer=alice).exists()
    assert not RestrictedDetails.objects.filter(customer=alice).exists()
    assert alice not in customers_for_analysis()
    assert (
        signed_in(lead).get(reverse("customers:record", args=[alice.public_id])).status_code == 404
    )
    assert ProfileAnswer.objects.filter(customer=bryn).exists(), "nobody else is touched"


def test_the_safe_address_is_shown_only_to_the_housing_officer(
    household: tuple[Customer, Customer], lead: Any, officer: Any
) -> None:
    alice, bryn = household
    url = reverse("customers:record", args=[alice.public_id])
    assert b"Quiet Street" in signed_in(officer).get(url).content
    form = signed_in(officer).get(reverse("privacy:restricted", args=[alice.public_id]))
    assert b"Quiet Street" in form.content
    assert AuditEvent.objects.filter(section="restricted", action="view").count() == 2
    assert b"Quiet Street" not in signed_in(lead).get(url).content
    assert (
        b"Quiet Street"
        not in signed_in(officer).get(reverse("customers:record", args=[bryn.public_id])).content
    )


class TestEmergencyAccess:
    @pytest.fixture
    def elsewhere(self, lead: Any) -> Customer:
        customer = CustomerFactory(landlord_ref="C0009999", first_name="Elin")
        SupportNeedFactory(customer=customer, confidentiality="highly_restricted", details="x")
        RestrictedDetails.objects.create(
            customer=customer, safe_address="Secret Refuge", recorded_at=timezone.now()
        )
        return customer

    def test_an_officer_opens_a_record_outside_their_areas_with_a_reason(
        self, officer: Any, elsewhere: Customer
    ) -> None:
        client = signed_in(officer)
        url = reverse("customers:record", args=[elsewhere.public_id])
        assert client.get(url).status_code == 404
        response = client.post(
            reverse("privacy:emergency_access"),
            {"landlord_ref": "c0009999", "reason": "Burst pipe out of hours, tenant not answering"},
        )
        assert response.status_code == 302
        assert response.url == url
        page = client.get(url)
        assert page.status_code == 200
        assert b"Emergency access until" in page.content
        assert b"Secret Refuge" not in page.content, "the most restricted data stays hidden"
        assert page.context["record"].support_needs == []
        assert AuditEvent.objects.filter(action="emergency_access").count() == 1
        assert AuditEvent.objects.filter(action="view", purpose="emergency access").exists()
        restricted = client.get(reverse("privacy:restricted", args=[elsewhere.public_id]))
        assert restricted.status_code == 403

    def test_emergency_access_reads_the_profile_but_cannot_change_it(
        self, officer: Any, elsewhere: Customer
    ) -> None:
        """Issue 25, finding 13: under emergency access the profile form still saved."""
        rights.emergency_access_grant(
            actor=officer, landlord_ref="C0009999", reason="Gas leak reported, no answer"
        )
        client = signed_in(officer)
        url = reverse("collection:profile", args=[elsewhere.public_id])
        assert client.get(url).status_code == 403
        form = {"touchpoint": "contact", "religion": "none", "step": "save"}
        assert client.post(url, form).status_code == 403
        assert not ProfileAnswer.objects.filter(customer=elsewhere).exists()

    def test_the_grant_expires(self, officer: Any, elsewhere: Customer) -> None:
        rights.emergency_access_grant(
            actor=officer, landlord_ref="C0009999", reason="Fire alarm, need contact details"
        )
        url = reverse("customers:record", args=[elsewhere.public_id])
        assert signed_in(officer).get(url).status_code == 200
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
            assert signed_in(officer).get(url).status_code == 404

    def test_a_reason_is_required(self, officer: Any, elsewhere: Customer) -> None:
        response = signed_in(officer).post(
            reverse("privacy:emergency_access"), {"landlord_ref": "C0009999", "reason": "urgent"}
        )
        assert b"Give the reason in at least 10 characters" in response.content
        with pytest.raises(ValidationError):
            rights.emergency_access_grant(actor=officer, landlord_ref="C0009999", reason="  ")

    def test_other_roles_cannot_break_the_glass(self, advisor: Any, elsewhere: Customer) -> None:
        with pytest.raises(PermissionDenied):
            rights.emergency_access_grant(
                actor=advisor, landlord_ref="C0009999", reason="I would like to see it"
            )


class TestRetention:
    def test_expired_pregnancy_answers_ended_needs_and_former_customers_go(self, lead: Any) -> None:
        now = timezone.now()
        pregnant = CustomerFactory()
        with time_machine.travel(now - dt.timedelta(days=200)):
            record_answer(lead, pregnant, "pregnancy_maternity", "pregnant")
        record_answer(lead, pregnant, "religion", "buddhist")
        ended = SupportNeedFactory(
            start_date=now.date() - dt.timedelta(days=900),
            review_date=now.date() - dt.timedelta(days=800),
            end_date=now.date() - dt.timedelta(days=400),
        )
        current = SupportNeedFactory()
        former = CustomerFactory()
        Tenancy.objects.create(
            tenancy_ref="T-OLD",
            household=former.household,
            property=former.household.property,
            start_date=now.date() - dt.timedelta(days=3000),
            end_date=now.date() - dt.timedelta(days=800),
        )
        record_answer(lead, former, "ethnicity", "white_british")
        SupportNeedFactory(customer=former)

        dry = {r.rule: r.deleted for r in retention_run(dry_run=True)}
        assert dry == {
            "expired_answers": 1, "ended_needs": 1, "former_customers": 2,
            "emergency_access": 0, "invitations": 0, "drafts": 0, "closed_referrals": 0,
            "decided_reports": 0, "import_reports": 0,
            "applications": 0, "survey_responses": 0, "former_staff": 0,
        }  # fmt: skip
        assert ProfileAnswer.objects.count() == 3, "a dry run changes nothing"

        done = {r.rule: r.deleted for r in retention_run(dry_run=False)}
        assert done == dry
        assert list(ProfileAnswer.objects.values_list("characteristic", flat=True)) == ["religion"]
        assert set(SupportNeed.objects.all()) == {current}
        assert not SupportNeed.objects.filter(pk=ended.pk).exists()
        assert AuditEvent.objects.filter(action="retention").count() == len(dry)
        assert set({r.rule: r.deleted for r in retention_run(dry_run=False)}.values()) == {0}

    def test_the_retention_command_reports_what_it_would_do(self, lead: Any, capsys: Any) -> None:
        call_command("retention", "run", "--dry-run")
        out = capsys.readouterr().out
        assert "Would delete" in out
        assert "former_customers" in out


def test_staff_see_who_viewed_a_record(
    household: tuple[Customer, Customer], lead: Any, officer: Any
) -> None:
    alice, _ = household
    customer_record(user=lead, customer=alice, purpose="record page")
    page = signed_in(officer).get(reverse("customers:access_log", args=[alice.public_id]))
    assert page.status_code == 200
    assert b"leila" in page.content
    assert b"record page" in page.content
