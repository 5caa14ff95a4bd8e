"""Live evidence for the workforce and leadership questions follows its documented rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from equal_outcomes.assessment.evidence import Sources, live_evidence
from equal_outcomes.assessment.framework import edition
from equal_outcomes.workforce.models import Benchmark, StaffMember, Training


def question(question_id: str) -> Any:
    for area in edition("shef-2012").areas:
        for level in ("developing", "achieving", "excellent"):
            for found in area.questions_at(level):
                if found.id == question_id:
                    return found
    raise LookupError(question_id)


def staff(count: int, pay: str, grade: str, sex: str, *, trained: bool = False) -> None:
    for _ in range(count):
        member = StaffMember.objects.create(
            reference=f"E{StaffMember.objects.count():04d}", body="staff", grade=grade,
            hourly_pay=Decimal(pay),
        )  # fmt: skip
        member.set_answers({"sex": sex})
        member.save()
        if trained:
            Training.objects.create(
                staff=member, course="EDI", equality_and_diversity=True,
                completed_on=dt.date.today() - dt.timedelta(days=30),
            )  # fmt: skip


def test_equal_pay_within_grades_and_training_completion(db: Any) -> None:
    staff(10, "20.00", "G1", "male", trained=True)
    staff(10, "19.50", "G1", "female", trained=True)  # 2.5% less: equal pay
    staff(10, "30.00", "G2", "male")
    staff(10, "27.00", "G2", "female", trained=True)  # 10% less
    pay = live_evidence(question("wf-e4"), Sources())
    assert pay is not None
    assert pay.suggested == "partly"  # one of two grades
    assert ("G2: Female", "10%") in pay.figures
    training = live_evidence(question("wf-a9"), Sources())
    assert training is not None
    assert training.suggested == "partly"  # 30 of 40 is 75%: under 90%, over half
    assert "75% of 40" in training.summary


def test_labour_market_benchmarks_and_targets(db: Any) -> None:
    assert live_evidence(question("wf-d2"), Sources()).suggested == "no"  # type: ignore[union-attr]
    for characteristic, category in (("sex", "female"), ("ethnic_group", "asian")):
        Benchmark.objects.create(
            comparison="labour_market", characteristic=characteristic, category=category,
            share=Decimal(40),
        )  # fmt: skip
    assert live_evidence(question("wf-d2"), Sources()).suggested == "partly"  # type: ignore[union-attr]
    staff(20, "12.00", "G1", "female")
    Benchmark.objects.create(
        comparison="target", characteristic="sex", category="female", share=Decimal(50)
    )
    met = live_evidence(question("wf-e1"), Sources())
    assert met is not None
    assert met.suggested == "yes"  # 100% women against a 50% target


def test_leadership_without_customers_to_compare_with_is_not_answered_yes(db: Any) -> None:
    found = live_evidence(question("lead-d9"), Sources())
    assert found is not None
    assert found.suggested == "no"
