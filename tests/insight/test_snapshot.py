"""The analytics snapshot: pseudonymised, objectors left out, read by coverage."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from equal_outcomes.insight.snapshot import build_snapshot, person_key, store_path
from equal_outcomes.insight.stores import open_store
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db


def rows() -> list[dict[str, Any]]:
    with open_store(store_path(), read_only=True) as con:
        cursor = con.execute("SELECT * FROM people ORDER BY person_key")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_people_are_pseudonymised_and_objectors_left_out(lead: Any) -> None:
    kept = CustomerFactory(
        first_name="Rhiannon", landlord_ref="C0001234", customer_type="leaseholder"
    )
    objector = CustomerFactory(objects_to_monitoring=True)
    record_answer(lead, kept, "ethnicity", "white_roma")
    record_answer(lead, kept, "religion", state="prefer_not_to_say")
    record_answer(lead, objector, "ethnicity", "asian_indian")
    result = build_snapshot(actor="system:test")
    assert result.people == 1
    (row,) = rows()
    assert row["person_key"] == person_key(kept.public_id)
    assert row["ethnicity"] == "white_roma"
    assert row["religion"] == "prefer_not_to_say"
    assert row["sex"] == ""
    assert (row["customer_type"], row["customer_group"]) == ("leaseholder", "owner")
    everything = json.dumps(row)
    for identifying in ("Rhiannon", "C0001234", str(kept.public_id)):
        assert identifying not in everything


def test_pregnancy_is_judged_against_the_people_asked_in_the_period(lead: Any, capsys: Any) -> None:
    """Issue 28, item 9: every pregnancy answer, "No" included, expires after 182 days, so
    coverage against every customer could never reach 60 %. Someone asked longer ago than that
    is out of the count; someone invited lately and not answering is in it."""
    from equal_outcomes.collection.questionnaire import invitation_create

    earlier = CustomerFactory()
    with time_machine.travel(timezone.now() - dt.timedelta(days=400)):
        record_answer(lead, earlier, "pregnancy_maternity", "pregnant")
    for _ in range(3):
        record_answer(lead, CustomerFactory(), "pregnancy_maternity", "neither")
    invitation_create(actor=lead, customer=CustomerFactory())
    CustomerFactory()  # never asked
    build_snapshot(actor="system:test")
    held = {row["pregnancy_maternity"] for row in rows()}
    assert held == {"not_applicable", "neither", ""}
    capsys.readouterr()
    call_command("coverage", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    pregnancy = next(r for r in data["rows"] if r["characteristic"] == "pregnancy_maternity")
    assert (pregnancy["people"], pregnancy["answered"], pregnancy["level"]) == (4, 3, "achieving")


def test_questions_for_adults_leave_children_out_of_coverage(lead: Any, capsys: Any) -> None:
    """Issue 28, item 9: children counted in the denominators of sexual orientation, gender
    identity and marital status, and an answer held for a child was analysed."""
    today = timezone.localdate()
    child = CustomerFactory(date_of_birth=today.replace(year=today.year - 10))
    record_answer(lead, child, "sexual_orientation", "heterosexual")
    for number in range(4):
        adult = CustomerFactory(date_of_birth=today.replace(year=today.year - 30))
        if number < 3:
            record_answer(lead, adult, "sexual_orientation", "bisexual")
    build_snapshot(actor="system:test")
    assert sorted(row["sexual_orientation"] for row in rows()) == [
        "", "bisexual", "bisexual", "bisexual", "not_applicable"]  # fmt: skip
    capsys.readouterr()
    call_command("coverage", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    orientation = next(r for r in data["rows"] if r["characteristic"] == "sexual_orientation")
    assert (orientation["people"], orientation["answered"], orientation["not_asked"]) == (4, 3, 1)
    religion = next(r for r in data["rows"] if r["characteristic"] == "religion")
    assert religion["people"] == 5, "religion is asked of everyone"


def test_coverage_reads_the_snapshot(lead: Any, capsys: Any) -> None:
    for number in range(10):
        customer = CustomerFactory()
        if number < 7:
            record_answer(lead, customer, "ethnicity", "white_irish")
    call_command("snapshot")
    capsys.readouterr()
    call_command("coverage", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    ethnicity = next(row for row in data["rows"] if row["characteristic"] == "ethnicity")
    assert (ethnicity["people"], ethnicity["answered"], ethnicity["level"]) == (10, 7, "achieving")


def test_age_is_a_protected_characteristic_in_coverage_and_live_evidence(
    lead: Any, capsys: Any
) -> None:
    """Issue 28, item 8: coverage listed 15 characteristics and no age; the self-assessment
    counted "0 of 8 protected characteristics"."""
    from equal_outcomes.assessment.evidence import protected_held
    from equal_outcomes.insight.results import Filters, knowing_our_customers

    for number in range(10):
        CustomerFactory(date_of_birth=dt.date(1960 + number, 1, 1) if number < 9 else None)
    call_command("snapshot")
    capsys.readouterr()
    call_command("coverage", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    age = next(row for row in data["rows"] if row["characteristic"] == "age_band")
    assert (age["people"], age["answered"], age["level"]) == (10, 9, "excellent")
    overall = knowing_our_customers(Filters())["overall"]
    assert next(r for r in overall if r["characteristic"] == "age_band")["answered"] == 9
    assert "age_band" in protected_held()
    assert row_groups(rows()) >= {"55_64", "65_74"}


def row_groups(people: list[dict[str, Any]]) -> set[str]:
    return {person["age_band"] for person in people}
