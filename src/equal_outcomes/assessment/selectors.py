"""Reads for the self-assessment, toolkit, action plan and policy pages. A record that is not
held answers 404, as a missing page does."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from equal_outcomes.assessment.models import (
    Action,
    Assessment,
    CriterionRating,
    EvidenceFile,
    Impact,
    Objective,
    PeopleEvidence,
    Policy,
    QuestionResponse,
    Risk,
    StoryAnswer,
)
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor

# Self-assessments


def assessments_listed() -> list[Assessment]:
    return list(Assessment.objects.prefetch_related("responses", "ratings"))


def assessment_get(public_id: uuid.UUID) -> Assessment:
    return get_object_or_404(Assessment, public_id=public_id)


def response_get(assessment: Assessment, question_id: str) -> QuestionResponse:
    return get_object_or_404(QuestionResponse, assessment=assessment, question=question_id)


def rating_get(assessment: Assessment, number: str) -> CriterionRating:
    return get_object_or_404(CriterionRating, assessment=assessment, criterion=number)


def evidence_file_read(*, actor: Any, public_id: uuid.UUID, file_id: int) -> EvidenceFile:
    """An uploaded evidence file, its download recorded."""
    file = get_object_or_404(EvidenceFile, pk=file_id, assessment__public_id=public_id)
    Auditor.record(
        actor=actor, action=AuditAction.DOWNLOAD, target_type="assessment", target_id=public_id,
        section=f"file {file.pk}",
    )  # fmt: skip
    return file


# The toolkit


def toolkit_counts(kit: Any) -> dict[str, dict[str, int]]:
    """For each sub-outcome: story questions answered, people evidence and risks held."""
    return {
        sub.id: {
            "answered": StoryAnswer.objects.filter(toolkit=kit.id, sub_outcome=sub.id)
            .exclude(answer="")
            .count(),
            "evidence": PeopleEvidence.objects.filter(toolkit=kit.id, sub_outcome=sub.id).count(),
            "risks": Risk.objects.filter(toolkit=kit.id, sub_outcome=sub.id).count(),
        }
        for sub in kit.sub_outcomes
    }


def story_answers(toolkit: str, sub_outcome: str) -> dict[int, StoryAnswer]:
    return {
        a.question: a for a in StoryAnswer.objects.filter(toolkit=toolkit, sub_outcome=sub_outcome)
    }


def risks_of(toolkit: str, sub_outcome: str) -> list[Risk]:
    return list(
        Risk.objects.filter(toolkit=toolkit, sub_outcome=sub_outcome).prefetch_related("actions")
    )


def people_evidence_of(toolkit: str, sub_outcome: str) -> QuerySet[PeopleEvidence]:
    return PeopleEvidence.objects.filter(toolkit=toolkit, sub_outcome=sub_outcome)


def risk_get(pk: int) -> Risk:
    return get_object_or_404(Risk, pk=pk)


def risk_find(pk: Any) -> Risk | None:
    return Risk.objects.filter(pk=int(pk)).first() if str(pk).isdigit() else None


# The action plan and objectives


def action_choices() -> dict[str, list[tuple[str, str]]]:
    """The risks and objectives an action may be tied to, for the action form."""
    return {
        "risks": [(str(r.pk), f"{r.sub_outcome}: {r.text[:90]}") for r in Risk.objects.all()],
        "objectives": [(str(o.pk), o.title[:100]) for o in Objective.objects.all()],
    }


def actions_listed() -> list[Action]:
    return list(
        Action.objects.select_related("risk", "objective").prefetch_related(Prefetch("readings"))
    )


def action_get(pk: int) -> Action:
    return get_object_or_404(Action, pk=pk)


def objectives_listed() -> QuerySet[Objective]:
    return Objective.objects.prefetch_related("actions")


def objective_get(pk: int) -> Objective:
    return get_object_or_404(Objective, pk=pk)


# Policies and impact assessments


def policies_listed() -> QuerySet[Policy]:
    return Policy.objects.prefetch_related("reviews", "impact_assessments")


def policy_get(pk: int) -> Policy:
    return get_object_or_404(
        Policy.objects.prefetch_related("reviews", "impact_assessments__impacts__actions"),
        pk=pk,
    )


def impact_find(pk: str) -> Impact | None:
    """An adverse impact recorded in an impact assessment, for an action to mitigate it."""
    if not pk.isdigit():
        return None
    return Impact.objects.select_related("assessment").filter(pk=int(pk)).first()
