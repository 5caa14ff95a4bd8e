"""Hostile input, generated (hypothesis), for a bounded time: the importers (customer, HR),
mapping files and the tenant questionnaire refuse what they cannot use with a reason, and never
crash. (The API is fuzzed by schemathesis in tests/api/test_schema.py.)"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equal_outcomes.accounts.roles import Role
from equal_outcomes.core.readers import UnreadableFile, read_table
from equal_outcomes.imports.customers import import_customers
from equal_outcomes.imports.mapping import load_mapping
from equal_outcomes.imports.values import BadValue
from equal_outcomes.workforce.imports import KINDS, import_workforce
from tests.auth import signed_in
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HEADERS = ["customer_ref", "customer_type", "first_name", "date_of_birth", "ethnicity",
           "religion", "sex", "preferred_format", "Mystery", "staff_ref", "hourly_pay",
           "applied_on", "stage", "share", "characteristic", "category"]  # fmt: skip
cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "00123",
            "31/02/2020",
            "Prefer not to say",
            "W1",
            "\x00",
            '"',
            "\r\n",
            "£12.50",
            "-1",
            "1e309",
            "NaN",
            "0" * 500,
        ]
    ),
)
tables = st.tuples(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    st.lists(st.lists(cells, max_size=7), max_size=8),
)


def csv_text(headers: list[str], rows: list[list[str]]) -> str:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    return "\n".join(",".join(quoted(c) for c in line) for line in [headers, *rows]) + "\n"


@FUZZ
@given(table=tables, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_customer_imports_of_generated_files_report_problems_and_never_crash(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], encoding: str
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(csv_text(*table).encode(encoding, errors="replace"))
    try:
        report = import_customers(path, actor="system:fuzz", dry_run=True)
    except (UnreadableFile, BadValue):
        return
    assert report.rows >= 0
    for problem in report.problems:
        assert problem.reason


@FUZZ
@given(table=tables, kind=st.sampled_from(sorted(KINDS)))
def test_hr_imports_of_generated_files_report_problems_and_never_crash(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], kind: str
) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(csv_text(*table), encoding="utf-8")
    try:
        report = import_workforce(path, kind, actor="system:fuzz", dry_run=True)
    except (UnreadableFile, BadValue):
        return
    assert all(problem.reason for problem in report.problems)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_posing_as_a_workbook_are_refused_cleanly(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile):
        list(read_table(path).rows)


def test_a_workbook_with_a_huge_cell_or_bomb_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["customer_ref", "first_name"])
    book.active.append(["1", "x" * 20_000])
    huge = tmp_path / "huge.xlsx"
    book.save(huge)
    with pytest.raises(UnreadableFile, match="longer than"):
        list(read_table(huge).rows)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
    (tmp_path / "bomb.xlsx").write_bytes(bomb.getvalue())
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_table(tmp_path / "bomb.xlsx")


@pytest.mark.parametrize(
    "text",
    [
        # A "billion laughs": aliases that would expand to gigabytes of text.
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "values: {ethnicity: {x: *f}}\n",
        "columns: " + "{a: " * 5000 + "x" + "}" * 5000 + "\n",  # nested past any sane depth
        "columns: [1, 2, 3]\n",
        "values: {ethnicity: 7}\n",
        "\x00\x01 not yaml: [",
        "columns: !!python/object/apply:os.system ['true']\n",
    ],
)
def test_hostile_mapping_files_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(text)
    with pytest.raises(UnreadableFile):
        load_mapping(path)


@FUZZ
@given(
    answer=st.one_of(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=4)),
    question=st.sampled_from(
        ["sex", "ethnicity", "religion", "disability", "main_language", "impairment_type"]
    ),
    extra=st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=3),
)
def test_the_questionnaire_answers_generated_posts_without_a_server_error(
    answer: Any, question: str, extra: dict[str, str]
) -> None:
    tenant = UserFactory(role=Role.TENANT)
    customer = CustomerFactory()
    customer.user = tenant
    customer.save()
    client = signed_in(tenant)
    data: dict[str, Any] = {**extra, "answer": answer}
    response = client.post(f"/questionnaire/question/{question}/", data)
    assert response.status_code < 500


def test_a_nul_character_in_a_cell_is_refused_before_the_database_sees_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nul.csv"
    path.write_text("customer_ref,customer_type\n00\x001,tenant\n")
    with pytest.raises(UnreadableFile, match="NUL"):
        import_customers(path, actor="system:fuzz", dry_run=True)
