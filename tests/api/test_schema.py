"""Schemathesis against the OpenAPI description: generated requests, valid and not, to every
operation with a token that may use them all. No server errors, and every response as the
description says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from equal_outcomes.api.views import api
from equal_outcomes.sharing.models import Agreement
from equal_outcomes.sharing.tokens import token_create
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db
CROSS_FIELD_RULES = {
    "a date is in the future",
    "consent must come before the referral",
    "the visit date is in the future",
    "closed_on: a job cannot close before it opens",
}


@pytest.fixture
def kept_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request; Django's test client
    stops it doing so, and so must a test that calls the app directly (the test's transaction
    lives on that connection)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def everything_token(db: Any, monkeypatch: Any) -> dict[str, str]:
    cache.clear()
    monkeypatch.setattr(api.throttle[0], "num_requests", 100_000)  # type: ignore[index]
    lead = UserFactory(role="equality_lead")
    agreement = Agreement.objects.create(
        partner="Housing system", kind="system", purpose="Integration", lawful_basis="Public task",
        fields=["address", "instructions", "names", "phone", "language", "referral"],
        starts_on=dt.date(2020, 1, 1), expires_on=dt.date(2099, 1, 1),
        review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip
    CustomerFactory(landlord_ref="C1")
    _, secret = token_create(
        actor=lead, agreement=agreement, name="schemathesis",
        scopes=["job_packs", "reports", "profile_updates", "referrals", "jobs"], days=1,
    )  # fmt: skip
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_keeps_to_its_description(
    everything_token: dict[str, str], kept_connection: None
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def keeps_to_it(case: Any) -> None:
            response = case.call(headers=everything_token)
            # Rules across fields (consent before the referral, no date in the future) cannot
            # be written in the description: those answers are 422 with their reason, and all
            # else is checked as for any answer.
            crosses_fields = (
                response.status_code == 422 and response.json()["detail"] in CROSS_FIELD_RULES
            )
            case.validate_response(
                response,
                headers=everything_token,
                excluded_checks=[positive_data_acceptance] if crosses_fields else None,
            )

        keeps_to_it()
