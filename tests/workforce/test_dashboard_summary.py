"""The workforce dashboard opens with what its figures show, and its findings mean something
(issue 27, item 11)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from equal_outcomes.workforce import reports
from tests.auth import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dashboard(module_db: Any) -> str:
    call_command("demo", "--no-warm", customers=200, seed=2, stdout=io.StringIO())
    hr = signed_in(UserFactory(role=Role.HR))
    return hr.get(reverse("workforce:dashboard")).content.decode()


def test_the_dashboard_opens_with_a_summary_of_findings_worse_first(dashboard: str) -> None:
    summary = dashboard[dashboard.index('id="summary"') : dashboard.index('aria-label="Sections"')]
    assert "What the figures show" in summary
    items = summary.split("<li>")[1:]
    assert items, "the demo's injected disparities are found"
    tags = ["govuk-tag--red" in item for item in items]
    assert tags == sorted(tags, reverse=True), "worse findings first"
    assert re.search(r"Figures as at \d{1,2} [A-Z][a-z]+ \d{4}\.", dashboard), (
        "a date as people write it"
    )


def test_a_pay_gap_of_five_per_cent_or_more_is_a_finding(dashboard: str) -> None:
    """A 14.5 % median pay gap had an empty finding."""
    pay = dashboard[dashboard.index('id="pay"') : dashboard.index('id="training"')]
    assert re.search(r"paid \d+\.\d% less", pay)


def row(people: int, share: float) -> dict[str, Any]:
    return {"category": "female", "people": people, "share": share, "benchmark_share": 0.5,
            "target_share": 0.5, "flag": ""}  # fmt: skip


def test_a_group_of_three_is_never_below_target() -> None:
    """A group of 3 was "below target"; a group of 40 under its target still is."""
    tables = reports._profile(
        {"profile": {"sex": {"rows": [row(3, 0.3), row(40, 0.3)], "response_rate": 1.0}}}
    )
    tiny, large = tables[0].rows
    assert tiny.findings == []
    assert [text for text, _flag in large.findings] == ["below target"]


def test_the_staff_in_post_are_drawn_as_charts_like_the_customer_dashboards(
    dashboard: str,
) -> None:
    charts = re.findall(r'<svg[^>]*aria-labelledby="(staff-chart-\d+)-title', dashboard)
    assert len(charts) >= 3
    assert "Staff in post by Sex" in dashboard
