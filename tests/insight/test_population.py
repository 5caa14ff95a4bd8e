"""Census benchmarks (Nomis CSV) and who we serve against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from equal_outcomes.core.readers import UnreadableFile
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


CENSUS = Path(__file__).resolve().parents[1] / "data" / "census"


def test_a_nomis_query_download_loads_past_its_titles_percentages_and_notes() -> None:
    """Issue 28, item 6: title rows, "E01011954 : Hartlepool 001A" areas, % columns and the
    closing note were refused with twelve blank headings."""
    report = import_population(
        CENSUS / "ts021-lsoa-query.csv", characteristic="ethnicity", actor="system:test"
    )
    assert report.unmatched == []
    assert report.areas == 6
    counts = benchmark("ethnicity")
    assert len(counts) == 19
    lines = (CENSUS / "ts021-lsoa-query.csv").read_text().splitlines()
    totals = [int(line.split(",")[1]) for line in lines if line.startswith('"E01')]
    assert sum(counts.values()) == sum(totals), "the categories add up to the areas' totals"


def test_a_local_authority_is_chosen_from_a_table_of_small_areas() -> None:
    report = import_population(
        CENSUS / "ts021-lsoa-query.csv",
        characteristic="ethnicity",
        actor="system:test",
        geography=["Hartlepool"],
    )
    assert report.areas == 4
    with pytest.raises(UnreadableFile, match="no rows for E06000099"):
        import_population(
            CENSUS / "ts021-lsoa-query.csv",
            characteristic="ethnicity",
            actor="system:test",
            geography=["E06000099"],
        )


def test_overlapping_countries_are_refused_and_a_broad_table_loads_as_groups() -> None:
    """England and Wales, England and Wales were summed together; the five broad groups ended
    in "match no category; nothing was loaded:" and an empty list."""
    table = CENSUS / "ts021-broad-groups-ctry-query.csv"
    with pytest.raises(UnreadableFile, match=r"overlap .*England and Wales.*--geography"):
        import_population(table, characteristic="ethnicity", actor="system:test")
    report = import_population(
        table, characteristic="ethnicity", actor="system:test", geography=["W92000004"]
    )
    assert (report.loaded_as, report.areas) == ("ethnic_group", 1)
    groups = benchmark("ethnic_group")
    assert groups == {"asian": 89028, "black": 27554, "mixed": 48598, "white": 2915811,
                      "other": 26503}  # fmt: skip
    assert benchmark("ethnicity") == {}, "a broad table is not a benchmark for the detail"


def test_the_broad_groups_add_up_from_a_detailed_table() -> None:
    import_population(SAMPLE, characteristic="ethnicity", actor="system:test")
    detailed = benchmark("ethnicity")
    groups = benchmark("ethnic_group")
    assert groups["asian"] == sum(v for k, v in detailed.items() if k.startswith("asian_"))
    assert sum(groups.values()) == sum(detailed.values())


def test_census_age_bands_add_up_to_the_one_scheme(tmp_path: Path) -> None:
    """Items 6 and 7: age could not be imported at all; five-year bands now add up into the
    age_band scheme, and a band that straddles two of ours is refused by name."""
    report = import_population(
        CENSUS / "census2021-ts007a-ltla.csv", characteristic="age_band", actor="system:test"
    )
    assert report.unmatched == []
    lines = (CENSUS / "census2021-ts007a-ltla.csv").read_text().splitlines()
    cells = [line.split(",") for line in lines[1:]]
    english = next(row for row in cells if row[2].startswith("E"))
    counts = benchmark("age_band")
    assert counts["0_14"] == sum(int(c) for c in english[4:7])
    assert counts["85_plus"] == int(english[-1])
    assert sum(counts.values()) == int(english[3])
    odd = tmp_path / "odd.csv"
    odd.write_text("date,geography,geography code,Age: Aged 20 to 29 years\n2021,X,E06000001,5\n")
    assert import_population(odd, characteristic="age_band", actor="system:test").unmatched == [
        "Age: Aged 20 to 29 years"
    ]


def test_representation_by_age_and_by_broad_group(lead: Any, capsys: Any) -> None:
    import datetime as dt

    for number in range(30):
        customer = CustomerFactory(date_of_birth=dt.date(1950 + number, 6, 1))
        record_answer(lead, customer, "ethnicity", "asian_indian" if number < 6 else "white_irish")
    call_command("snapshot")
    call_command("import", "population", str(CENSUS / "census2021-ts007a-ltla.csv"),
                 "--characteristic", "age_band")  # fmt: skip
    call_command("import", "population", str(CENSUS / "ts021-broad-groups-ctry-query.csv"),
                 "--characteristic", "ethnicity", "--geography", "E92000001")  # fmt: skip
    capsys.readouterr()
    call_command("representation", "--by", "ethnic_group", "--format", "json")
    rows = {row["category"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["asian"]["customers"] == 6
    assert rows["asian"]["benchmark_share"] == pytest.approx(5426392 / 56490048)
    call_command("representation", "--by", "age_band", "--format", "json")
    bands = {row["category"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    assert bands["0_14"]["customers"] == 0
    assert sum(row["customers"] for row in bands.values()) == 30


def test_respondents_are_compared_with_the_people_a_survey_asks(
    lead: Any, tmp_path: Path, capsys: Any
) -> None:
    """Issue 28, item 9: respondent representativeness counted children and household members
    in the customer base. Twenty adult tenants (ten disabled) and twenty children and household
    members (none disabled); the twenty tenants answer the survey."""
    import datetime as dt

    rows = ["customer_ref,event_type,satisfied"]
    for number in range(40):
        tenant = number < 20
        customer = CustomerFactory(
            landlord_ref=f"S{number:03d}",
            customer_type="tenant" if tenant or number % 2 else "household_member",
            date_of_birth=dt.date(1970, 1, 1) if tenant or number % 2 == 0 else dt.date(2018, 1, 1),
        )
        record_answer(lead, customer, "disability", "yes" if tenant and number < 10 else "no")
        if tenant:
            rows.append(f"S{number:03d},tsm_survey,1")
    extract = tmp_path / "survey.csv"
    extract.write_text("\n".join(rows) + "\n")
    call_command("snapshot")
    call_command("import", "events", str(extract))
    capsys.readouterr()
    call_command(
        "representation", "--by", "disability", "--among", "tsm_survey", "--format", "json"
    )
    shown = {row["category"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    assert shown["yes"]["benchmark_share"] == pytest.approx(10 / 20), "adult tenants only"
    assert shown["yes"]["flag"] == "as_expected"
