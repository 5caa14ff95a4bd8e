"""Importing customers from messy real-world exports: all or nothing, every problem reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from equal_outcomes.audit.services import verify_chain
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.customers.models import CommunicationPreference, Customer, ProfileAnswer
from equal_outcomes.imports.customers import import_customers
from tests.factories import PropertyFactory

pytestmark = pytest.mark.django_db

HEADER = "customer_ref,customer_type,first_name,last_name,date_of_birth,ethnicity,religion,sex,recorded_on\n"


def write(tmp_path: Path, text: str, *, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def answers(ref: str) -> dict[str, tuple[str, str]]:
    return {
        a.characteristic: (a.state, a.value)
        for a in ProfileAnswer.objects.filter(customer__landlord_ref=ref, is_current=True)
    }


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        (
            a.customer.landlord_ref,
            a.characteristic,
            a.state,
            a.value,
            a.recorded_at,
            a.last_confirmed_at,
            a.is_current,
        )
        for a in ProfileAnswer.objects.select_related("customer")
    ) + sorted(
        Customer.objects.values_list(
            "landlord_ref", "first_name", "last_name", "date_of_birth", "customer_type"
        )
    )


def test_the_canonical_columns_import_with_no_mapping(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "00123,Tenant,Siân,Jones,31/01/1985,White - British,Declined,Female,01/03/2024\n"
        + "00124,leaseholder,Bob,Smith,5 March 1970,Indian,muslim,M,2024-03-02\n",
    )
    report = import_customers(path, actor="system:test")
    assert report.problems == []
    assert (report.created, report.answers_added) == (2, 6)
    siân = Customer.objects.get(landlord_ref="00123")
    assert (siân.first_name, str(siân.date_of_birth)) == ("Siân", "1985-01-31")
    assert answers("00123") == {
        "ethnicity": ("answered", "white_british"),
        "religion": ("prefer_not_to_say", ""),
        "sex": ("answered", "female"),
    }
    assert answers("00124")["religion"] == ("answered", "muslim")
    assert Customer.objects.get(landlord_ref="00124").customer_type == "leaseholder"


def test_a_byte_order_mark_windows_1252_and_blank_lines_are_handled(tmp_path: Path) -> None:
    bom = write(
        tmp_path, "\ufeff" + HEADER + "\n\n0001,tenant,Zoë,Ní Bhriain,,,,,\n", name="bom.csv"
    )
    report = import_customers(bom, actor="system:test")
    assert report.problems == []
    assert report.encoding == "utf-8"
    cp1252 = write(
        tmp_path, HEADER + "0002,tenant,Siân,O\u2019Brien,,,,,\r\n", name="w.csv", encoding="cp1252"
    )
    report = import_customers(cp1252, actor="system:test")
    assert report.encoding == "windows-1252"
    assert Customer.objects.get(landlord_ref="0002").last_name == "O\u2019Brien"
    assert Customer.objects.get(landlord_ref="0001").first_name == "Zoë"


def test_every_problem_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "C1,tenant,Ann,Ash,30/02/1990,Martian,,,\n"
        + "C2,tenant,Ben,Birch,01/01/2999,,,,\n"
        + "C1,tenant,Ann,Again,,,,,\n"
        + "C3,dragon,,Cedar,,,,Femal,31/12/2999\n"
        + "C4,tenant,Dee,Dogwood,13/13/1980,,,,\n",
    )
    report = import_customers(path, actor="system:test")
    found = {(p.row, p.column, p.reason.split(":")[0]) for p in report.problems}
    assert found == {
        (2, "date_of_birth", "no such date"),
        (2, "ethnicity", "not a known ethnic group answer"),
        (3, "date_of_birth", "a date of birth must be after 1900 and not in the future"),
        (4, "customer_ref", "the same reference is on line 2"),
        (5, "customer_type", "not a known customer type answer"),
        (5, "sex", "not a known sex answer"),
        (5, "recorded_on", "the date is in the future"),
        (5, "first_name", "a new customer needs a name"),
        (6, "date_of_birth", "no such date"),
    }
    assert not report.written
    assert Customer.objects.count() == 0


def test_leading_zeros_and_formula_like_cells_are_kept_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '000042,tenant,"=HYPERLINK(""x"")",+Plus,,,,,\n')
    import_customers(path, actor="system:test")
    customer = Customer.objects.get(landlord_ref="000042")
    assert customer.first_name == '=HYPERLINK("x")'


def test_xlsx_with_dates_numbers_and_text_references(tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["Customer Ref", "Customer Type", "First Name", "Last Name", "Date of Birth", "Disability"]
    )
    sheet.append(["00077", "Tenant", "Elin", "Hughes", dt.datetime(1961, 7, 4), "Yes"])
    sheet.append([78, "Tenant", "Iolo", "Morgan", "04/07/1962", "No"])
    book.save(tmp_path / "export.xlsx")
    report = import_customers(tmp_path / "export.xlsx", actor="system:test")
    assert report.problems == []
    assert str(Customer.objects.get(landlord_ref="00077").date_of_birth) == "1961-07-04"
    assert Customer.objects.filter(landlord_ref="78").exists()
    assert answers("00077")["disability"] == ("answered", "yes")


def test_a_mapping_file_handles_other_headers_and_values(tmp_path: Path) -> None:
    mapping = tmp_path / "hms.yaml"
    mapping.write_text(
        "columns:\n  Tenant Ref: customer_ref\n  Forename: first_name\n  Surname: last_name\n"
        "  Ethnic Origin: ethnicity\n  Internal Notes: ignore\n"
        "values:\n  ethnicity:\n    WB: white_british\n    '99': prefer_not_to_say\n"
    )
    path = write(
        tmp_path,
        "Tenant Ref,Forename,Surname,Ethnic Origin,Internal Notes,Shoe Size\n"
        "T1,Ann,Ash,WB,x,9\nT2,Ben,Birch,99,y,10\nT3,Cat,Cedar,Not known,z,4\n",
    )
    report = import_customers(
        path, actor="system:test", mapping_path=mapping, default_type="tenant"
    )
    assert report.problems == []
    assert report.ignored_columns == ["Shoe Size"]
    assert answers("T1") == {"ethnicity": ("answered", "white_british")}
    assert answers("T2") == {"ethnicity": ("prefer_not_to_say", "")}
    assert answers("T3") == {}, "'Not known' means not asked"


def test_a_broken_mapping_file_is_refused_clearly(tmp_path: Path) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("columns: [1, 2\n")
    with pytest.raises(UnreadableFile, match="mapping file is not valid"):
        import_customers(write(tmp_path, HEADER), actor="system:test", mapping_path=mapping)


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "customer_ref,customer_type,first_name,last_name,ethnicity,preferred_format,interpreter_needed\n"
        "R1,tenant,Ann,Ash,Pakistani,Large print,yes\nR2,tenant,Ben,Birch,,,\n",
    )
    import_customers(path, actor="system:test")
    before = snapshot()
    again = import_customers(path, actor="system:test")
    assert (again.created, again.updated, again.unchanged, again.answers_added) == (0, 0, 2, 0)
    assert snapshot() == before
    assert CommunicationPreference.objects.get().preferred_format == "large_print"
    assert verify_chain().intact


def test_an_older_answer_never_replaces_a_newer_one(tmp_path: Path) -> None:
    newer = write(tmp_path, HEADER + "N1,tenant,Ann,Ash,,,Christian,,01/06/2025\n", name="new.csv")
    older = write(tmp_path, HEADER + "N1,tenant,Ann,Ash,,,Jewish,,01/06/2023\n", name="old.csv")
    import_customers(newer, actor="system:test")
    report = import_customers(older, actor="system:test")
    assert report.answers_older_skipped == 1
    assert answers("N1")["religion"] == ("answered", "christian")
    later = write(tmp_path, HEADER + "N1,tenant,Ann,Ash,,,Jewish,,01/09/2025\n", name="later.csv")
    import_customers(later, actor="system:test")
    assert answers("N1")["religion"] == ("answered", "jewish")
    assert (
        ProfileAnswer.objects.filter(customer__landlord_ref="N1", characteristic="religion").count()
        == 2
    )


def test_a_failure_after_writing_began_leaves_the_database_unchanged(tmp_path: Path) -> None:
    import_customers(
        write(tmp_path, HEADER + "K1,tenant,Ann,Ash,,Indian,,,\n", name="k.csv"),
        actor="system:test",
    )
    before = snapshot()
    rows = "".join(f"F{i:05d},tenant,Name{i},Last{i},,Irish,,,\n" for i in range(3000))

    def fail_when_customers_are_written(stage: str, done: int, total: int) -> None:
        if stage == "customers":
            raise RuntimeError("the power went out")

    with pytest.raises(RuntimeError):
        import_customers(
            write(tmp_path, HEADER + "K1,tenant,Ann,Ash,,Chinese,,,\n" + rows),
            actor="system:test",
            progress=fail_when_customers_are_written,
        )
    assert snapshot() == before
    assert verify_chain().intact


def test_valid_only_imports_the_good_rows_and_hands_back_the_rest(
    tmp_path: Path, capsys: Any
) -> None:
    path = write(tmp_path, HEADER + "V1,tenant,Ann,Ash,,,,,\nV2,tenant,Ben,Birch,99/99/9999,,,,\n")
    rejected = tmp_path / "rejected.csv"
    call_command("import", "customers", str(path), "--valid-only", "--rejected", str(rejected))
    assert list(Customer.objects.values_list("landlord_ref", flat=True)) == ["V1"]
    lines = rejected.read_text().splitlines()
    assert lines[0].endswith(",problems")
    assert lines[1].startswith("V2,")
    assert "date_of_birth: no such date" in lines[1]


def test_the_command_exits_1_with_a_json_report_when_rows_fail(tmp_path: Path, capsys: Any) -> None:
    path = write(tmp_path, HEADER + "X1,tenant,Ann,Ash,,Klingon,,,\n")
    report = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "customers", str(path), "--report", str(report))
    assert exit_info.value.code == 1
    problems = json.loads(report.read_text())["problems"]
    assert problems == [
        {
            "row": 2,
            "column": "ethnicity",
            "value": "Klingon",
            "reason": "not a known ethnic group answer",
        }
    ]
    assert "row 2, ethnicity" in capsys.readouterr().err


def test_a_dry_run_counts_but_writes_nothing(tmp_path: Path) -> None:
    report = import_customers(
        write(tmp_path, HEADER + "D1,tenant,Ann,Ash,,,,,\n"), actor="system:test", dry_run=True
    )
    assert report.created == 1
    assert not Customer.objects.exists()


def test_households_and_properties_are_linked(tmp_path: Path) -> None:
    home = PropertyFactory(property_ref="P-0001")
    path = write(
        tmp_path,
        "customer_ref,customer_type,first_name,last_name,household_ref,property_ref\n"
        "H1,tenant,Ann,Ash,HH-01,P-0001\nH2,household_member,Ben,Ash,HH-01,P-0001\nH3,tenant,Cy,Oak,HH-02,P-9999\n",
    )
    report = import_customers(path, actor="system:test", valid_only=True)
    assert [(p.row, p.column) for p in report.problems] == [(4, "property_ref")]
    ann = Customer.objects.get(landlord_ref="H1")
    assert ann.household.property == home
    assert set(ann.household.members.values_list("landlord_ref", flat=True)) == {"H1", "H2"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\x81\x8d\x8f\x90\x9d" * 10, "neither UTF-8 nor Windows-1252"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        import_customers(path, actor="system:test")


def test_a_zip_bomb_posing_as_a_workbook_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 200_000_000)
    with pytest.raises(UnreadableFile, match="zip bomb"):
        import_customers(path, actor="system:test")


def test_labels_as_housing_systems_export_them_are_accepted(tmp_path: Path) -> None:
    """Issue 28, item 14: CORE, GSS and NHS wordings were refused as unknown answers."""
    path = write(
        tmp_path,
        "customer_ref,customer_type,first_name,last_name,ethnicity,sexual_orientation,"
        "gender_identity,sex,preferred_format\n"
        '"C1",tenant,Ann,Ash,"English, Welsh, Northern Irish, Scottish or British",'
        'Heterosexual or Straight,"No, enter gender identity",Female,Email\n'
        "C2,tenant,Ben,Birch,Any other Asian or Asian British background,Straight/Heterosexual,"
        "Yes,Tenant prefers not to say,Large print\n"
        "C3,tenant,Cat,Cedar,Other ethnic group,Gay or Lesbian,Yes,Male,\n"
        "C4,tenant,Dai,Derw,Asian or Asian British - Indian,"
        "Not stated (person asked but declined to provide a response),Yes,Male,\n",
    )
    report = import_customers(path, actor="system:test")
    assert report.problems == []
    assert answers("C1") == {
        "ethnicity": ("answered", "white_british"),
        "sexual_orientation": ("answered", "heterosexual"),
        "gender_identity": ("answered", "different"),
        "sex": ("answered", "female"),
    }
    assert answers("C2")["sex"] == ("prefer_not_to_say", "")
    assert answers("C2")["ethnicity"] == ("answered", "asian_other")
    assert answers("C3")["ethnicity"] == ("answered", "other_any")
    assert answers("C4")["sexual_orientation"] == ("prefer_not_to_say", "")
    assert CommunicationPreference.objects.get(customer__landlord_ref="C1").preferred_format == (
        "electronic"
    )


def test_a_mapping_to_something_that_is_not_an_answer_names_it(tmp_path: Path) -> None:
    mapping = tmp_path / "hms.yaml"
    mapping.write_text("values:\n  ethnicity:\n    WB: white_britsh\n    WI: Irish\n")
    path = write(tmp_path, "customer_ref,customer_type,first_name,last_name,ethnicity\n"
                 "T1,tenant,Ann,Ash,WB\nT2,tenant,Ben,Birch,WI\n")  # fmt: skip
    report = import_customers(path, actor="system:test", mapping_path=mapping)
    (problem,) = report.problems
    assert (problem.row, problem.column) == (2, "ethnicity")
    assert "“WB” to “white_britsh”" in problem.reason
    assert "not an answer in the ethnic group list" in problem.reason
