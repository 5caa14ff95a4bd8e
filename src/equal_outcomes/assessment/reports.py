"""The self-assessment report: the level each area reaches, the answers with their evidence and
live figures, the criteria ratings, and the action plan with each measure's progress, as HTML,
PDF (WeasyPrint) or XLSX (openpyxl). It holds the organisation's judgements and aggregate
figures only."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from equal_outcomes.assessment import services
from equal_outcomes.assessment.framework import LEVEL_NAMES, LEVELS, edition
from equal_outcomes.assessment.models import Action, Assessment, Objective, Policy
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.spreadsheets import workbook_bytes

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def build(assessment: Assessment) -> dict[str, Any]:
    framework = edition(assessment.edition)
    responses = {r.question: r for r in assessment.responses.all()}
    ratings = {r.criterion: r for r in assessment.ratings.all()}
    files: dict[str, list[str]] = {}
    for file in assessment.files.all():
        files.setdefault(file.question, []).append(file.file_name)
    areas = []
    for found in services.area_levels(assessment):
        areas.append(
            {
                "area": found.area,
                "level": LEVEL_NAMES[found.level],
                "blockers": found.blockers,
                "progress": found.progress,
                "levels": [
                    {
                        "name": LEVEL_NAMES[level],
                        "criteria": [
                            (c, ratings.get(c.number)) for c in found.area.criteria_at(level)
                        ],
                        "questions": [
                            (q, responses.get(q.id), files.get(q.id, []))
                            for q in found.area.questions_at(level)
                        ],
                    }
                    for level in LEVELS
                ],
            }
        )
    actions = [
        {"action": a, "progress": services.progress(a)}
        for a in Action.objects.select_related("risk", "objective").prefetch_related("readings")
    ]
    return {
        "assessment": assessment,
        "framework": framework,
        "areas": areas,
        "actions": actions,
        "objectives": list(Objective.objects.all()),
        "policies": list(Policy.objects.prefetch_related("reviews", "impact_assessments")),
        "generated_at": timezone.now(),
    }


def html(report: dict[str, Any]) -> str:
    return render_to_string("reports/self_assessment.html", report)


def xlsx(report: dict[str, Any]) -> bytes:
    assessment: Assessment = report["assessment"]
    questions, criteria = [], []
    for area in report["areas"]:
        for level in area["levels"]:
            for question, response, files in level["questions"]:
                live = (response.live_read or {}) if response else {}
                questions.append([
                    area["area"].title, level["name"], question.id, question.text,
                    response.answer if response else "", live.get("suggested", ""),
                    response.decision if response else "", response.override_reason if response else "",
                    live.get("summary", ""), response.notes if response else "",
                    response.links if response else "", "; ".join(files),
                ])  # fmt: skip
            for criterion, rating in level["criteria"]:
                criteria.append([
                    area["area"].title, criterion.number, criterion.text,
                    rating.rating if rating else None, rating.difference if rating else "",
                ])  # fmt: skip
    actions = []
    for row in report["actions"]:
        action, progress = row["action"], row["progress"]
        latest = progress["latest"] if progress else None
        actions.append([
            action.title, action.owner, action.due_on, action.get_status_display(),
            "yes" if action.overdue else "", action.risk.text if action.risk else "",
            action.indicator, action.characteristic, action.category, action.measure, action.target,
            latest.value if latest else None, latest.gap if latest else None,
            ("met" if latest.met else "not yet") if latest else "",
            progress["share"] if progress else None,
        ])  # fmt: skip
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        ("About", ["item", "value"], [
            ["report", "Equality self-assessment"],
            ["assessment", assessment.title],
            ["framework", report["framework"].title],
            ["date", assessment.assessed_on],
            ["assessors", assessment.assessors],
            ["live evidence as at", assessment.evidence_as_at],
            ["generated", report["generated_at"].isoformat(timespec="seconds")],
        ]),
        ("Levels", ["area", "level reached", "holding it back"],
         [[a["area"].title, a["level"], "; ".join(a["blockers"])] for a in report["areas"]]),
        ("Questions", ["area", "level", "id", "question", "answer", "live suggestion", "decision",
                       "override reason", "live figures", "notes", "links", "files"], questions),
        ("Criteria", ["area", "criterion", "text", "rating", "what difference has this made"],
         criteria),
        ("Action plan", ["action", "owner", "due", "status", "overdue", "risk", "indicator",
                         "characteristic", "group", "target kind", "target", "latest value",
                         "latest gap", "target met", "progress"], actions),
        ("Objectives", ["objective", "owner", "set", "last reviewed", "review due", "status"],
         [[o.title, o.owner, o.set_on, o.last_reviewed_on, o.review_due, o.status]
          for o in report["objectives"]]),
        ("Policies", ["policy", "owner", "last reviewed", "review due", "current impact assessment"],
         [[p.name, p.owner, p.last_reviewed_on, p.review_due,
           p.current_assessment.completed_on if p.current_assessment else ""]
          for p in report["policies"]]),
    ]  # fmt: skip
    return workbook_bytes(sheets)


def render(report: dict[str, Any], file_format: str) -> bytes:
    if file_format == "html":
        return html(report).encode()
    if file_format == "pdf":
        from weasyprint import HTML  # imported late: it loads system libraries

        return bytes(HTML(string=html(report)).write_pdf())
    if file_format == "xlsx":
        return xlsx(report)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


def self_assessment_report(*, actor: Any, assessment: Assessment, file_format: str) -> bytes:
    content = render(build(assessment), file_format)
    Auditor.record(
        actor=actor,
        action=AuditAction.REPORT,
        target_type="assessment",
        target_id=assessment.public_id,
        purpose=f"self-assessment {file_format}",
    )
    return content
