"""The outcomes page starts with the findings, the widest gap first, and keeps the grid as a
way in (issue 27, item 5)."""

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


@pytest.fixture(scope="module")
def landlord(module_db: Any, module_stores: None) -> None:
    call_command("demo", customers=1500, seed=7, stdout=io.StringIO())


def test_the_demo_has_worked_out_every_dashboard_before_anyone_opens_one(landlord: None) -> None:
    """Issue 27, item 9: first visits after the demo waited up to 30 s."""
    from equal_outcomes.insight import results

    whole = results.Filters()
    assert results.is_ready("outcomes", whole, False)
    assert results.is_ready("outcomes", whole, True)
    assert results.is_ready("knowing", whole, False)


@pytest.mark.parametrize("role", [Role.EQUALITY_LEAD, Role.BOARD])
def test_findings_come_first_with_the_size_of_each_gap(landlord: None, role: Role) -> None:
    page = signed_in(UserFactory(role=role)).get(reverse("insight:outcomes")).content.decode()
    assert page.index('id="ranked-findings"') < page.index('id="outcomes-grid"')
    findings = page[
        page.index('id="ranked-findings"') : page.index(
            "</table>", page.index('id="ranked-findings"')
        )
    ]
    gaps = [float(g) for g in re.findall(r"<strong>([\d.]+) points</strong>", findings)]
    assert gaps, "the gap of each finding is shown, to the board too (item 11)"
    assert gaps == sorted(gaps, reverse=True), "the widest gap first"


def test_protected_characteristics_and_the_others_are_separate_grids(landlord: None) -> None:
    page = signed_in(UserFactory(role=Role.EQUALITY_LEAD)).get(reverse("insight:outcomes"))
    text = page.content.decode()
    protected = text[
        text.index("Protected characteristics") : text.index("Other needs and circumstances")
    ]
    others = text[text.index("Other needs and circumstances") :]
    assert ">Disability</th>" in protected
    assert ">Internet use</th>" not in protected
    assert ">Internet use</th>" in others
    assert ">Disability</th>" not in others
    # Age and the broad ethnic groups are protected characteristics; deprivation and needs are
    # circumstances (issue 28, items 10, 12 and 13).
    for name in ("Age", "Broad ethnic group"):
        assert f">{name}</th>" in protected, name
    for name in ("Deprivation of the area", "Support need", "Communication need"):
        assert f">{name}</th>" in others, name


def test_only_cells_with_a_finding_are_links_so_the_grid_is_short_to_tab_through(
    landlord: None,
) -> None:
    text = (
        signed_in(UserFactory(role=Role.EQUALITY_LEAD))
        .get(reverse("insight:outcomes"))
        .content.decode()
    )
    grids = text[text.index('id="outcomes-grid"') :]
    links = grids.count('<a class="govuk-link"')
    marked = grids.count("govuk-tag--red") + grids.count("govuk-tag--green")
    rows = grids.count('<th scope="row"')
    assert links <= marked + rows
    assert links < 326 / 2


def test_the_detail_page_switches_to_another_characteristic(landlord: None) -> None:
    client = signed_in(UserFactory(role=Role.EQUALITY_LEAD))
    response = client.get(
        reverse("insight:outcome_detail", args=["TP09", "disability"]), {"by": "sex"}
    )
    assert response.url == reverse("insight:outcome_detail", args=["TP09", "sex"])
