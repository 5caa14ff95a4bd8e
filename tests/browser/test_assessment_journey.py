"""A self-assessment in Chromium: start a "Knowing your customers" assessment, accept live
evidence, rate a criterion, add an action with a measure and download the report; axe on every
page and screenshots kept in test-results/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from equal_outcomes.accounts.roles import Role
from tests.browser.conftest import axe_violations, signed_in_browser
from tests.browser.test_dashboards_journey import shoot
from tests.factories import UserFactory


def menu(page: Page) -> Locator:
    """The service's menu (the start page lists every page too)."""
    return page.get_by_role("navigation", name="Menu")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_assesses_knowing_your_customers_and_plans_an_action(
    page: Page, live_server: Any
) -> None:
    call_command("demo", "--no-warm", customers=1200, seed=6)
    call_command("snapshot")  # works out the results once, and reads the plan's measures
    UserFactory(username="assessing-lead", role=Role.EQUALITY_LEAD)

    signed_in_browser(page, live_server.url, "assessing-lead")

    # Start an assessment; a first try without a title is refused with an error summary.
    menu(page).get_by_role("link", name="Self-assessment", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start a self-assessment").click()
    page.get_by_label(re.compile("Knowing your customers, later edition")).check()
    page.get_by_label("Knowing your customers", exact=True).check()
    page.get_by_label("Assessors").fill("Leila Lead and the board's equality champion")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Knowing your customers 2026")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", name="Knowing your customers 2026", level=1)).to_be_visible()
    expect(page.locator("#levels")).to_contain_text("Not yet Developing")
    assert axe_violations(page) == []
    shoot(page, "self-assessment")

    # The 60% question: live figures from the snapshot, accepted as they are.
    page.locator("#levels").get_by_role("link", name="Knowing your customers").click()
    assert axe_violations(page) == []
    page.get_by_role(
        "link", name=re.compile("Answer Have we collected at least 60% of our customer profiling")
    ).click()
    live = page.locator("#live-evidence")
    expect(live).to_contain_text("protected characteristics have a response rate of at least 60%")
    suggested = page.locator("#suggested").inner_text()
    assert axe_violations(page) == []
    shoot(page, "self-assessment-live-evidence")
    page.get_by_role("button", name="Accept the suggested answer").click()
    row = page.locator("#kyc-a1")
    expect(row).to_contain_text(suggested)
    expect(row).to_contain_text("Accepted")

    # A criterion rated, with the difference it has made.
    page.get_by_role("link", name="Rate criterion 1.2").click()
    page.get_by_label("3: in place but needs improving").check()
    page.get_by_label("What difference has this made?").fill("Profiles are encrypted and audited.")
    page.get_by_role("button", name="Save rating").click()
    expect(page.locator("#criterion-1\\.2")).to_contain_text("3: in place but needs improving")

    # An action with a measure tied to an indicator and a target.
    menu(page).get_by_role("link", name="Action plan", exact=True).click()
    expect(page.locator("#actions")).to_contain_text("Overdue")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Collect sexual orientation at every sign-up")
    page.get_by_label("Owner").fill("Lettings manager")
    page.locator("input[name=due_on_0]").fill("31")
    page.locator("input[name=due_on_1]").fill("3")
    page.locator("input[name=due_on_2]").fill("2027")
    page.get_by_label("In progress").check()
    page.get_by_label("Indicator").select_option("TP09")
    page.get_by_label("Group", exact=True).select_option(label="Disabled")  # in words
    page.get_by_label("Close the gap with everyone else to under the target").check()
    page.get_by_label("Target figure").fill("5")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save action").click()
    added = page.locator("#actions tr", has_text="Collect sexual orientation at every sign-up")
    expect(added).to_contain_text("Gap now")
    shoot(page, "action-plan")

    # The report, as a PDF.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Self-assessment").click()
    page.get_by_role("link", name="Knowing your customers 2026").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    path = download.value.path()
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("self-assessment-")
