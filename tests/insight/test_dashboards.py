"""The dashboards on a small demo landlord: what the equality lead and the board each see."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from equal_outcomes.insight.population import import_population
from tests.auth import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("census_ethnicity_sample.csv")


class Tables(HTMLParser):
    """Every table of a page as {id: [[cell text, ...], ...]}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("id") or "", [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in {"td", "th"} and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self.cell is not None and self.current:
            self.current[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(response: Any) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


@pytest.fixture(scope="module")
def landlord(module_db: None, module_stores: None) -> dict[str, Any]:
    call_command("demo", customers=1500, seed=3)
    import_population(SAMPLE, characteristic="ethnicity", actor="system:test")
    return {
        "lead": signed_in(UserFactory(username="dash-lead", role=Role.EQUALITY_LEAD)),
        "board": signed_in(UserFactory(username="dash-board", role=Role.BOARD)),
    }


def test_the_lead_and_the_board_see_the_dashboards(landlord: dict[str, Any]) -> None:
    lead, board = landlord["lead"], landlord["board"]

    # Knowing our customers: coverage, with the data's date, narrowed by a filter.
    page = lead.get(reverse("insight:knowing"))
    assert page.status_code == 200
    assert "Data as at" in page.content.decode()
    coverage = tables(page)["coverage"]
    everyone = int(coverage[1][1])
    assert coverage[0][:2] == ["Characteristic", "People"]
    assert 1400 <= everyone <= 1500, "everyone except objectors"
    assert "<svg" in page.content.decode()
    assert '<title id="coverage-chart-title">' in (page.content.decode())
    area = re.search(r'<option value="([A-Z]{3})"', page.content.decode())
    assert area is not None
    narrowed = lead.get(reverse("insight:knowing"), {"area": area.group(1)})
    assert int(tables(narrowed)["coverage"][1][1]) < everyone
    refused = lead.get(reverse("insight:knowing"), {"area": "NOWHERE"})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()

    # Equal outcomes: the injected complaint-handling disparity shows in the grid and detail.
    grid = lead.get(reverse("insight:outcomes"))
    assert grid.status_code == 200
    link = reverse("insight:outcome_detail", args=["TP09", "disability"])
    assert link in grid.content.decode()
    detail = lead.get(link)
    rows = {row[0]: row for row in tables(detail)["breakdown"][1:]}
    assert rows["Disabled"][-1] == "Worse", "the group named without its question"
    assert "Trend by quarter" in detail.content.decode()
    trend = tables(detail)["trend"][1:]
    assert all(re.fullmatch(r"(\d+%|—|\[\w+\]) \((\d[\d,]*|—|\[\w+\])\)", cell)
               for row in trend for cell in row[1:]), "each quarter's figure with its group size"  # fmt: skip
    two_way = lead.get(link, {"and_by": "sex"})
    assert two_way.url == reverse("insight:outcome_detail", args=["TP09", "disability*sex"])
    crossed = lead.get(two_way.url)
    assert "by Disability and sex" in crossed.content.decode()
    assert {"Disabled & Female", "Not disabled & Male"} <= {
        row[0] for row in tables(crossed)["breakdown"][1:]
    }
    assert lead.get(link, {"and_by": "nonsense"}).status_code == 404
    assert lead.get(reverse("insight:outcome_detail", args=["TP09", "nonsense"])).status_code == 404
    assert lead.get(reverse("insight:outcome_detail", args=["NOPE", "sex"])).status_code == 404

    # The board sees the same breakdown with small groups withheld; the lead sees them.
    by_religion = reverse("insight:outcome_detail", args=["TP01", "religion"])
    internal = tables(lead.get(by_religion))["breakdown"][1:]
    published = tables(board.get(by_religion))["breakdown"][1:]
    assert any(int(row[1]) < 10 for row in internal), "the demo has small religious groups"
    for row in published:
        assert row[1] == "[c]" or int(row[1]) >= 10, row
    assert any(row[1] == "[c]" for row in published)

    # Who we serve: customers against the census benchmark.
    serve = board.get(reverse("insight:serve"))
    assert serve.status_code == 200
    shares = tables(serve)["serve-ethnicity"]
    assert shares[0][1] == "Customers"
    for row in shares[1:]:
        assert row[1] == "[c]" or int(row[1]) >= 10 or int(row[1]) == 0, row


def test_pages_explain_when_there_is_no_snapshot_yet(lead: Any) -> None:
    page = signed_in(lead).get(reverse("insight:outcomes"))
    assert page.status_code == 200
    assert "snapshot has not been built" in page.content.decode()


def test_results_not_worked_out_yet_are_queued_once_and_shown_when_ready(
    landlord: dict[str, Any], settings: Any
) -> None:
    """With a real task queue, a page whose results are not cached asks for them and waits."""
    from django_tasks import default_task_backend

    from equal_outcomes.insight.jobs import work_out

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from equal_outcomes.insight import results

    shutil.rmtree(Path(settings.HOME) / "results", ignore_errors=True)  # none worked out yet
    lead = landlord["lead"]
    url = reverse("insight:outcomes") + f"?area={results.filter_choices()['area'][0]}"
    waiting = lead.get(url)
    assert "being worked out" in waiting.content.decode()
    assert '<meta http-equiv="refresh"' not in waiting.content.decode()
    assert "Check again" in waiting.content.decode()
    lead.get(url)  # refreshing does not queue the work again
    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert len(queued) == 1
    work_out.call(*queued[0].args, **queued[0].kwargs)  # what the task worker does
    ready = lead.get(url)
    assert "Where a group is significantly worse or better served" in ready.content.decode()


def test_coverage_over_time_grows_to_today(landlord: dict[str, Any]) -> None:
    page = landlord["lead"].get(reverse("insight:knowing"))
    found = tables(page)
    trend = {row[0]: row[1:] for row in found["coverage-trend"][1:]}
    today = {row[0]: row[5] for row in found["coverage"][1:]}  # response rate now
    ethnicity = [int(cell.rstrip("%")) for cell in trend["Ethnic group"]]
    assert ethnicity == sorted(ethnicity), "answers held today accumulate"
    assert trend["Ethnic group"][-1] == today["Ethnic group"], "the last quarter ends today"
    assert ethnicity[0] < ethnicity[-1]


@pytest.mark.parametrize(
    "characteristic", ["x" * 300, "sex*sex", "sex*religion*ethnicity", "nonsense", "sex*"]
)
def test_a_drill_down_made_up_by_hand_is_refused_before_any_work(
    landlord: dict[str, Any], characteristic: str
) -> None:
    """Issue 25, finding 13: a board member could make a cache file and a background job for
    any string in the address, and 300 characters gave a 500."""
    results_folder = Path(django_settings.HOME) / "results"
    before = sorted(results_folder.rglob("*")) if results_folder.exists() else []
    response = landlord["board"].get(
        reverse("insight:outcome_detail", args=["TP09", characteristic])
    )
    assert response.status_code == 404
    after = sorted(results_folder.rglob("*")) if results_folder.exists() else []
    assert after == before


def test_the_boards_periods_give_no_hidden_count_away_when_subtracted(
    landlord: dict[str, Any],
) -> None:
    """Issue 25, finding 13: the board can ask for the whole time, each year and each quarter;
    no combination of what those pages publish pins down a count any of them hides."""
    from equal_outcomes.analysis.engine import ResultTable
    from equal_outcomes.insight.results import Filters, equal_outcomes, filter_choices
    from tests.analysis.test_counts_trends_disclosure import _recoverable_across_periods

    periods = ["", *filter_choices()["period"]]
    assert any("-Q" in period for period in periods)
    by_indicator: dict[str, list[ResultTable]] = {}
    hidden = 0
    for period in periods:
        for table in equal_outcomes(Filters(period=period), publishable=True)["tables"]:
            hidden += sum(row["n"] == "[c]" for row in table["rows"])
            by_indicator.setdefault(table["indicator"], []).append(
                ResultTable(
                    table["indicator"],
                    table["characteristic"],
                    table["comparison"],
                    table["rows"],
                    period,
                )
            )
    assert hidden, "the demo has small groups to hide"
    for indicator, tables in by_indicator.items():
        # A table of one row (nobody's answer known) is the indicator's total for the period:
        # it says nothing about any group, so finding it is no disclosure.
        whole_only = {f"{t.period}/{t.characteristic}/{t.rows[0]['category']}"
                      for t in tables if len(t.rows) == 1}  # fmt: skip
        assert set(_recoverable_across_periods(tables)) <= whole_only, indicator


def test_the_filters_offer_areas_and_groups_in_words(landlord: dict[str, Any]) -> None:
    """Issue 27, item 2: the group filter showed a Python list of both languages' labels and
    the area filter showed codes."""
    from equal_outcomes.customers.models import Area

    page = landlord["lead"].get(reverse("insight:knowing")).content.decode()
    assert "[(" not in page
    assert "Leaseholders and shared owners" in page
    area = Area.objects.order_by("code").first()
    assert f'<option value="{area.code}">{area.name}</option>' in page
