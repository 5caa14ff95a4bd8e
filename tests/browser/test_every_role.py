"""Every role in Chromium, in English and Welsh, on a desktop and a phone (issue 27,
acceptance): each lands on its start page and does its main task; every page it meets is clean
under axe and no wider than the screen. ``make screenshots`` (EQUAL_OUTCOMES_SCREENSHOTS=1) also
keeps a screenshot of each in test-results/ for reviewers to look at."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from equal_outcomes.accounts.models import User
from equal_outcomes.accounts.roles import Role
from tests.browser.conftest import axe_violations, signed_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots" / "roles"
WIDTHS = {"desktop": 1280, "phone": 360}


def look(page: Page, name: str, language: str, width: int) -> None:
    """What a reviewer would check on every page: nothing axe finds serious, no sideways
    scrolling (WCAG 1.4.10), the page in the language asked for; and a screenshot."""
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language, page.url
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px: {wider(page, width)}"
    assert axe_violations(page) == [], page.url
    if os.environ.get("EQUAL_OUTCOMES_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)


def wider(page: Page, width: int) -> list[str]:
    """The outermost elements that reach past the screen's edge, to say what to fix."""
    found: list[str] = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
            .slice(0, 5)
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        width,
    )
    return found


def in_language(page: Page, base_url: str, language: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


def main_task(page: Page, role: Role, base_url: str, language: str, width: int) -> None:
    """The one thing each role comes to do, from its start page."""
    name = role.value
    if role == Role.TENANT:
        page.locator("a.govuk-button").first.click()  # Start now
        look(page, f"{name}-question", language, width)
    elif role in {Role.ADVISOR, Role.HOUSING_OFFICER}:
        page.goto(f"{base_url}/collection/ask-next/")
        look(page, f"{name}-ask-next", language, width)
        first = page.locator("main table a.govuk-link").first
        if first.count():
            first.click()
            look(page, f"{name}-record", language, width)
    elif role == Role.EQUALITY_LEAD:
        page.goto(f"{base_url}/insight/outcomes/")
        look(page, f"{name}-outcomes", language, width)
        page.locator("#ranked-findings a.govuk-link").first.click()
        look(page, f"{name}-outcome-detail", language, width)
        page.goto(f"{base_url}/insight/customers/")
        look(page, f"{name}-knowing", language, width)
        page.goto(f"{base_url}/assessment/")
        look(page, f"{name}-self-assessment", language, width)
    elif role == Role.BOARD:
        look(page, f"{name}-outcomes", language, width)  # the board starts on the outcomes
        # A finding if any stays publishable on this small landlord, else the first indicator.
        finding = page.locator("#ranked-findings a.govuk-link")
        (
            finding if finding.count() else page.locator("main table tbody a.govuk-link")
        ).first.click()
        look(page, f"{name}-outcome-detail", language, width)
    elif role in {Role.CONTRACTOR, Role.PARTNER}:
        first = page.locator("main table a.govuk-link").first
        if first.count():
            first.click()
            look(page, f"{name}-job-pack", language, width)
    elif role == Role.HR:
        look(page, f"{name}-workforce", language, width)
    elif role == Role.ADMINISTRATOR:
        page.goto(f"{base_url}/accounts/users/")
        look(page, f"{name}-users", language, width)


def test_every_role_starts_and_does_its_main_task_in_both_languages_and_widths(
    page: Page, live_server: Any
) -> None:
    call_command("demo", customers=400, seed=11, stdout=io.StringIO())
    base = live_server.url
    for role in Role:
        user = User.objects.filter(role=role).order_by("pk").first()
        assert user is not None, role
        for language in ("en", "cy"):
            for device, width in WIDTHS.items():
                page.context.clear_cookies()
                page.set_viewport_size({"width": width, "height": 800})
                in_language(page, base, language)
                signed_in_browser(page, base, user.username)
                expect(page.locator("h1").first).to_be_visible()
                look(page, f"{role.value}-start", language, width)
                # The main task once in each language, on the desktop in English and the phone
                # in Welsh (every start page is seen in all four).
                if (language, device) in {("en", "desktop"), ("cy", "phone")}:
                    main_task(page, role, base, language, width)
    if os.environ.get("EQUAL_OUTCOMES_SCREENSHOTS"):
        assert re.search(r"\.png$", next(SCREENSHOTS.iterdir()).name)
