"""Outcomes by the deprivation of the area people live in, and by rural-urban class (issue 28,
item 13): England's Indices of Deprivation and the Welsh Index, as published."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.insight.deprivation import deciles, import_deprivation
from equal_outcomes.insight.snapshot import build_snapshot, store_path
from equal_outcomes.insight.stores import open_store
from tests.factories import CustomerFactory, HouseholdFactory, PropertyFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "deprivation"
ENGLAND = DATA / "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
WALES = DATA / "WIMD_2019_ranks_by_small_area.csv"


def published(path: Path, column: str) -> dict[str, str]:
    with path.open(newline="") as handle:
        return {row[next(iter(row))]: row[column] for row in csv.DictReader(handle)}


def test_both_nations_load_and_wales_deciles_come_from_its_ranks() -> None:
    england = import_deprivation(ENGLAND, actor="system:test")
    wales = import_deprivation(WALES, actor="system:test")
    assert (england.areas, england.nations, wales.areas, wales.nations) == (
        6, ["England"], 5, ["Wales"])  # fmt: skip
    loaded = deciles()
    imd = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    for code, decile in published(ENGLAND, imd).items():
        assert loaded[code] == int(decile)
    # Ranked out of Wales's 1,909 small areas: 12th is in the most deprived tenth, 1,909th
    # in the least, 955th just past the middle.
    assert [loaded[c] for c in ("W01001597", "W01001599", "W01001601")] == [1, 6, 10]
    import_deprivation(ENGLAND, actor="system:test")
    assert len(deciles()) == 11, "loading England again replaces England's rows only"


def test_a_workbook_that_opens_on_its_notes_is_read(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["The English Indices of Deprivation 2019"])
    sheet = workbook.create_sheet("IMD2019")
    with ENGLAND.open(newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row[:7])
    path = tmp_path / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
    workbook.save(path)
    assert import_deprivation(path, actor="system:test").areas == 6


def test_a_row_that_is_not_an_lsoa_stops_the_load(tmp_path: Path) -> None:
    bad = tmp_path / "wimd.csv"
    bad.write_text(WALES.read_text() + "Total,,,,,1909,,,,,,,,\n")
    with pytest.raises(UnreadableFile, match="Total is not an LSOA code"):
        import_deprivation(bad, actor="system:test")
    assert deciles() == {}


def test_outcomes_break_down_by_deprivation_and_rural_urban_class(
    lead: Any, tmp_path: Path, capsys: Any
) -> None:
    import_deprivation(WALES, actor="system:test")
    rows = ["customer_ref,event_type,on_time"]
    for number in range(40):
        deprived = number < 20
        home = PropertyFactory(lsoa_code="W01001597" if deprived else "W01001601",
                               rural_urban="E1" if deprived else "A1")  # fmt: skip
        CustomerFactory(landlord_ref=f"D{number:03d}", household=HouseholdFactory(property=home))
        rows.append(f"D{number:03d},repair,{int(not deprived or number % 4 == 0)}")
    extract = tmp_path / "repairs.csv"
    extract.write_text("\n".join(rows) + "\n")
    build_snapshot(actor="system:test")
    with open_store(store_path(), read_only=True) as con:
        held = set(con.execute("SELECT deprivation_decile, rural_urban FROM people").fetchall())
    assert held == {("1", "E1"), ("10", "A1")}
    call_command("import", "events", str(extract))
    capsys.readouterr()
    call_command("analyse", "--indicator", "RP02", "--by", "deprivation_decile",
                 "--by", "rural_urban", "--format", "json")  # fmt: skip
    tables = {t["characteristic"]: t for t in json.loads(capsys.readouterr().out)}
    poorest = {r["category"]: r for r in tables["deprivation_decile"]["rows"]}["1"]
    assert (poorest["n"], poorest["value"], poorest["flag"]) == (20, 0.25, "worse")
    village = {r["category"]: r for r in tables["rural_urban"]["rows"]}["E1"]
    assert village["flag"] == "worse"
