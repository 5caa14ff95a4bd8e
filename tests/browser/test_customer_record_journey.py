from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from equal_outcomes.accounts.roles import Role
from tests.browser.conftest import axe_violations
from tests.factories import CustomerFactory, UserFactory, record_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_equality_lead_signs_in_finds_a_customer_and_reads_the_record_in_welsh(
    page: Page, live_server: Any
) -> None:
    lead = UserFactory(username="leila", role=Role.EQUALITY_LEAD)
    customer = CustomerFactory(first_name="Gwenllian", last_name="Pryce", landlord_ref="C0000777")
    record_answer(lead, customer, "ethnicity", "white_gypsy_traveller", touchpoint="sign_up")
    record_answer(lead, customer, "religion", touchpoint="survey")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert axe_violations(page) == []
    page.get_by_label("Username").fill("leila")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    page.get_by_label("Customer reference or name").fill("gwenllian")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 customer found")).to_be_visible()
    assert "gwenllian" not in page.url.lower()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Gwenllian Pryce").click()
    expect(page.get_by_role("heading", name="Gwenllian Pryce", level=1)).to_be_visible()
    profile = page.locator("#profile")
    expect(profile.get_by_role("row", name=re.compile("Ethnic group"))).to_contain_text(
        "Gypsy or Irish Traveller"
    )
    expect(profile.get_by_role("row", name=re.compile("Religion or belief"))).to_contain_text(
        "Prefer not to say"
    )
    expect(profile).to_contain_text("Tenancy sign-up")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", name="Proffil cydraddoldeb")).to_be_visible()
    expect(profile.get_by_role("row", name=re.compile("Grŵp ethnig"))).to_contain_text(
        "Sipsi neu Deithiwr Gwyddelig"
    )
    expect(
        page.get_by_role("navigation", name="Dewislen").get_by_role(
            "link", name="Dod o hyd i gwsmer"
        )
    ).to_be_visible()
    assert axe_violations(page) == []


def test_a_wrong_password_is_explained_in_an_error_summary(page: Page, live_server: Any) -> None:
    UserFactory(username="adam", role=Role.ADVISOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("adam")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert axe_violations(page) == []
