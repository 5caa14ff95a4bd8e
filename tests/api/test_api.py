"""The API as a partner's system uses it: tokens scoped to one agreement, its fields only,
every call audited, rate-limited, and a clear 4xx for anything wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from equal_outcomes.api.views import api
from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.customers.models import AdjustmentStatus, ReasonableAdjustment
from equal_outcomes.sharing.models import Agreement, Disclosure, FieldReport, Job
from equal_outcomes.sharing.tokens import token_create, token_revoke
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def make_agreement(
    lead: Any, kind: str = "contractor", fields: list[str] | None = None, job_at: Any = None
) -> Agreement:
    """An agreement; with ``job_at``, an open job for it at that home."""
    made = Agreement.objects.create(
        partner="Valleys Repairs Ltd" if kind == "contractor" else "Housing system",
        kind=kind, purpose="Repairs", lawful_basis="Contract",
        fields=fields or ["address", "instructions"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip
    if job_at is not None:
        Job.objects.create(
            job_ref=f"J{made.pk}", property=job_at, agreement=made, opened_on=dt.date(2020, 1, 1)
        )
    return made


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(url: str, body: Any, secret: str) -> Any:
    return Client().post(url, body, content_type="application/json", **bearer(secret))


@pytest.fixture
def home(db: Any) -> Any:
    customer = CustomerFactory(first_name="Ceri")
    ReasonableAdjustment.objects.create(
        customer=customer, adjustment="do_not_visit_alone", status=AdjustmentStatus.AGREED,
        details="Violent ex-partner", source="contact", recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return customer.household.property


def test_without_a_usable_token_nothing_is_returned(lead: Any, home: Any) -> None:
    url = f"/api/job-packs/{home.property_ref}"
    missing = Client().get(url)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == "Bearer"
    assert missing.json() == {"detail": "a valid, unexpired token is needed"}
    token, secret = token_create(
        actor=lead,
        agreement=make_agreement(lead, job_at=home),
        name="t",
        scopes=["reports"],
        days=30,
    )
    assert Client().get(url, **bearer(secret)).status_code == 403  # no job-pack scope
    token_revoke(actor=lead, token=token)
    assert Client().get(url, **bearer(secret)).status_code == 401
    assert Client().get(url, **bearer("made-up-token")).status_code == 401
    calls = AuditEvent.objects.filter(action="api").order_by("pk")
    assert [(e.actor_label, e.purpose) for e in calls] == [
        ("api:unknown", "GET 401"),
        (f"api:{secret[:8]}", "GET 403"),
        ("api:unknown", "GET 401"),
        ("api:unknown", "GET 401"),
    ]


def test_a_job_pack_holds_the_agreements_fields_and_the_call_is_logged(
    lead: Any, home: Any
) -> None:
    agreement = make_agreement(lead, job_at=home)
    _, secret = token_create(
        actor=lead, agreement=agreement, name="t", scopes=["job_packs"], days=30
    )
    response = Client().get(f"/api/job-packs/{home.property_ref}", **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["address"] == home.address
    assert body["instructions"] == [
        {
            "code": "do_not_visit_alone",
            "text": "Do not visit alone",
            "alert_code": "NoVisitAlone",
            "alert_type_code": "10",  # UK Housing Data Standards 3.5 (issue 28, item 15)
        }
    ]
    assert [r["name"] for r in body["residents"]] == [""]  # names are not in the agreement
    assert "Violent" not in response.content.decode()
    assert list(Disclosure.objects.values_list("channel", flat=True)) == ["api"]
    assert AuditEvent.objects.filter(action="api", purpose="GET 200").count() == 1
    assert Client().get("/api/job-packs/NOWHERE", **bearer(secret)).status_code == 404


def test_reports_back_are_validated_and_wait_for_staff(lead: Any, home: Any) -> None:
    _, secret = token_create(
        actor=lead,
        agreement=make_agreement(lead, job_at=home),
        name="t",
        scopes=["reports"],
        days=30,
    )

    def post(body: Any) -> Any:
        return post_json("/api/reports", body, secret)

    made = post({"property_ref": home.property_ref, "kind": "no_access", "visit_on": "2026-11-20"})
    assert made.status_code == 201
    assert made.json()["status"] == "pending"
    assert FieldReport.objects.get().kind == "no_access"
    bad = post({"property_ref": home.property_ref, "kind": "burglary", "visit_on": "2026-11-20"})
    assert bad.status_code == 422
    assert "kind" in bad.json()["detail"]
    assert (
        post(
            {"property_ref": home.property_ref, "kind": "need", "visit_on": "2026-11-20"}
        ).status_code
        == 422
    )
    assert post({"property_ref": home.property_ref, "kind": "need", "visit_on": "2026-11-20",
                 "suggested_need": "telepathy"}).json()["detail"] == "unknown communication need 'telepathy'"  # fmt: skip
    assert (
        post({"property_ref": "NOWHERE", "kind": "no_access", "visit_on": "2026-11-20"}).status_code
        == 404
    )
    assert post("{not json").status_code in {400, 422}
    nul = post({"property_ref": home.property_ref, "kind": "no_access", "visit_on": "2026-11-20",
                "note": "a\x00b"})  # fmt: skip
    assert nul.status_code == 422  # PostgreSQL cannot store NUL: refused, not a server error
    assert Client().get("/api/job-packs/P%00", **bearer(secret)).status_code == 400
    assert Client().get("/sharing/job-packs/?property_ref=%00").status_code == 400


def test_profile_updates_come_only_from_the_landlords_systems_and_never_go_back_in_time(
    lead: Any,
) -> None:
    contractor = make_agreement(lead)
    with pytest.raises(ValueError, match="only the landlord's own systems"):
        token_create(
            actor=lead, agreement=contractor, name="t", scopes=["profile_updates"], days=30
        )
    system = make_agreement(lead, kind="system", fields=["address"])
    _, secret = token_create(
        actor=lead, agreement=system, name="hms", scopes=["profile_updates"], days=30
    )
    customer = CustomerFactory(landlord_ref="C0001234")
    record_answer(
        lead,
        customer,
        "ethnicity",
        "white_british",
        recorded_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    )

    def post(body: Any) -> Any:
        return post_json("/api/profile-updates", body, secret)

    older = post({"customer_ref": "C0001234", "characteristic": "ethnicity", "codes": ["white_irish"],
                  "recorded_at": "2025-01-01T10:00:00Z"})  # fmt: skip
    assert older.json()["outcome"] == "older_than_held"
    newer = post({"customer_ref": "C0001234", "characteristic": "ethnicity", "codes": ["white_irish"],
                  "recorded_at": "2026-11-01T10:00:00Z", "touchpoint": "contact"})  # fmt: skip
    assert newer.json()["outcome"] == "recorded"
    assert customer.answers.get(is_current=True).value == "white_irish"
    bad = post({"customer_ref": "C0001234", "characteristic": "ethnicity", "codes": ["martian"]})
    assert bad.status_code == 422
    assert (
        post(
            {"customer_ref": "C0001234", "characteristic": "star_sign", "codes": ["leo"]}
        ).status_code
        == 422
    )
    assert post({"customer_ref": "NOBODY", "characteristic": "ethnicity"}).status_code == 404


def test_each_token_is_rate_limited(lead: Any, home: Any, monkeypatch: Any) -> None:
    _, secret = token_create(
        actor=lead,
        agreement=make_agreement(lead, job_at=home),
        name="t",
        scopes=["job_packs"],
        days=30,
    )
    throttle = api.throttle[0]  # type: ignore[index]
    monkeypatch.setattr(throttle, "num_requests", 3)
    codes = [
        Client().get(f"/api/job-packs/{home.property_ref}", **bearer(secret)).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert AuditEvent.objects.filter(action="api", purpose="GET 429").count() == 2


def test_the_description_and_docs_are_served_without_downloads(db: Any) -> None:
    spec = Client().get("/api/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/job-packs/{property_ref}",
        "/api/reports",
        "/api/jobs",
        "/api/profile-updates",
        "/api/referrals",
        "/api/referrals/{referral_id}",
    }
    docs = Client().get("/api/docs").content.decode()
    assert "cdn" not in docs.lower()


def test_the_lead_makes_a_token_on_the_agreement_page_and_sees_it_once(
    lead: Any, home: Any
) -> None:
    from tests.auth import signed_in

    agreement = make_agreement(lead, job_at=home)
    client = signed_in(lead)
    page = client.post(
        f"/sharing/agreements/{agreement.pk}/",
        {"make_token": "1", "token_name": "Repairs system", "scopes": ["job_packs"], "days": "30"},
    )
    secret = page.content.decode().split('id="token-secret">')[1].split("<")[0]
    assert Client().get(f"/api/job-packs/{home.property_ref}", **bearer(secret)).status_code == 200
    again = client.get(f"/sharing/agreements/{agreement.pk}/").content.decode()
    assert secret not in again
    assert secret[:8] in again
    client.post(f"/sharing/agreements/{agreement.pk}/", {"revoke_token": secret[:8]})
    assert Client().get(f"/api/job-packs/{home.property_ref}", **bearer(secret)).status_code == 401
    refused = client.post(
        f"/sharing/agreements/{agreement.pk}/",
        {"make_token": "1", "scopes": ["profile_updates"], "days": "30"},
    )
    assert refused.status_code == 400


@override_settings(EQUAL_OUTCOMES_API_FAILURES_PER_MINUTE=3)
def test_calls_with_made_up_tokens_are_limited_per_address_and_recorded_once(
    lead: Any,
) -> None:
    """Issue 25, finding 13: each call with a bad token wrote an audit row, without limit."""
    cache.clear()
    statuses = [
        Client()
        .get("/api/job-packs/P1", REMOTE_ADDR="203.0.113.9", **bearer(f"guess-{n}"))
        .status_code
        for n in range(10)
    ]
    assert statuses == [401] * 3 + [429] * 7
    assert AuditEvent.objects.filter(actor_label="api:unknown").count() == 3
    # Another address, and a caller with a usable token, are not held up.
    other = Client().get("/api/job-packs/P1", REMOTE_ADDR="198.51.100.1", **bearer("x"))
    assert other.status_code == 401
    cache.clear()
