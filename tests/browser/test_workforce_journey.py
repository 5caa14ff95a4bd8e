"""The workforce in Chromium: HR imports a staff file (a bad one first, refused with every
problem listed), opens the dashboard with every figure, and the board sees the same dashboard
with small groups withheld; axe on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from equal_outcomes.accounts.roles import Role
from tests.browser.conftest import axe_violations, signed_in_browser
from tests.browser.test_dashboards_journey import shoot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_imports_staff_and_the_board_sees_the_workforce_dashboard(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("demo", "--no-warm", customers=600, seed=3)
    call_command("snapshot")
    UserFactory(username="hr-officer", role=Role.HR)

    signed_in_browser(page, live_server.url, "hr-officer")
    page.get_by_role("link", name="Workforce records", exact=True).first.click()
    assert axe_violations(page) == []

    bad = tmp_path / "staff.csv"
    bad.write_text("staff_ref,grade,hourly_pay,sex\nN001,G2,lots,female\nN002,G2,14.00,robot\n")
    page.get_by_label("Staff in post and leavers").check()
    page.get_by_label("Export from your HR system").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was imported")
    expect(page.locator("#problems")).to_contain_text("not an amount of money")
    expect(page.locator("#problems")).to_contain_text("not a known sex answer")
    assert axe_violations(page) == []

    bad.write_text("staff_ref,grade,hourly_pay,sex\nN001,G2,14.00,female\nN002,G2,14.00,male\n")
    page.get_by_label("Staff in post and leavers").check()
    page.get_by_label("Export from your HR system").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 created")

    page.get_by_role("link", name="Workforce and board", exact=True).first.click()
    expect(page.get_by_role("heading", name="Pay gaps")).to_be_visible()
    expect(page.locator("#recruitment")).to_contain_text("Shortlisted: worse")
    expect(page.locator("#pay")).to_contain_text("Male (reference)")
    assert "[c]" not in page.locator("#leadership").inner_text()
    assert axe_violations(page) == []
    shoot(page, "workforce-hr")

    # The board signs in with a password alone: it sees aggregates only.
    page.context.clear_cookies()
    UserFactory(username="board-member", role=Role.BOARD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("board-member")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Workforce and board", exact=True).first.click()
    expect(page.get_by_text("You are seeing publishable results")).to_be_visible()
    expect(page.locator("#leadership")).to_contain_text("[c]")
    assert axe_violations(page) == []
    shoot(page, "workforce-board")
