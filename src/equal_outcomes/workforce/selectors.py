"""Reads of the workforce records for HR's pages; reads of a person's equality answers are
audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.workforce.models import (
    Application,
    Benchmark,
    Case,
    StaffMember,
    SurveyResponse,
    Training,
)


def records_held() -> dict[str, int]:
    """How many of each kind of record are held, by their names on the records page."""
    return {
        _("Staff in post"): StaffMember.objects.filter(body="staff", left_on__isnull=True).count(),
        _("Leavers"): StaffMember.objects.filter(left_on__isnull=False).count(),
        _("Board members"): StaffMember.objects.filter(body="board").count(),
        _("Job applications"): Application.objects.count(),
        _("Training completions"): Training.objects.count(),
        _("Staff survey responses"): SurveyResponse.objects.count(),
        _("Cases"): Case.objects.count(),
        _("Benchmarks and targets"): Benchmark.objects.count(),
    }


def staff_list(query: str = "", *, limit: int) -> QuerySet[StaffMember]:
    """Staff and board members by reference or job title (posts, not equality answers)."""
    staff = StaffMember.objects.all()
    if query:
        staff = staff.filter(Q(reference__icontains=query) | Q(job_title__icontains=query))
    return staff.annotate(trainings=Count("training"))[:limit]


@dataclass(frozen=True)
class StaffRecord:
    member: StaffMember
    answers: list[tuple[str, str]]
    training: list[Any]
    cases: list[Any]


def staff_record(*, user: Any, reference: str) -> StaffRecord | None:
    """One person's record with their equality answers, the read audited; None if not held."""
    member = StaffMember.objects.filter(reference=reference).first()
    if member is None:
        return None
    Auditor.record(
        actor=user, action=AuditAction.VIEW, target_type="staff", target_id=member.reference,
        section="equality", purpose="HR record",
    )  # fmt: skip
    return StaffRecord(
        member=member, answers=sorted(member.answers.items()),
        training=list(member.training.all()), cases=list(member.cases.all()),
    )  # fmt: skip


def benchmarks_held() -> QuerySet[Benchmark]:
    return Benchmark.objects.all()
