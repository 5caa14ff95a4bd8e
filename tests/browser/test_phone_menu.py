"""On a phone the menu folds behind a Menu button (issue 27, item 8), so the page's own
content is not pushed below the fold by a column of links."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from equal_outcomes.accounts.roles import Role
from tests.browser.conftest import axe_violations, signed_in_browser
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_opens_the_menu_with_a_button_on_a_phone(page: Page, live_server: Any) -> None:
    UserFactory(username="leila", role=Role.EQUALITY_LEAD)
    page.set_viewport_size({"width": 360, "height": 740})
    signed_in_browser(page, live_server.url, "leila")
    menu = page.get_by_role("navigation", name="Menu")
    toggle = menu.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(menu.get_by_role("link", name="Action plan")).to_be_hidden()
    expect(page.get_by_role("heading", name="What needs attention")).to_be_in_viewport()
    toggle.click()
    expect(menu.get_by_role("link", name="Action plan")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
