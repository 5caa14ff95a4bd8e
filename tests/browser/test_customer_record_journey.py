from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from equal_outcomes.accounts.models import Authenticator
from equal_outcomes.accounts.roles import Role
from tests.browser.conftest import authenticator_code, axe_violations, signed_in_browser
from tests.factories import AreaFactory, CustomerFactory, UserFactory, record_answer

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

    # First sign-in: set up an authenticator app by typing in the secret key shown.
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    assert axe_violations(page) == []
    secret = page.locator(".eo-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    page.get_by_label("Find a customer").fill("gwenllian")
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


def test_an_officer_breaks_the_glass_to_open_a_record_outside_their_areas(
    page: Page, live_server: Any
) -> None:
    officer = UserFactory(username="olwen", role=Role.HOUSING_OFFICER)
    officer.areas.add(AreaFactory())
    CustomerFactory(first_name="Elin", last_name="Hughes", landlord_ref="C0004242")
    signed_in_browser(page, live_server.url, "olwen")

    page.get_by_label("Find a customer").fill("C0004242")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 customers found")).to_be_visible()
    page.get_by_role("link", name="Open a record outside your areas in an emergency").click()
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the customer reference")
    assert axe_violations(page) == []
    page.get_by_label("Customer reference").fill("C0004242")
    page.get_by_label("Why do you need this record now?").fill("Gas leak reported, no answer")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name="Elin Hughes", level=1)).to_be_visible()
    expect(page.locator("#emergency")).to_contain_text("Emergency access until")
    assert axe_violations(page) == []


def test_the_lead_uses_the_data_protection_screens(page: Page, live_server: Any) -> None:
    lead = UserFactory(username="leila", role=Role.EQUALITY_LEAD)
    device = Authenticator.objects.create(user=lead, name="phone", confirmed=True)
    customer = CustomerFactory(first_name="Rhodri", last_name="Evans", landlord_ref="C0000888")
    record_answer(lead, customer, "religion", "none")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("leila")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Code from your authenticator app").fill(
        authenticator_code(base64.b32encode(device.bin_key).decode().rstrip("="))
    )
    page.get_by_role("button", name="Continue").click()

    page.goto(f"{live_server.url}/customers/{customer.public_id}/")
    page.get_by_role("link", name="Correct details").click()
    page.get_by_label("Last name").fill("Evans-Lloyd")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    assert axe_violations(page) == []
    page.get_by_label("Why are these details being corrected?").fill("Customer changed name")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.get_by_role("heading", name="Rhodri Evans-Lloyd", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Details corrected")  # a success banner
    assert axe_violations(page) == []

    page.get_by_role("link", name="Who viewed or changed this record").click()
    expect(page.get_by_role("table")).to_contain_text("Corrected")  # in words
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to Rhodri Evans-Lloyd").click()

    page.get_by_role("link", name="Subject access export").click()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "subject-access-C0000888.pdf"
    page.get_by_role("link", name="Back to Rhodri Evans-Lloyd").click()

    page.get_by_role("link", name="Erase this person's data").click()
    page.get_by_role("button", name="Erase this person's data").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that you understand")
    assert axe_violations(page) == []
