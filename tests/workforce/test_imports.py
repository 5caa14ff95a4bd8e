"""HR imports follow the customers' rules: every problem reported, all or nothing, re-import
changes nothing, equality answers encrypted with the customers' codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.workforce.imports import import_workforce
from equal_outcomes.workforce.models import Application, Benchmark, StaffMember, Training

STAFF = (
    "Staff Ref,Grade,Hourly Pay,Started On,Left On,Leaving Reason,Sex,Ethnicity,Disability,"
    "Date of Birth\n"
    "00123,G3,£15.10,01/04/2015,,,Female,White - British,No,12/03/1980\n"
    "00124,G5,21.40,1 Jan 2010,31/08/2026,Resignation,M,Indian,Prefer not to say,\n"
)


def write(tmp_path: Path, text: str, name: str = "hr.csv", encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.mark.django_db
def test_staff_import_keeps_references_and_encrypts_equality_answers(tmp_path: Path) -> None:
    report = import_workforce(write(tmp_path, STAFF), "staff", actor="system:test")
    assert report.problems == []
    assert report.created == 2
    member = StaffMember.objects.get(reference="00123")
    assert member.hourly_pay == Decimal("15.10")
    assert member.started_on == dt.date(2015, 4, 1)
    assert member.answers == {
        "date_of_birth": "1980-03-12", "disability": "no", "ethnicity": "white_british",
        "sex": "female",
    }  # fmt: skip
    leaver = StaffMember.objects.get(reference="00124")
    assert leaver.leaving_reason == "resigned"
    assert leaver.left_on == dt.date(2026, 8, 31)
    assert leaver.answers["disability"] == "prefer_not_to_say"
    assert leaver.answers["ethnicity"] == "asian_indian"
    with connection.cursor() as cursor:
        cursor.execute("SELECT equality FROM workforce_staffmember")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "white_british" not in stored
    assert "female" not in stored


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing_and_a_change_is_an_update(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, STAFF)
    import_workforce(path, "staff", actor="system:test")
    again = import_workforce(path, "staff", actor="system:test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_workforce(
        write(tmp_path, STAFF.replace("White - British", "Irish")), "staff", actor="system:test"
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert StaffMember.objects.get(reference="00123").answers["ethnicity"] == "white_irish"


@pytest.mark.django_db
def test_every_problem_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    text = (
        "staff_ref,grade,hourly_pay,started_on,left_on,sex\n"
        "E1,G1,12.00,01/01/2020,,female\n"
        "E2,G1,twelve,31/02/2020,,female\n"
        "E3,G1,12.00,01/01/2020,01/01/2019,robot\n"
        "E1,G1,12.00,01/01/2020,,male\n"
    )
    report = import_workforce(write(tmp_path, text), "staff", actor="system:test")
    found = {(p.row, p.column, p.reason.split(":")[0]) for p in report.problems}
    assert (3, "hourly_pay", "not an amount of money, for example 12.50") in found
    assert (3, "started_on", "no such date") in found
    assert (4, "sex", "not a known sex answer") in found
    assert (5, "staff_ref", "the same as row 2") in found
    assert not report.written
    assert not StaffMember.objects.exists()


@pytest.mark.django_db
def test_training_must_name_staff_who_exist_and_windows_1252_files_are_read(
    tmp_path: Path,
) -> None:
    import_workforce(write(tmp_path, STAFF), "staff", actor="system:test")
    text = (
        "staff_ref,course,equality_and_diversity,completed_on\n"
        "00123,Equality \u2013 the basics,yes,01/02/2026\n"
        "99999,Equality \u2013 the basics,yes,01/02/2026\n"
    )
    path = write(tmp_path, text, "training.csv", encoding="cp1252")
    report = import_workforce(path, "training", actor="system:test")
    assert [(p.row, p.column) for p in report.problems] == [(3, "staff_ref")]
    assert not Training.objects.exists()
    fixed = import_workforce(
        write(tmp_path, text.splitlines()[0] + "\n" + text.splitlines()[1] + "\n", "t.csv",
              encoding="cp1252"),
        "training", actor="system:test",
    )  # fmt: skip
    assert fixed.created == 1
    assert Training.objects.get().course == "Equality \u2013 the basics"


@pytest.mark.django_db
def test_applications_stages_and_benchmarks_with_their_codes(tmp_path: Path) -> None:
    applications = (
        "application_ref,applied_on,stage,disability\n"
        "A1,01/03/2026,Short-listed,Yes\nA2,02/03/2026,Offered,No\nA3,03/03/2026,Sifted,No\n"
    )
    report = import_workforce(write(tmp_path, applications), "applications", actor="system:test")
    assert [(p.row, p.column) for p in report.problems] == [(4, "stage")]
    import_workforce(
        write(tmp_path, applications.replace("Sifted", "Applied")), "applications",
        actor="system:test",
    )  # fmt: skip
    assert dict(Application.objects.values_list("reference", "stage")) == {
        "A1": "shortlisted", "A2": "appointed", "A3": "applied",
    }  # fmt: skip
    benchmarks = (
        "comparison,body,characteristic,category,share,source\n"
        "labour market,staff,ethnic_group,asian,9.5%,Census 2021\n"
        "target,staff,disability,maybe,15,Plan\n"
        "target,staff,eye_colour,blue,15,Plan\n"
    )
    report = import_workforce(write(tmp_path, benchmarks), "benchmarks", actor="system:test")
    assert [(p.row, p.column) for p in report.problems] == [(3, "category"), (4, "characteristic")]
    assert not Benchmark.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_hr_files_and_audits_them(tmp_path: Path, capsys: Any) -> None:
    call_command("import", "staff", str(write(tmp_path, STAFF)))
    assert "Imported 2 of 2 staff rows" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="import", target_type="workforce").exists()
    bad = write(tmp_path, "staff_ref,sex\nE9,robot\n", "bad.csv")
    with pytest.raises(SystemExit):
        call_command("import", "board", str(bad), "--report", str(tmp_path / "r.json"))
    assert '"reason": "not a known sex answer"' in (tmp_path / "r.json").read_text()
    assert not StaffMember.objects.filter(body="board").exists()


@pytest.mark.django_db
def test_retention_deletes_old_applications_and_former_staff_only() -> None:
    from equal_outcomes.privacy.retention import retention_run
    from equal_outcomes.workforce.models import SurveyResponse

    today = dt.date(2026, 11, 21)
    Application.objects.create(reference="OLD", applied_on=dt.date(2024, 11, 1), stage="applied")
    Application.objects.create(reference="NEW", applied_on=dt.date(2025, 12, 1), stage="applied")
    SurveyResponse.objects.create(survey="2022", reference="R1", responded_on=dt.date(2022, 6, 1))
    gone = StaffMember.objects.create(reference="GONE", body="staff", left_on=dt.date(2020, 1, 1))
    Training.objects.create(
        staff=gone, course="EDI", equality_and_diversity=True, completed_on=dt.date(2019, 1, 1)
    )
    StaffMember.objects.create(reference="RECENT", body="staff", left_on=dt.date(2025, 1, 1))
    StaffMember.objects.create(reference="HERE", body="staff")
    done = {r.rule: r.deleted for r in retention_run(dry_run=False, today=today)}
    assert done["applications"] == 1
    assert done["survey_responses"] == 1
    assert done["former_staff"] == 2  # the member and their training
    assert list(Application.objects.values_list("reference", flat=True)) == ["NEW"]
    assert set(StaffMember.objects.values_list("reference", flat=True)) == {"RECENT", "HERE"}
    assert not Training.objects.exists()
