"""Over a rate limit, pages answer 429 with Retry-After, never 5xx, and others are unaffected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from tests.auth import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts() -> Any:
    """No counts from before, and the clock held still: a limit counts within a fixed window
    (a minute or an hour), and a test that ran across the window's end started counting again
    halfway and failed now and then."""
    cache.clear()
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False):
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


PROXY = "10.0.0.2"  # the reverse proxy every request comes through


def through_proxy(client_address: str, *spoofed: str) -> dict[str, str]:
    """What the app sees of a request the proxy passed on: the proxy's own address, and the
    client's appended to whatever X-Forwarded-For the client sent."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ", ".join([*spoofed, client_address])}


@override_settings(EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE=4, EQUAL_OUTCOMES_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_limits_count_each_client_not_the_proxy(lead: Any) -> None:
    """Issue 25, finding 12: behind a proxy, 31 sign-ins from different people locked everyone
    out, the lead included, since every request seemed to come from the proxy."""
    url = reverse("accounts:login")
    for number in range(8):
        guess = Client().post(
            url, {"username": f"guess{number}", "password": "wrong"},
            **through_proxy(f"203.0.113.{number}"),
        )  # fmt: skip
        assert guess.status_code == 200
    signed = Client().post(
        url, {"username": "leila", "password": "correct horse battery"},
        **through_proxy("198.51.100.9"),
    )  # fmt: skip
    assert signed.status_code == 302
    # One client is still limited, whatever it puts in X-Forwarded-For itself.
    attacker = [
        Client().post(
            url, {"username": f"try{number}", "password": "wrong"},
            **through_proxy("192.0.2.66", f"192.0.2.{number}"),
        ).status_code
        for number in range(6)
    ]  # fmt: skip
    assert attacker[4:] == [429, 429]


@override_settings(EQUAL_OUTCOMES_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_lock_out_records_the_clients_address(lead: Any) -> None:
    for _ in range(2):
        Client().post(
            reverse("accounts:login"), {"username": "leila", "password": "wrong"},
            **through_proxy("203.0.113.50"),
        )  # fmt: skip
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}
