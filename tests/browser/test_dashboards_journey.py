"""Through each dashboard in Chromium: filters, a drill-down, a report; axe on every page and a
screenshot of each dashboard kept in test-results/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from equal_outcomes.accounts.roles import Role
from equal_outcomes.insight.population import import_population
from tests.browser.conftest import axe_violations, signed_in_browser
from tests.factories import UserFactory


def menu(page: Page) -> Locator:
    """The service's menu (the start page lists every page too)."""
    return page.get_by_role("navigation", name="Menu")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
CENSUS = Path(__file__).resolve().parents[1] / "insight" / "census_ethnicity_sample.csv"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_lead_reads_each_dashboard_filters_and_drills_down(
    page: Page, live_server: Any
) -> None:
    call_command("demo", customers=1200, seed=5)
    import_population(CENSUS, characteristic="ethnicity", actor="system:test")
    UserFactory(username="dashboard-lead", role=Role.EQUALITY_LEAD)

    signed_in_browser(page, live_server.url, "dashboard-lead")

    # Knowing our customers, then narrowed to one area with the filter form.
    menu(page).get_by_role("link", name="Knowing our customers", exact=True).click()
    expect(page.get_by_role("heading", name="Knowing our customers", level=1)).to_be_visible()
    expect(page.locator("#data-as-at")).to_contain_text("Data as at")
    expect(
        page.get_by_role("img", name=re.compile("Response rate by characteristic"))
    ).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "knowing-our-customers")
    everyone = int(page.locator("#coverage tbody tr").first.locator("td").first.inner_text())
    option = page.get_by_label("Area", exact=True).locator("option").nth(1)
    area, area_label = option.get_attribute("value"), option.inner_text()
    page.get_by_label("Area", exact=True).select_option(area)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"area={area}"))
    expect(page.locator("#data-as-at")).to_contain_text(f"area {area_label}")
    assert int(page.locator("#coverage tbody tr").first.locator("td").first.inner_text()) < everyone

    # Equal outcomes: the grid, then the drill-down for complaint handling by disability.
    menu(page).get_by_role("link", name="Equal outcomes", exact=True).click()
    expect(page.get_by_role("heading", name="Equal outcomes", level=1)).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "equal-outcomes")
    page.get_by_role(
        "link",
        name=re.compile(
            "for Satisfaction with the landlord's approach to handling complaints by Disability"
        ),
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("handling complaints")
    expect(
        page.locator("#breakdown").get_by_role("row", name=re.compile("^Disabled"))
    ).to_contain_text("Worse")
    expect(page.locator("#trend")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "equal-outcomes-detail")

    # Services (issue 31): from the outcomes page to the list, then one service's figures
    # against its standard, with the group the demo serves worse named and linked.
    page.get_by_role("link", name="Back to equal outcomes").click()
    page.get_by_role("link", name=re.compile("figures service by service")).click()
    expect(page.get_by_role("heading", name="Services", level=1)).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "services")
    page.get_by_role("link", name=re.compile("^Anti-social behaviour, harassment")).click()
    expect(page.locator("#standard")).to_contain_text("within 1 day")
    line = page.locator("#service-figures section").filter(
        has=page.get_by_role("heading", name=re.compile("^Harassment, hate crime and domestic"))
    )
    expect(line).to_contain_text("events")
    assert axe_violations(page) == []
    shoot(page, "service-asb")
    # The same page in Welsh on a phone: in Welsh, and no wider than the screen.
    page.set_viewport_size({"width": 360, "height": 800})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "cy", "url": live_server.url}]
    )
    page.reload()
    expect(page.locator("#standard")).to_contain_text("Safon y gwasanaeth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    shoot(page, "service-asb-cy-360")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    # The contractors' scorecard, from the services list.
    page.goto(f"{live_server.url}/insight/services/")
    page.get_by_role("link", name="Contractors' scorecard").click()
    expect(page.get_by_role("heading", name="Coast Gas Ltd")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "contractors")

    # Who we serve.
    page.goto(f"{live_server.url}/insight/who-we-serve/")  # listed under All pages
    expect(page.locator("#serve-ethnicity")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "who-we-serve")

    # A report made in the background; the page moves on by itself when it is ready.
    menu(page).get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("button", name="Make the report").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert axe_violations(page) == []
    page.get_by_label("Web page (HTML)").check()
    # Tests run background jobs as the request is made: the report is made before the page
    # moves on, which on a busy machine takes more than the usual ten seconds.
    page.get_by_role("button", name="Make the report").click(timeout=60_000)
    expect(page.get_by_role("heading", name="Your report is ready")).to_be_visible()
    assert axe_violations(page) == []
