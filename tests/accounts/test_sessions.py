"""A copy of the database holds no session to replay and no authenticator secret to make codes
with (issue 25, finding 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from equal_outcomes.accounts.services import totp_device, totp_secret
from tests.auth import signed_in

pytestmark = pytest.mark.django_db


def stored_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session")
        return [row[0] for row in cursor.fetchall()]


def test_a_session_key_read_from_the_database_does_not_sign_anyone_in(lead: Any) -> None:
    client = signed_in(lead)
    assert client.get(reverse("customers:search")).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    keys = stored_keys()
    assert keys
    assert cookie not in keys
    for key in keys:
        thief = Client()
        thief.cookies[settings.SESSION_COOKIE_NAME] = key
        response = thief.get(reverse("customers:search"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_signing_out_removes_the_stored_session(lead: Any) -> None:
    client = signed_in(lead)
    assert len(stored_keys()) == 1
    client.post(reverse("accounts:logout"))
    assert stored_keys() == []


def test_an_authenticator_secret_cannot_be_read_from_the_database(lead: Any) -> None:
    """Whoever reads the secret can make codes: it is encrypted like special-category data."""
    device = totp_device(lead)
    secret = totp_secret(device)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_authenticator")
        ((stored,),) = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM otp_totp_totpdevice")
        ((clear,),) = cursor.fetchall()
    assert stored.startswith("eo2:")
    assert device.key not in stored
    assert secret not in stored
    assert clear == 0
