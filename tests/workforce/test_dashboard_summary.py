"""The workforce dashboard opens with what its figures show (issue 27, item 11)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from tests.auth import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_opens_with_a_summary_of_findings_worse_first(module_db: Any) -> None:
    call_command("demo", customers=200, seed=2, stdout=io.StringIO())
    page = signed_in(UserFactory(role=Role.HR)).get(reverse("workforce:dashboard")).content.decode()
    summary = page[page.index('id="summary"') : page.index('aria-label="Sections"')]
    assert "What the figures show" in summary
    items = summary.split("<li>")[1:]
    assert items, "the demo's injected disparities are found"
    tags = ["govuk-tag--red" in item for item in items]
    assert tags == sorted(tags, reverse=True), "worse findings first"
    assert re.search(r"Figures as at \d{1,2} [A-Z][a-z]+ \d{4}\.", page), (
        "a date as people write it"
    )
