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


# Service pages (issue 31): each service's indicators for everyone and the groups served worse.


def _service_page(role: Role, service: str, language: str = "en") -> str:
    from django.conf import settings

    client = signed_in(UserFactory(role=role))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("insight:service", args=[service]))
    assert response.status_code == 200
    return response.content.decode()


def _line(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</section>", start)]


def test_the_demo_works_out_the_service_pages_too(landlord: None) -> None:
    from equal_outcomes.insight import results

    assert results.is_ready("services", results.Filters(), False)
    assert results.is_ready("services", results.Filters(), True)


def test_every_service_is_listed_with_a_page(landlord: None) -> None:
    from equal_outcomes.analysis.indicators import services

    page = (
        signed_in(UserFactory(role=Role.EQUALITY_LEAD))
        .get(reverse("insight:services"))
        .content.decode()
    )
    for service in services():
        assert reverse("insight:service", args=[service.id]) in page, service.id
    client = signed_in(UserFactory(role=Role.EQUALITY_LEAD))
    assert client.get(reverse("insight:service", args=["gardening"])).status_code == 404


def test_a_service_page_gives_the_figure_for_everyone_against_its_standard(
    landlord: None,
) -> None:
    """The share of harassment, hate crime and domestic abuse cases contacted within a day, as
    counted straight from the events store, and the group the demo serves worse."""
    from equal_outcomes.insight.events import events_path
    from equal_outcomes.insight.stores import open_store

    with open_store(events_path(), read_only=True) as con:
        within, cases = con.execute(
            "SELECT count(*) FILTER (WHERE CAST(days_to_first_contact AS INTEGER) <= 1), count(*) "
            "FROM events WHERE event_type = 'asb_case' "
            "AND category IN ('harassment', 'hate_crime', 'domestic_abuse')"
        ).fetchone()
    page = _service_page(Role.EQUALITY_LEAD, "asb")
    assert "First contact within 1 day for harassment" in page  # the service standard
    line = _line(page, "Harassment, hate crime and domestic abuse cases with first contact")
    assert f"<strong>{round(100 * within / cases)}%</strong>" in line
    assert f"{cases:,} events" in line
    # Every group the outcome tables find worse served on it is named on its line, and on the
    # first indicator with one, with its figure against everyone else's.
    from equal_outcomes.core.templatetags.codes import category_label
    from equal_outcomes.insight import results

    tables = results.equal_outcomes(results.Filters(), publishable=False)["tables"]
    worse = {
        (t["indicator"], category_label(r["category"], t["characteristic"]))
        for t in tables
        for r in t["rows"]
        if t["indicator"].startswith(("asb", "harassment", "NM01", "TP12", "domestic"))
        and r["flag"] == "worse"
    }
    assert worse, "the demo serves some group worse on anti-social behaviour"
    lines = page[page.index('id="service-figures"') :]
    for _indicator, group in worse:
        assert f">{group}</a>" in lines, group


def test_a_service_page_in_welsh(landlord: None) -> None:
    page = _service_page(Role.EQUALITY_LEAD, "adaptations", "cy")
    assert "Cymhorthion ac addasiadau" in page
    assert "Mân addasiadau a gwblhawyd o fewn 28 diwrnod" in page
    assert "Safon y gwasanaeth" in page
    for english in ("Minor adaptations completed", "Groups worse served", "Everyone"):
        assert english not in page, english


def test_the_board_sees_a_figure_for_everyone_only_where_a_table_shows_every_group(
    landlord: None,
) -> None:
    """Otherwise the figure for everyone, less the groups shown, gives a withheld group away."""
    from equal_outcomes.insight import results

    data = results.service_figures(results.Filters(), publishable=True)
    complete = {
        table["indicator"]
        for table in data["outcomes"]["tables"]
        if table["rows"] and not any(row["suppressed"] for row in table["rows"])
    }
    shown = {key for key, figures in data["overall"].items() if figures["value"] is not None}
    assert shown <= complete
    withheld = set(data["overall"]) - complete
    assert withheld, "the demo has indicators whose every table withholds a group"
    page = _service_page(Role.BOARD, "asb")
    assert "[c]" in page


# The contractors' scorecard (issue 31, item 8).


def test_the_contractors_scorecard_counts_each_contractors_visits(landlord: None) -> None:
    """Coast Gas's visits without access, as counted straight from the events store, and every
    contractor the events name; the demo works the scorecard out before anyone opens it."""
    from django.conf import settings

    from equal_outcomes.insight import results
    from equal_outcomes.insight.events import events_path
    from equal_outcomes.insight.stores import open_store

    assert results.is_ready("contractors", results.Filters(), False)
    assert results.is_ready("contractors", results.Filters(), True)
    with open_store(events_path(), read_only=True) as con:
        missed, visits = con.execute(
            "SELECT count(*) FILTER (WHERE CAST(no_access AS VARCHAR) IN ('1', 'true')), "
            "count(*) FROM events WHERE event_type = 'contractor_visit' "
            "AND contractor = 'Coast Gas Ltd'"
        ).fetchone()
    assert visits
    client = signed_in(UserFactory(role=Role.EQUALITY_LEAD))
    page = client.get(reverse("insight:contractors")).content.decode()
    for name in ("Coast Gas Ltd", "Valleys Repairs Ltd", "Cwm Building Services"):
        assert name in page, name
    card = page[page.index("Coast Gas Ltd") :]
    card = card[card.index("Contractors&#x27; visits with no access") :]
    assert f"<strong>{round(100 * missed / visits)}%</strong>" in card[:400]
    assert f"({visits:,} events)" in card[:400]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(reverse("insight:contractors")).content.decode()
    assert "Cerdyn sgorio contractwyr" in welsh
    assert "Ymweliadau contractwyr heb fynediad" in welsh


def test_the_boards_scorecard_gives_no_figure_a_table_does_not_show_whole(
    landlord: None,
) -> None:
    from equal_outcomes.insight import results

    data = results.contractor_scorecard(results.Filters(), publishable=True)
    cells = [cell for c in data["contractors"] for cell in c["cells"].values()]
    assert cells
    assert all(cell["value"] is None for cell in cells if not cell["complete"])
    page = signed_in(UserFactory(role=Role.BOARD)).get(reverse("insight:contractors"))
    assert page.status_code == 200
    # The gas contractor does no repairs: nothing is said of them, not even withheld.
    card = page.content.decode()
    card = card[card.index("Coast Gas Ltd") : card.index("Cwm Building Services")]
    card = card[: card.index("No events of this contractor for")]
    assert "Repair appointments kept" not in card


def test_the_involvement_page_compares_who_takes_part_with_the_customer_base(
    landlord: None,
) -> None:
    """Issue 31, item 10: each group's share of the people taking part, counted straight from
    the stores, against its share of the customers who could take part."""
    from equal_outcomes.insight import results

    data = results.engagement(results.Filters(), publishable=False)["characteristics"]
    rows = {row["category"]: row for row in data["sex"]}
    assert abs(sum(row["share"] for row in rows.values()) - 1) < 1e-9
    assert abs(sum(row["benchmark_share"] for row in rows.values()) - 1) < 1e-9
    page = _service_page(Role.EQUALITY_LEAD, "involvement")
    section = page[page.index('id="taking-part"') :]
    assert "Who takes part, against the customer base" in page
    female = section[section.index(">Female</th>") :]
    assert f"{round(rows['female']['share'] * 100)}%" in female[:300]
    welsh = _service_page(Role.EQUALITY_LEAD, "involvement", "cy")
    assert "sylfaen cwsmeriaid" in welsh
    assert "Who takes part" not in welsh
