"""Census benchmarks (Nomis CSV) and who we serve against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from equal_outcomes.insight.population import benchmark, import_population
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "census_ethnicity_sample.csv"


def test_a_nomis_table_loads_by_category_without_totals_or_group_subtotals() -> None:
    report = import_population(SAMPLE, characteristic="ethnicity", actor="system:test")
    assert report.written
    assert report.unmatched == []
    counts = benchmark("ethnicity")
    assert counts["white_british"] == 130000
    assert counts["asian_other"] == 1000
    assert sum(counts.values()) == 159600, "only the 19 categories, which add up to the total"


def test_headings_that_match_no_category_stop_the_load(tmp_path: Path) -> None:
    table = tmp_path / "odd.csv"
    table.write_text("date,geography,geography code,Ethnic group: Martian\n2021,X,X1,5\n")
    report = import_population(table, characteristic="ethnicity", actor="system:test")
    assert not report.written
    assert report.unmatched == ["Ethnic group: Martian"]


def test_representation_compares_customers_with_the_population(lead: Any, capsys: Any) -> None:
    for number in range(40):
        customer = CustomerFactory()
        record_answer(
            lead, customer, "ethnicity", "black_african" if number < 10 else "white_british"
        )
    call_command("snapshot")
    call_command("import", "population", str(SAMPLE), "--characteristic", "ethnicity")
    capsys.readouterr()
    call_command("representation", "--by", "ethnicity", "--format", "json")
    rows = {row["category"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["black_african"]["share"] == pytest.approx(0.25)
    assert rows["black_african"]["flag"] == "over_represented"
    assert rows["asian_indian"]["customers"] == 0


def test_a_landlord_in_wales_is_compared_with_the_welsh_rows(tmp_path: Path) -> None:
    """Issue 26, item 4: in Wales, reports use the Welsh census rows; a table holding English
    areas as well no longer sums both nations together."""
    from equal_outcomes.accounts.organisation import organisation_save

    lines = SAMPLE.read_text().splitlines()
    welsh = next(line for line in lines[1:] if ",W06" in line)
    english = welsh.replace("Newport", "Hartlepool").replace(",W06000022,", ",E06000001,")
    english = ",".join(
        cell if i < 3 else str(int(cell) * 10) for i, cell in enumerate(english.split(","))
    )
    both = tmp_path / "both.csv"
    both.write_text("\n".join([lines[0], welsh, english]) + "\n")
    import_population(both, characteristic="ethnicity", actor="system:test")
    in_england = benchmark("ethnicity")
    organisation_save(actor="system:test", nation="wales")
    in_wales = benchmark("ethnicity")
    assert sum(in_england.values()) == 10 * sum(in_wales.values())
