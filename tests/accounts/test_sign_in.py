"""Sign-in: lockout, two-factor codes used once, session limits, headers, deploy checks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from equal_outcomes.accounts.models import Authenticator
from equal_outcomes.audit.models import AuditEvent
from tests.auth import signed_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def code_for(device: Authenticator, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def test_five_wrong_passwords_lock_the_username_for_a_while(lead: Any) -> None:
    client = Client()
    for _ in range(4):
        assert sign_in(client, "leila", "wrong").status_code == 200
    locked = sign_in(client, "leila", "wrong")
    assert locked.status_code == 429
    assert b"Too many attempts to sign in" in locked.content
    assert sign_in(client, "leila").status_code == 429, "the right password is refused too"
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 4
    assert AuditEvent.objects.filter(action="sign_in_locked_out").exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert sign_in(Client(), "leila").status_code == 302


def test_a_failed_sign_in_records_the_account_but_never_what_was_typed(lead: Any) -> None:
    sign_in(Client(), "leila", "hunter2-secret")
    sign_in(Client(), "my-password-by-mistake", "x")
    events = list(AuditEvent.objects.filter(action="sign_in_failed"))
    assert [e.target_id for e in events] == [str(lead.pk), "unknown"]
    stored = " ".join(f"{e.actor_label} {e.target_id} {e.purpose}" for e in events)
    assert "hunter2" not in stored
    assert "my-password" not in stored


def test_a_successful_sign_in_is_recorded(lead: Any) -> None:
    sign_in(Client(), "leila")
    assert AuditEvent.objects.filter(action="sign_in", actor=lead).count() == 1


def test_first_sign_in_enrols_an_authenticator_then_each_code_works_once(lead: Any) -> None:
    client = Client()
    response = sign_in(client, "leila")
    page = client.get(response.url, follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:two_factor"))
    assert b"Set up two-factor authentication" in page.content
    device = Authenticator.objects.get(user=lead)
    assert not device.confirmed
    assert page.context["secret"].encode() in page.content

    wrong = client.post(reverse("accounts:two_factor"), {"code": "000000", "next": "/customers/"})
    assert b"That code is wrong" in wrong.content
    # A wrong code pauses checking for a second or so (django-otp's throttling).
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):
        code = code_for(device)
        done = client.post(reverse("accounts:two_factor"), {"code": code, "next": "/customers/"})
        assert done.status_code == 302
        assert done.url == "/customers/"
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/customers/").status_code == 200

        again = Client()
        sign_in(again, "leila")
        reused = again.post(reverse("accounts:two_factor"), {"code": code, "next": "/customers/"})
        assert reused.status_code == 200
        assert b"That code is wrong or has been used" in reused.content
        assert again.get("/customers/").status_code == 302


def test_roles_without_sensitive_data_need_no_second_factor(contractor: Any) -> None:
    client = Client()
    sign_in(client, "colin")
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 302


def test_thirty_minutes_idle_signs_you_out(lead: Any) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(lead)
        assert client.get("/customers/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/customers/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/customers/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert client.get("/customers/").url.startswith(LOGIN), "the session is gone, not paused"


def test_twelve_hours_after_sign_in_you_are_signed_out_however_busy(lead: Any) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = signed_in(lead)
        for _ in range(12 * 3):
            assert client.get("/customers/").status_code == 200
            clock.shift(dt.timedelta(minutes=20))
        clock.shift(dt.timedelta(minutes=1))
        response = client.get("/customers/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_pages_carry_the_security_headers(lead: Any) -> None:
    response = signed_in(lead).get("/customers/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


def test_forms_without_a_csrf_token_are_refused(lead: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "leila", "password": PASSWORD})
    assert response.status_code == 403


def production(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "EQUAL_OUTCOMES_ENV",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests
        }
    }
    env |= {
        "EQUAL_OUTCOMES_HOME": str(tmp_path),
        "EQUAL_OUTCOMES_SECRET_KEY": "x" * 64 + "production-check-key-not-used-elsewhere",
        "EQUAL_OUTCOMES_ALLOWED_HOSTS": "housing.example.org",
        "DJANGO_SETTINGS_MODULE": "equal_outcomes.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_django_deploy_checks_and_hash_with_argon2(
    tmp_path: Path,
) -> None:
    result = production(
        tmp_path,
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
        "from django.contrib.auth.hashers import make_password\n"
        "from django.conf import settings\n"
        "print(make_password('x').split('$')[0], settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE)\n",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "argon2 True True"


def test_the_session_gets_a_new_key_when_the_code_is_accepted(lead: Any) -> None:
    """A session key seen before two-factor (by someone at the same screen, or fixed on the
    browser beforehand) is no use afterwards (issue 25, finding 13)."""
    client = Client()
    sign_in(client, "leila")
    device = Authenticator.objects.create(user=lead, name="phone", confirmed=True)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    done = client.post(
        reverse("accounts:two_factor"), {"code": code_for(device), "next": "/customers/"}
    )
    assert done.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.get("/customers/").status_code == 200
    earlier = Client()
    earlier.cookies[settings.SESSION_COOKIE_NAME] = before
    assert earlier.get("/customers/").status_code == 302
