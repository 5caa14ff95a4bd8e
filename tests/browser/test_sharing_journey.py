"""A contractor gets a job pack and reports a need back; a housing officer confirms it. In
Chromium, with axe on every page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from equal_outcomes.accounts.roles import Role
from equal_outcomes.customers.models import AdjustmentStatus, ReasonableAdjustment, SupportNeed
from equal_outcomes.sharing.models import Agreement, Job
from tests.browser.conftest import axe_violations, signed_in_browser
from tests.browser.test_dashboards_journey import shoot
from tests.factories import AreaFactory, CustomerFactory, PropertyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_job_pack_a_report_back_and_its_confirmation(page: Page, live_server: Any) -> None:
    area = AreaFactory()
    home = PropertyFactory(estate__area=area, property_ref="P000777")
    customer = CustomerFactory(first_name="Nia", last_name="Jones", household__property=home)
    now = timezone.now()
    ReasonableAdjustment.objects.create(
        customer=customer, adjustment="call_ahead_30", status=AdjustmentStatus.AGREED,
        details="Agoraphobia", source="contact", recorded_at=now,
    )  # fmt: skip
    SupportNeed.objects.create(
        customer=customer, need="mental_health", details="Agoraphobia", source="contact",
        recorded_at=now, start_date=dt.date(2026, 1, 1), review_date=dt.date(2027, 1, 1),
    )  # fmt: skip
    lead = UserFactory(role=Role.EQUALITY_LEAD)
    operative = UserFactory(username="operative", role=Role.CONTRACTOR)
    officer = UserFactory(username="officer-ffion", role=Role.HOUSING_OFFICER)
    officer.areas.add(area)
    agreement = Agreement.objects.create(
        partner="Valleys Repairs Ltd", kind="contractor", purpose="Repairs", lawful_basis="Contract",
        fields=["address", "instructions"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip
    agreement.users.add(operative)
    Job.objects.create(job_ref="WO-1", property=home, agreement=agreement, work="Boiler service",
                       opened_on=dt.date(2026, 1, 1))  # fmt: skip

    # The contractor: sign in, open their job, read the job pack, report back.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("operative")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Job packs").click()
    expect(page.locator("#jobs")).to_contain_text("Boiler service")
    assert axe_violations(page) == []
    shoot(page, "your-jobs")
    page.locator("#jobs").get_by_role("link", name=re.compile("WO-1")).click()
    expect(page.locator("#instructions")).to_contain_text("Call 30 minutes before arriving")
    expect(page.locator("main")).not_to_contain_text("Agoraphobia")
    expect(page.locator("main")).not_to_contain_text("Nia")
    assert axe_violations(page) == []
    shoot(page, "job-pack")
    page.get_by_role("button", name="Report back from the visit").click()
    page.get_by_label("A need noticed at a visit").check()
    page.get_by_label("The need you noticed").select_option("extra_time_at_door")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out (operative)").click()

    # The housing officer confirms it for the customer it is about.
    signed_in_browser(page, live_server.url, "officer-ffion")
    page.goto(f"{live_server.url}/sharing/reports/")
    card = page.locator(".govuk-summary-card", has_text="P000777")
    expect(card).to_contain_text("Allow more time to answer the door")
    assert axe_violations(page) == []
    card.get_by_role("button", name="Confirm and record the need").click()
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()
    assert customer.communication_needs.get().source == "contractor_report"
