"""Collecting profiles in the browser: a tenant by keyboard alone in Welsh; an advisor during a call."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from equal_outcomes.accounts.models import Authenticator
from equal_outcomes.accounts.roles import Role
from equal_outcomes.collection.questionnaire import invitation_create
from equal_outcomes.customers.models import ProfileAnswer, SupportNeed
from tests.browser.conftest import authenticator_code, axe_violations
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"could not reach {target} with the Tab key")


def test_a_tenant_answers_in_welsh_with_the_keyboard_alone(page: Page, live_server: Any) -> None:
    customer = CustomerFactory(first_name="Gwenno")
    _, token = invitation_create(actor="system:test", customer=customer)
    page.goto(f"{live_server.url}/questionnaire/start/{token}/")
    expect(page.get_by_role("heading", name="Tell us about yourself")).to_be_visible()
    assert token not in page.url

    tab_to(page, page.get_by_role("button", name="Cymraeg"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dywedwch wrthym amdanoch chi")).to_be_visible()
    assert axe_violations(page) == []
    tab_to(page, page.get_by_role("button", name="Dechrau nawr"))
    page.keyboard.press("Enter")

    # Answer the first question: the first option, chosen with the space bar.
    expect(page.get_by_text("Cwestiwn 1 o")).to_be_visible()
    assert axe_violations(page) == []
    first_option = page.locator("input[type=radio]").first
    tab_to(page, first_option)
    page.keyboard.press("Space")
    expect(first_option).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Parhau"))
    page.keyboard.press("Enter")

    # Prefer not to say to the second, then skip the rest.
    expect(page.get_by_text("Cwestiwn 2 o")).to_be_visible()
    prefer_not = page.get_by_label("Mae'n well gen i beidio â dweud")
    tab_to(page, page.locator("input[type=radio]").first)
    while not prefer_not.evaluate("element => element === document.activeElement"):
        page.keyboard.press("ArrowDown")
    expect(prefer_not).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Parhau"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(40):
        if "check" in page.url:
            break
        tab_to(page, page.get_by_role("button", name="Hepgor y cwestiwn hwn"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Gwiriwch eich atebion cyn eu hanfon")).to_be_visible()
    assert axe_violations(page) == []
    tab_to(page, page.get_by_role("button", name="Anfon fy atebion"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Diolch")).to_be_visible()

    answers = {a.characteristic: a.state for a in ProfileAnswer.objects.filter(customer=customer)}
    assert answers == {"sex": "answered", "gender_identity": "prefer_not_to_say"}


def test_an_advisor_records_a_support_need_during_a_call(page: Page, live_server: Any) -> None:
    advisor = UserFactory(username="adam", role=Role.ADVISOR)
    device = Authenticator.objects.create(user=advisor, name="phone", confirmed=True)
    customer = CustomerFactory(first_name="Huw", last_name="Jenkins")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("adam")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(secret))
    page.get_by_role("button", name="Continue").click()

    page.goto(f"{live_server.url}/customers/{customer.public_id}/")
    expect(page.locator("#prompt")).to_contain_text("No communication preferences")
    page.get_by_role("link", name="Record a support need").click()
    page.get_by_role("button", name="Save support need").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_label("What support does the customer need?").select_option("bereavement")
    page.get_by_label("Where did this come from?").select_option("contact")  # never assumed
    start = page.get_by_role("group", name="When did this start?")
    start.get_by_label("Day").fill("2")
    start.get_by_label("Month").fill("11")
    start.get_by_label("Year").fill("2026")
    review = page.get_by_role("group", name="Review by")
    review.get_by_label("Day").fill("2")
    review.get_by_label("Month").fill("2")
    review.get_by_label("Year").fill("2027")
    page.get_by_role("group", name="Has the customer been told this is recorded?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save support need").click()
    expect(page.get_by_role("heading", name="Huw Jenkins", level=1)).to_be_visible()
    need = SupportNeed.objects.get(customer=customer)
    assert str(need.review_date) == "2027-02-02"


def test_the_questionnaire_fits_a_phone_screen(page: Page, live_server: Any) -> None:
    customer = CustomerFactory()
    _, token = invitation_create(actor="system:test", customer=customer)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/questionnaire/start/{token}/")
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("group", name="What is your sex?")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False, "nothing should scroll sideways on a phone"
    assert axe_violations(page) == []
