"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server."""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, sync_playwright

from tests.auth import signed_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make for
# set-up are ordinary synchronous calls, so Django's async guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Debian's chromium is not installed: run `make browser-deps`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # under CI the browser tests must run
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.2 AA violations axe-core finds on the current page. Only
    violations are collected in full (``resultTypes``): axe then keeps one example of each rule
    that passed rather than every element, which on the largest pages took most of its time."""
    # Evaluated through DevTools rather than a <script> tag, so the page's strict
    # Content-Security-Policy stays on for the whole journey.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations']})"""
    )
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def authenticator_code(secret: str) -> str:
    """What an authenticator app set up with ``secret`` shows now."""
    return f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"


def signed_in_browser(page: Page, base_url: str, username: str) -> None:
    """Opens the start page as ``username``, signed in with two-factor verified, by the session
    cookie the test client's sign-in makes: journeys about something else need not pass the
    sign-in pages, which the sign-in journeys (test_customer_record_journey.py) walk for real,
    enrolment in an authenticator app included."""
    client = signed_in(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    page.goto(f"{base_url}/")
