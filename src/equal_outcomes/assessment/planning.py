"""Writes for the toolkit, the action plan, objectives, policies and impact assessments: each
validates, saves and is recorded in the audit log in one transaction, and raises (so nothing is
kept) when refused."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equal_outcomes.assessment.models import (
    Action,
    Assessment,
    EvidenceFile,
    Impact,
    ImpactAssessment,
    Objective,
    PeopleEvidence,
    Policy,
    PolicyReview,
    Risk,
    StoryAnswer,
)
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.versions import versioned_save


def _audit(actor: Any, action: AuditAction, target_type: str, target_id: Any) -> None:
    Auditor.record(actor=actor, action=action, target_type=target_type, target_id=target_id)


# Self-assessment evidence


def _evidence_folder(assessment: Assessment) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "assessment" / str(assessment.public_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def evidence_file_store(
    *, actor: Any, assessment: Assessment, question_id: str, upload: Any
) -> EvidenceFile:
    """Keeps an uploaded file (mode 0600, under a random name) as evidence for a question."""
    target = _evidence_folder(assessment) / f"{uuid.uuid4()}{Path(upload.name).suffix.lower()}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    target.chmod(0o600)
    file = EvidenceFile.objects.create(
        assessment=assessment, question=question_id, file_name=Path(upload.name).name[:200],
        stored_path=str(target), size=upload.size, uploaded_by=actor,
    )  # fmt: skip
    Auditor.record(actor=actor, action=AuditAction.UPLOAD, target_type="assessment",
                   target_id=assessment.public_id, section=f"file {file.pk}")  # fmt: skip
    return file


# The toolkit


@transaction.atomic
def story_save(*, actor: Any, toolkit: str, sub_outcome: str, answers: list[str]) -> None:
    """The story behind the data: one answer per question of the sub-outcome, in order."""
    for index, answer in enumerate(answers):
        StoryAnswer.objects.update_or_create(
            toolkit=toolkit, sub_outcome=sub_outcome, question=index,
            defaults={"answer": answer, "updated_by": actor},
        )  # fmt: skip
    _audit(actor, AuditAction.UPDATE, "toolkit", f"{toolkit}.{sub_outcome}.story")


@transaction.atomic
def people_evidence_add(
    *, actor: Any, toolkit: str, sub_outcome: str, **values: Any
) -> PeopleEvidence:
    evidence = PeopleEvidence.objects.create(
        toolkit=toolkit, sub_outcome=sub_outcome, recorded_by=actor, **values
    )
    _audit(actor, AuditAction.CREATE, "toolkit", f"{toolkit}.{sub_outcome}.people")
    return evidence


@transaction.atomic
def risk_change(*, actor: Any, risk: Risk, problem: str, text: str, version: int) -> Risk:
    risk.problem, risk.text = problem, text
    versioned_save(risk, version, ["problem", "text"])
    _audit(actor, AuditAction.UPDATE, "risk", risk.pk)
    return risk


# The action plan

ACTION_FIELDS = ("title", "owner", "due_on", "status", "indicator", "characteristic", "category",
                 "measure", "target")  # fmt: skip
MEASURE_FIELDS = ("indicator", "characteristic", "category", "measure", "target")


@transaction.atomic
def action_save(*, actor: Any, action: Action, values: dict[str, Any]) -> Action:
    """Add or change an action (``values`` as the action form gives them, ``risk`` and
    ``objective`` by key). An action without a measure has no target; changing what an action
    measures drops the readings taken of the old measure, which measured something else."""
    creating = action.pk is None
    before = [getattr(action, name) for name in MEASURE_FIELDS]
    for name in ACTION_FIELDS:
        setattr(action, name, values[name])
    if not action.measure:
        action.target = None
    action.risk = Risk.objects.filter(pk=values["risk"]).first() if values["risk"] else None
    action.objective = (
        Objective.objects.filter(pk=values["objective"]).first() if values["objective"] else None
    )
    if values.get("impact"):  # the mitigation it carries out; kept when the form does not say
        action.impact = Impact.objects.filter(pk=values["impact"]).first()
    versioned_save(action, None if creating else values.get("version"))
    if not creating and before != [getattr(action, name) for name in MEASURE_FIELDS]:
        action.readings.all().delete()
    _audit(actor, AuditAction.CREATE if creating else AuditAction.UPDATE, "action", action.pk)
    return action


# Objectives


@transaction.atomic
def objective_add(*, actor: Any, **values: Any) -> Objective:
    objective = Objective.objects.create(**values)
    _audit(actor, AuditAction.CREATE, "objective", objective.pk)
    return objective


OBJECTIVE_FIELDS = ("title", "description", "owner", "set_on", "last_reviewed_on",
                    "review_every_years", "status")  # fmt: skip


@transaction.atomic
def objective_change(
    *, actor: Any, objective: Objective, values: dict[str, Any], version: int
) -> Objective:
    for name in OBJECTIVE_FIELDS:
        setattr(objective, name, values[name])
    versioned_save(objective, version)
    _audit(actor, AuditAction.UPDATE, "objective", objective.pk)
    return objective


# Policies and impact assessments


@transaction.atomic
def policy_add(*, actor: Any, name: str, **values: Any) -> Policy:
    """A policy on the register; refused (ValidationError on ``name``) when one of the same
    name is already there."""
    if Policy.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A policy with this name is already on the register")})
    policy = Policy.objects.create(name=name, **values)
    _audit(actor, AuditAction.CREATE, "policy", policy.pk)
    return policy


@transaction.atomic
def policy_review_add(
    *, actor: Any, policy: Policy, reviewed_on: dt.date, **values: Any
) -> PolicyReview:
    """A review of a policy; refused (ValidationError on ``reviewed_on``) before its adoption."""
    if reviewed_on < policy.adopted_on:
        raise ValidationError({"reviewed_on": _("The review must be on or after the date adopted")})
    review = PolicyReview.objects.create(
        policy=policy, recorded_by=actor, reviewed_on=reviewed_on, **values
    )
    _audit(actor, AuditAction.REVIEW, "policy", policy.pk)
    return review


@transaction.atomic
def impact_assessment_add(
    *, actor: Any, policy: Policy, completed_on: dt.date, assessor: str, summary: str,
    impacts: list[dict[str, Any]], indicators: list[str] | None = None,
) -> ImpactAssessment:  # fmt: skip
    """An equality impact assessment of a policy, with its impact on each characteristic and
    the service indicators it started from."""
    eia = ImpactAssessment.objects.create(
        policy=policy, completed_on=completed_on, assessor=assessor, summary=summary,
        indicators=list(indicators or []), recorded_by=actor,
    )  # fmt: skip
    Impact.objects.bulk_create(Impact(assessment=eia, **row) for row in impacts)
    _audit(actor, AuditAction.CREATE, "impact_assessment", eia.pk)
    return eia
