"""Referrals: consent before anything leaves, the outcome from the partner, and the referral
indicator fed from the record at each snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.stores import open_store
from equal_outcomes.sharing.models import Agreement, Disclosure, Referral
from equal_outcomes.sharing.referrals import referral_make
from equal_outcomes.sharing.services import NotShared
from equal_outcomes.sharing.tokens import token_create
from tests.auth import signed_in
from tests.factories import CustomerFactory
from tests.insight.conftest import empty_stores

pytestmark = pytest.mark.django_db
__all__ = ["empty_stores"]


def partner(lead: Any, fields: list[str] | None = None) -> Agreement:
    return Agreement.objects.create(
        partner="Citizens Advice Cymru", kind="partner", purpose="Money advice",
        lawful_basis="Consent", fields=fields or ["referral"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip


def form(customer: Any, agreement: Agreement, **overrides: str) -> dict[str, str]:
    data = {
        "customer_ref": customer.landlord_ref, "direction": "out", "agreement": str(agreement.pk),
        "need": "financial_hardship", "consent": "given", "consent_on_0": "18", "consent_on_1": "11",
        "consent_on_2": "2026", "referred_on_0": "19", "referred_on_1": "11", "referred_on_2": "2026",
    }  # fmt: skip
    return {**data, **overrides}


def test_a_referral_out_needs_consent_or_a_safeguarding_reason(lead: Any) -> None:
    customer = CustomerFactory()
    agreement = partner(lead)
    client = signed_in(lead)
    refused = client.post(
        reverse("sharing:referral_new"), form(customer, agreement, consent="safeguarding")
    )
    assert refused.status_code == 400
    assert "Give the safeguarding reason" in refused.content.decode()
    no_date = client.post(
        reverse("sharing:referral_new"), form(customer, agreement, consent_on_0="")
    )
    assert "Enter the date the customer agreed" in no_date.content.decode()
    assert not Referral.objects.exists()
    made = client.post(reverse("sharing:referral_new"), form(customer, agreement))
    referral = Referral.objects.get()
    assert made.url == reverse("sharing:referral", args=[referral.public_id])
    assert referral.need == "financial_hardship"
    assert list(Disclosure.objects.values_list("channel", "fields")) == [("referral", ["referral"])]


def test_no_referral_to_a_partner_whose_agreement_does_not_cover_it(lead: Any) -> None:
    with pytest.raises(NotShared, match="does not cover: referral"):
        referral_make(
            actor=lead, customer=CustomerFactory(), direction="out", agreement=partner(lead, ["address"]),
            need="bereavement", consent="given", consent_on=dt.date(2026, 11, 1),
            safeguarding_reason="", referred_on=dt.date(2026, 11, 2),
        )  # fmt: skip


def test_the_partner_reads_its_referrals_and_reports_the_outcome(lead: Any) -> None:
    customer = CustomerFactory(first_name="Dafydd", last_name="Rees")
    agreement = partner(lead)
    referral = referral_make(
        actor=lead, customer=customer, direction="out", agreement=agreement, need="financial_hardship",
        consent="given", consent_on=dt.date(2026, 11, 1), safeguarding_reason="",
        referred_on=dt.date(2026, 11, 2),
    )  # fmt: skip
    _, secret = token_create(
        actor=lead, agreement=agreement, name="cab", scopes=["referrals"], days=30
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    listed = Client().get("/api/referrals", **headers).json()
    assert [(r["name"], r["support_asked_for"], r["status"]) for r in listed] == [
        ("Dafydd Rees", "Financial hardship or poverty", "sent")
    ]
    answered = Client().post(
        f"/api/referrals/{referral.public_id}", {"status": "accepted", "outcome": "Benefits check booked"},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert answered.json()["status"] == "accepted"
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("accepted", "Benefits check booked")
    other = Client().post(
        "/api/referrals/00000000-0000-0000-0000-000000000000", {"status": "declined"},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert other.status_code == 404
    # A referral in from the partner, with the customer's consent.
    referred_in = Client().post(
        "/api/referrals", {"customer_ref": customer.landlord_ref, "need": "bereavement",
                           "consent_on": "2026-11-10", "referred_on": "2026-11-11"},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert referred_in.status_code == 202
    assert Referral.objects.get(direction="in").need == "bereavement"
    late_consent = Client().post(
        "/api/referrals", {"customer_ref": customer.landlord_ref, "need": "bereavement",
                           "consent_on": "2026-11-12", "referred_on": "2026-11-11"},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert late_consent.json() == {"detail": "consent must come before the referral"}


def test_referrals_feed_the_referral_indicator_at_each_snapshot(lead: Any) -> None:
    agreement = partner(lead)
    people = [CustomerFactory() for _ in range(3)]
    objector = CustomerFactory(objects_to_monitoring=True)
    for person, status in zip(
        [*people, objector], ["accepted", "declined", "sent", "accepted"], strict=True
    ):
        made = referral_make(
            actor=lead, customer=person, direction="out", agreement=agreement, need="bereavement",
            consent="given", consent_on=dt.date(2026, 11, 1), safeguarding_reason="",
            referred_on=dt.date(2026, 11, 2),
        )  # fmt: skip
        made.status = status
        made.save()
    call_command("snapshot", "--no-warm")
    with open_store(events_path(), read_only=True) as con:
        rows = con.execute(
            "SELECT accepted, count(*) FROM events WHERE event_type = 'referral' GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert rows == [(False, 1), (True, 1), (None, 1)]  # the objector is left out


def test_a_referral_in_answers_the_same_for_anyone_and_is_credited_to_the_partner(
    lead: Any,
) -> None:
    """The answer tells the partner nothing it did not send, so references cannot be tried in
    turn to find out who is a tenant and read their name and phone (issue 25, finding 7)."""
    customer = CustomerFactory(first_name="Dafydd", last_name="Rees", phone="07700 900123")
    agreement = partner(lead)
    token, secret = token_create(
        actor=lead, agreement=agreement, name="cab", scopes=["referrals"], days=30
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    answers = []
    for reference in (customer.landlord_ref, "C9999999", "nonsense"):
        response = Client().post(
            "/api/referrals", {"customer_ref": reference, "need": "bereavement",
                               "consent_on": "2026-11-10", "referred_on": "2026-11-11"},
            content_type="application/json", **headers,
        )  # fmt: skip
        answers.append((response.status_code, response.content))
    assert answers[0] == answers[1] == answers[2] == (202, b'{"status": "received"}')
    made = Referral.objects.get(direction="in")
    assert made.customer == customer
    assert (made.created_by, made.api_token) == (None, token)
    created = AuditEvent.objects.get(action="create", target_type="referral")
    assert created.actor is None
    assert created.actor_label == f"api:{token.prefix}"
    assert AuditEvent.objects.filter(target_type="referral", target_id="unmatched").count() == 2
