"""A copy of the database holds no session that can be replayed (issue 25, finding 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

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
