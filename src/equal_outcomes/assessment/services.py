"""Writes for self-assessment and action planning, and the rule for the level an area reaches.

**The level rule.** An area reaches a level when, at that level and every level below it,
every question in the assessment is answered "yes" or "not applicable" and every criterion is
rated 3 (in place but needs improving) or 4 (in place and effective). A "partly", a "no", an
unanswered question, a criterion rated 1 or 2 or not yet rated holds the area at the level
below; an area that does not meet Developing is "not yet Developing". ``blockers`` says what
holds each area back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from equal_outcomes.assessment.evidence import Sources, live_evidence
from equal_outcomes.assessment.framework import LEVELS, Area, Edition, edition
from equal_outcomes.assessment.models import (
    Action,
    Answer,
    Assessment,
    CriterionRating,
    Decision,
    MeasureKind,
    MeasureReading,
    QuestionResponse,
    Risk,
)
from equal_outcomes.assessment.planning import evidence_file_store
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor

MET_ANSWERS = frozenset({Answer.YES, Answer.NOT_APPLICABLE})
MET_RATINGS = frozenset({3, 4})


@dataclass
class AreaLevel:
    area: Area
    level: str  # "" when not yet Developing
    progress: dict[str, float] = field(default_factory=dict)  # share of questions met per level
    blockers: list[str] = field(default_factory=list)  # what holds it at this level


def _audit(actor: Any, action: AuditAction, assessment: Assessment, section: str = "") -> None:
    Auditor.record(
        actor=actor,
        action=action,
        target_type="assessment",
        target_id=assessment.public_id,
        section=section,
    )


def area_levels(assessment: Assessment) -> list[AreaLevel]:
    """The level each area in scope reaches, by the documented rule."""
    framework = edition(assessment.edition)
    answers = {r.question: r.answer for r in assessment.responses.all()}
    ratings = {r.criterion: r.rating for r in assessment.ratings.all()}
    return [
        level_of(area, answers, ratings) for area in framework.areas if area.id in assessment.areas
    ]


def level_of(area: Area, answers: dict[str, str], ratings: dict[str, int | None]) -> AreaLevel:
    found = AreaLevel(area, "")
    reached = True
    for level in LEVELS:
        questions = area.questions_at(level)
        met = [q for q in questions if answers.get(q.id) in MET_ANSWERS]
        partly = [q for q in questions if answers.get(q.id) == Answer.PARTLY]
        found.progress[level] = (len(met) + len(partly) / 2) / len(questions) if questions else 1.0
        if not reached:
            continue
        blockers = [
            _("“%(question)s”: %(answer)s")
            % {
                "question": q.text,
                "answer": Answer(answers[q.id]).label if answers.get(q.id) else _("not answered"),
            }
            for q in questions
            if q not in met
        ]
        blockers += [
            _("Criterion %(number)s: rated %(rating)d") % {"number": c.number, "rating": rating}
            if (rating := ratings.get(c.number))
            else _("Criterion %(number)s: not rated") % {"number": c.number}
            for c in area.criteria_at(level)
            if ratings.get(c.number) not in MET_RATINGS
        ]
        if blockers:
            found.blockers = blockers
            reached = False
        else:
            found.level = level
    return found


@transaction.atomic
def assessment_start(
    *,
    actor: Any,
    edition_id: str,
    title: str,
    assessed_on: dt.date,
    areas: list[str],
    assessors: str,
) -> Assessment:
    """A new run with a response row for every question in scope, live evidence filled in."""
    framework = edition(edition_id)
    unknown = set(areas) - {area.id for area in framework.areas}
    if unknown or not areas:
        raise ValueError(f"areas not in {edition_id}: {sorted(unknown) or 'none chosen'}")
    assessment = Assessment.objects.create(
        edition=edition_id,
        title=title,
        assessed_on=assessed_on,
        areas=[area.id for area in framework.areas if area.id in areas],
        assessors=assessors,
        created_by=actor,
    )
    QuestionResponse.objects.bulk_create(
        QuestionResponse(assessment=assessment, question=question.id)
        for area in framework.areas
        if area.id in assessment.areas
        for question in area.all_questions
    )
    CriterionRating.objects.bulk_create(
        CriterionRating(assessment=assessment, criterion=criterion.number)
        for area in framework.areas
        if area.id in assessment.areas
        for criterion in area.criteria
    )
    refresh_evidence(actor=actor, assessment=assessment)
    _audit(actor, AuditAction.CREATE, assessment)
    return assessment


def _framework(assessment: Assessment) -> Edition:
    return edition(assessment.edition)


@transaction.atomic
def refresh_evidence(*, actor: Any, assessment: Assessment) -> int:
    """Recomputes live evidence for every question figures can answer; returns how many. A
    suggestion the assessor had accepted is re-applied if it changed; an override stands."""
    framework = _framework(assessment)
    sources = Sources()
    changed = 0
    for response in assessment.responses.all():
        _area, _level, question = framework.questions[response.question]
        with translation.override("en"):
            found = live_evidence(question, sources)
        if found is None:
            continue
        with translation.override("cy"):
            welsh = live_evidence(question, sources)
        response.live = {**found.as_json(), "cy": welsh.as_json() if welsh else None}
        if response.decision == Decision.ACCEPTED:
            response.answer = found.suggested
        response.save(update_fields=["live", "answer"])
        changed += 1
    assessment.evidence_as_at = sources.as_at
    assessment.save(update_fields=["evidence_as_at"])
    _audit(actor, AuditAction.REFRESH, assessment, "evidence")
    return changed


@transaction.atomic
def answer_record(
    *,
    actor: Any,
    response: QuestionResponse,
    answer: str,
    notes: str,
    links: str,
    accept_live: bool = False,
    override_reason: str = "",
) -> QuestionResponse:
    """Records an answer. With live evidence, the answer either accepts the suggestion or
    overrides it, and an override needs a reason."""
    if accept_live:
        if not response.live:
            raise ValueError("this question has no live evidence to accept")
        answer = response.live["suggested"]
    if answer and answer not in Answer.values:
        raise ValueError(f"unknown answer {answer!r}")
    decision = ""
    if response.live and answer:
        decision = (
            Decision.ACCEPTED if answer == response.live["suggested"] else Decision.OVERRIDDEN
        )
        if decision == Decision.OVERRIDDEN and not override_reason.strip():
            raise ValueError("give the reason for overriding the live evidence")
    response.answer = answer
    response.notes = notes
    response.links = links
    response.decision = decision
    response.override_reason = override_reason.strip() if decision == Decision.OVERRIDDEN else ""
    response.updated_by = actor
    response.updated_at = timezone.now()
    response.save()
    _audit(actor, AuditAction.UPDATE, response.assessment, f"question {response.question}")
    return response


@transaction.atomic
def answer_with_evidence(*, actor: Any, response: QuestionResponse, upload: Any = None,
                         **answer: Any) -> None:  # fmt: skip
    """An answer to a question and, when one is uploaded, a file of evidence for it: both or
    neither."""
    answer_record(actor=actor, response=response, **answer)
    if upload:
        evidence_file_store(actor=actor, assessment=response.assessment,
                            question_id=response.question, upload=upload)  # fmt: skip


@transaction.atomic
def rating_record(
    *, actor: Any, rating: CriterionRating, value: int | None, difference: str
) -> CriterionRating:
    rating.rating = value
    rating.difference = difference
    rating.updated_by = actor
    rating.updated_at = timezone.now()
    rating.save()
    _audit(actor, AuditAction.UPDATE, rating.assessment, f"criterion {rating.criterion}")
    return rating


def compare(assessments: list[Assessment]) -> list[dict[str, Any]]:
    """Runs side by side: for every area in any of them, the level each run reached."""
    rows: dict[str, dict[str, Any]] = {}
    for assessment in assessments:
        for found in area_levels(assessment):
            row = rows.setdefault(found.area.title, {"area": found.area.title, "levels": {}})
            row["levels"][assessment.pk] = found.level or "none"
    return list(rows.values())


# Action plans


def shortfall(row: dict[str, Any], higher_is_better: bool) -> float | None:
    """How far a group falls short of everyone else (0 when it does not)."""
    difference = row.get("difference")
    if not isinstance(difference, int | float) or difference != difference:
        return None
    return max(0.0, -difference if higher_is_better else difference)


def _units(value: float | None, measure: str) -> float | None:
    """Rates are compared with targets in percentage points."""
    if value is None:
        return None
    return value * 100 if measure == "rate" else value


def reading_for(action: Action, outcomes: dict[str, Any]) -> MeasureReading | None:
    """The action's measure in one set of results (unsaved), or None when it has no result."""
    from equal_outcomes.analysis.indicators import default_indicators

    indicators = {i.id: i for i in default_indicators()}
    indicator = indicators.get(action.indicator)
    if indicator is None or action.target is None:
        return None
    table = next(
        (t for t in outcomes["tables"]
         if t["indicator"] == action.indicator and t["characteristic"] == action.characteristic),
        None,
    )  # fmt: skip
    row = next((r for r in (table or {}).get("rows", []) if r["category"] == action.category), None)
    if row is None or not isinstance(row.get("value"), int | float):
        return None
    gap = shortfall(row, indicator.higher_is_better)
    value = _units(row["value"], indicator.measure)
    comparator = row.get("comparator_value")
    comparator = _units(
        comparator if isinstance(comparator, int | float) else None, indicator.measure
    )
    gap_units = _units(gap, indicator.measure)
    if action.measure == MeasureKind.GAP_BELOW:
        met = gap_units is not None and gap_units < action.target
    elif action.measure == MeasureKind.AT_LEAST:
        met = value is not None and value >= action.target
    else:
        met = value is not None and value <= action.target
    return MeasureReading(
        action=action,
        data_as_at=outcomes.get("data_as_at", ""),
        n=row.get("n"),
        value=value,
        comparator=comparator,
        gap=gap_units,
        met=met,
    )


def record_progress(outcomes: dict[str, Any] | None = None) -> int:
    """Reads every measured action from the latest results, once per snapshot. Returns how
    many readings were added."""
    if outcomes is None:
        from equal_outcomes.insight import results

        try:
            outcomes = results.equal_outcomes(results.Filters(), publishable=False)
        except results.NoSnapshot:
            return 0
    added = 0
    as_at = outcomes.get("data_as_at", "")
    for action in Action.objects.exclude(indicator=""):
        if not action.has_measure or action.readings.filter(data_as_at=as_at).exists():
            continue
        reading = reading_for(action, outcomes)
        if reading is not None:
            reading.save()
            added += 1
    return added


def outcomes_if_ready() -> dict[str, Any] | None:
    """The latest internal outcomes when they are already worked out, else None: a web page
    never waits for an analysis."""
    from equal_outcomes.insight import results

    try:
        if results.is_ready("outcomes", results.Filters(), False):
            return results.equal_outcomes(results.Filters(), publishable=False)
    except results.NoSnapshot:
        pass
    return None


def record_progress_for(action: Action) -> bool:
    """Reads one action's measure from the latest results if they are ready. Returns whether
    a reading was added."""
    outcomes = outcomes_if_ready()
    if not action.has_measure or outcomes is None:
        return False
    if action.readings.filter(data_as_at=outcomes.get("data_as_at", "")).exists():
        return False
    reading = reading_for(action, outcomes)
    if reading is not None:
        reading.save()
    return reading is not None


def progress(action: Action) -> dict[str, Any] | None:
    """From the first reading to the latest: the figure the measure tracks, and the share of
    the way to the target (1 when met)."""
    readings = list(action.readings.all())
    if not readings or action.target is None:
        return None
    first, latest = readings[0], readings[-1]
    track = "gap" if action.measure == MeasureKind.GAP_BELOW else "value"
    start, now = getattr(first, track), getattr(latest, track)
    share = 1.0 if latest.met else 0.0
    if not latest.met and start is not None and now is not None and start != action.target:
        share = min(1.0, max(0.0, (start - now) / (start - action.target)))
    return {"first": first, "latest": latest, "tracks": track, "start": start, "now": now,
            "share": share, "readings": readings}  # fmt: skip


class NotInLibrary(ValueError):
    """A risk chosen that the toolkit's library does not hold."""


@transaction.atomic
def library_risks_add(*, actor: Any, toolkit: str, sub: Any, keys: list[str]) -> int:
    """Adds the library's risks chosen (``group-risk`` keys) that the landlord does not hold yet;
    any key that is not in the library refuses them all (nothing is kept). Returns how many."""
    held = set(
        Risk.objects.filter(toolkit=toolkit, sub_outcome=sub.id).values_list("text", flat=True)
    )
    added = 0
    for key in keys:
        try:
            group_index, risk_index = (int(part) for part in key.split("-"))
            group = sub.risks_and_actions[group_index]
            text = group.risks[risk_index]
        except (ValueError, IndexError):
            raise NotInLibrary(key) from None
        if text not in held:
            Risk.objects.create(
                toolkit=toolkit, sub_outcome=sub.id, problem=group.problem, text=text,
                from_library=True, created_by=actor,
            )  # fmt: skip
            held.add(text)
            added += 1
    return added
