"""Signing test clients in as a person would: password, then (for roles that need it) a code."""

from __future__ import annotations

import copy
import re
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from equal_outcomes.accounts.models import Authenticator
from equal_outcomes.accounts.roles import requires_two_factor


def signed_in(user: Any, client: Client | None = None) -> Client:
    """A client signed in as ``user``, with two-factor verified when the role requires it."""
    client = client or Client()
    client.force_login(user)
    if requires_two_factor(user.role):
        device = Authenticator.objects.filter(user=user, confirmed=True).first()
        device = device or Authenticator.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def same_session(client: Client) -> Client:
    """A new client in the session ``client`` signed in to: for worlds built once per module,
    whose sessions each test reuses (and whose changes the test's rollback undoes)."""
    again = Client()
    again.cookies = copy.deepcopy(client.cookies)
    return again


def without_csrf(content: bytes) -> bytes:
    """A page's bytes without its CSRF tokens, which are new on every response: for tests
    that two answers are the same page."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
