"""Over a rate limit, pages answer 429 with Retry-After, never 5xx, and others are unaffected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from tests.auth import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts() -> Any:
    cache.clear()
    yield
    cache.clear()


@override_settings(EQUAL_OUTCOMES_SEARCH_PER_MINUTE=3)
def test_searching_past_the_limit_is_refused_with_429_for_that_user_only() -> None:
    advisor = signed_in(UserFactory(role=Role.ADVISOR))
    url = reverse("customers:search")
    statuses = [advisor.post(url, {"query": "Jones"}).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    refused = advisor.post(url, {"query": "Jones"})
    assert refused["Retry-After"] == "60"
    assert "Too many requests" in refused.content.decode()
    other = signed_in(UserFactory(role=Role.ADVISOR))
    assert other.post(url, {"query": "Jones"}).status_code == 200


@override_settings(EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE=4)
def test_sign_in_attempts_from_one_address_are_limited_across_usernames() -> None:
    client = Client()
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": f"guess{n}", "password": "wrong"}).status_code
        for n in range(6)
    ]
    assert max(statuses[:4]) < 500
    assert 429 not in statuses[:4]
    assert statuses[4:] == [429, 429]


@override_settings(EQUAL_OUTCOMES_EXPORTS_PER_HOUR=2)
def test_exports_and_reports_share_one_hourly_limit(lead: Any) -> None:
    client = signed_in(lead)
    url = reverse("sharing:export_customers")
    assert client.post(url, {"format": "csv"}).status_code == 200
    assert client.post(url, {"format": "csv"}).status_code == 200
    assert client.post(url, {"format": "csv"}).status_code == 429
    assert client.get(reverse("workforce:report") + "?format=html").status_code == 429
