"""Self-assessment against the Social Housing Equality Framework: runs, areas, questions,
criteria, evidence files and the report. The equality lead's work; aggregate figures only."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.roles import can_assess
from equal_outcomes.assessment import reports, selectors, services
from equal_outcomes.assessment.forms import (
    AssessmentForm,
    RatingForm,
    ResponseForm,
)
from equal_outcomes.assessment.framework import (
    LEVEL_NAMES,
    LEVELS,
    edition,
    toolkits,
)
from equal_outcomes.assessment.models import EvidenceFile
from equal_outcomes.assessment.views.common import form_page


@role_required(can_assess)
def index(request: AuthenticatedRequest) -> HttpResponse:
    runs = selectors.assessments_listed()
    for run in runs:
        run.levels = services.area_levels(run)  # type: ignore[attr-defined]
        run.edition_title = edition(run.edition).short_title  # type: ignore[attr-defined]
    comparison = services.compare(list(reversed(runs)))
    context = {
        "runs": runs,
        "comparison": comparison,
        "compared": list(reversed(runs)),
        "toolkits": toolkits().values(),
    }
    return render(request, "assessment/index.html", context)


@role_required(can_assess)
def new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = AssessmentForm(
        request.POST or None,
        initial={"edition": "shef-2012", "assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.assessment_start(
            actor=user,
            edition_id=data["edition"],
            title=data["title"],
            assessed_on=data["assessed_on"],
            areas=data["areas"],
            assessors=data["assessors"],
        )
        return redirect("assessment:detail", assessment.public_id)
    return form_page(
        request,
        form,
        {
            "title": _("Start a self-assessment"),
            "intro": _(
                "Assess the organisation against the Social Housing Equality Framework. "
                "Questions that figures can answer are filled in from the last snapshot; you "
                "accept or override each one."
            ),
            "back": reverse("assessment:index"),
        },
    )


@role_required(can_assess)
def detail(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment = selectors.assessment_get(public_id)
    levels = services.area_levels(assessment)
    responses = list(assessment.responses.all())
    context = {
        "assessment": assessment,
        "framework": edition(assessment.edition),
        "levels": levels,
        "answered": sum(1 for r in responses if r.answer),
        "questions": len(responses),
        "live": sum(1 for r in responses if r.live),
        "decided": sum(1 for r in responses if r.live and r.decision),
    }
    return render(request, "assessment/detail.html", context)


@role_required(can_assess)
@require_POST
def refresh(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    services.refresh_evidence(actor=user, assessment=selectors.assessment_get(public_id))
    return redirect("assessment:detail", public_id)


@role_required(can_assess)
def area(request: AuthenticatedRequest, public_id: uuid.UUID, area_id: str) -> HttpResponse:
    assessment = selectors.assessment_get(public_id)
    if area_id not in assessment.areas:
        raise Http404("area not in this assessment")
    framework = edition(assessment.edition)
    the_area = framework.area(area_id)
    responses = {r.question: r for r in assessment.responses.all()}
    ratings = {r.criterion: r for r in assessment.ratings.all()}
    files: dict[str, list[EvidenceFile]] = {}
    for file in assessment.files.all():
        files.setdefault(file.question, []).append(file)
    found = services.level_of(
        the_area,
        {k: r.answer for k, r in responses.items()},
        {k: r.rating for k, r in ratings.items()},
    )
    sections = [
        {
            "level": level,
            "name": LEVEL_NAMES[level],
            "tagline": framework.levels[level],  # type: ignore[index]
            "criteria": [
                {"criterion": c, "rating": ratings.get(c.number)}
                for c in the_area.criteria_at(level)
            ],
            "questions": [
                {"question": q, "response": responses.get(q.id), "files": files.get(q.id, [])}
                for q in the_area.questions_at(level)
            ],
            "progress": found.progress[level],
        }
        for level in LEVELS
    ]
    context = {
        "assessment": assessment,
        "area": the_area,
        "sections": sections,
        "found": found,
    }
    return render(request, "assessment/area.html", context)


@role_required(can_assess)
def question(request: AuthenticatedRequest, public_id: uuid.UUID, question_id: str) -> HttpResponse:
    user = request.user
    assessment = selectors.assessment_get(public_id)
    response = selectors.response_get(assessment, question_id)
    area, level, the_question = edition(assessment.edition).questions[question_id]
    form = ResponseForm(
        request.POST or None,
        request.FILES or None,
        live=response.live,
        initial={
            "answer": response.answer,
            "notes": response.notes,
            "links": response.links,
            "override_reason": response.override_reason,
        },
    )
    back = reverse("assessment:area", args=[public_id, area.id]) + f"#{question_id}"
    if request.method == "POST" and "accept" in request.POST and response.live:
        services.answer_record(
            actor=user, response=response, answer="", notes=response.notes,
            links=response.links, accept_live=True,
        )  # fmt: skip
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        services.answer_with_evidence(
            actor=user, response=response, answer=form.cleaned_data["answer"],
            notes=form.cleaned_data["notes"], links=form.cleaned_data["links"],
            override_reason=form.cleaned_data["override_reason"],
            upload=form.cleaned_data.get("upload"),
        )  # fmt: skip
        return redirect(back)
    context = {
        "title": the_question.text,
        "caption": f"{area.title} · {LEVEL_NAMES[level]}",
        "back": back,
        "live": response.live_read,
        "multipart": True,
        "accept_url": request.path,
    }
    return form_page(request, form, context)


@role_required(can_assess)
def evidence_file(
    request: AuthenticatedRequest, public_id: uuid.UUID, file_id: int
) -> FileResponse:
    user = request.user
    file = selectors.evidence_file_read(actor=user, public_id=public_id, file_id=file_id)
    return FileResponse(
        Path(file.stored_path).open("rb"), as_attachment=True, filename=file.file_name
    )


@role_required(can_assess)
def criterion(request: AuthenticatedRequest, public_id: uuid.UUID, number: str) -> HttpResponse:
    user = request.user
    assessment = selectors.assessment_get(public_id)
    rating = selectors.rating_get(assessment, number)
    area, the_criterion = edition(assessment.edition).criteria[number]
    form = RatingForm(
        request.POST or None, initial={"rating": rating.rating, "difference": rating.difference}
    )
    back = reverse("assessment:area", args=[public_id, area.id]) + f"#criterion-{number}"
    if request.method == "POST" and form.is_valid():
        services.rating_record(
            actor=user,
            rating=rating,
            value=form.cleaned_data["rating"],
            difference=form.cleaned_data["difference"],
        )
        return redirect(back)
    context = {
        "title": _("Criterion %(number)s") % {"number": number},
        "caption": f"{area.title} · {LEVEL_NAMES[the_criterion.level]}",
        "quote": the_criterion.text,
        "back": back,
    }
    return form_page(request, form, context)


@role_required(can_assess)
def report(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    assessment = selectors.assessment_get(public_id)
    file_format = request.GET.get("format", "html")
    if file_format not in reports.FORMATS:
        return HttpResponse(_("The format must be pdf, xlsx or html."), status=400)
    content = reports.self_assessment_report(
        actor=user, assessment=assessment, file_format=file_format
    )
    response = HttpResponse(content, content_type=reports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="self-assessment-{assessment.assessed_on}.{file_format}"'
    )
    return response
