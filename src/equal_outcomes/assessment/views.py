"""Self-assessment, the toolkit, the action plan, objectives, policies and impact assessments.
All of it is the equality lead's work: it records the organisation's judgements and shows
aggregate figures only."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from equal_outcomes.accounts.roles import can_assess
from equal_outcomes.accounts.services import require
from equal_outcomes.assessment import reports, services
from equal_outcomes.assessment.evidence import impact_assessments_per_policy_review
from equal_outcomes.assessment.forms import (
    ActionForm,
    AssessmentForm,
    ImpactAssessmentForm,
    ObjectiveForm,
    PeopleEvidenceForm,
    PolicyForm,
    PolicyReviewForm,
    RatingForm,
    ResponseForm,
    RiskForm,
    StoryForm,
)
from equal_outcomes.assessment.framework import (
    LEVEL_NAMES,
    LEVELS,
    FrameworkError,
    edition,
    toolkit,
    toolkits,
    translated,
)
from equal_outcomes.assessment.models import (
    Action,
    ActionStatus,
    Assessment,
    CriterionRating,
    EvidenceFile,
    Impact,
    ImpactAssessment,
    Objective,
    PeopleEvidence,
    Policy,
    PolicyReview,
    QuestionResponse,
    Risk,
    StoryAnswer,
)
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.templatetags.codes import indicator_name
from equal_outcomes.core.versions import StaleEdit, redraw, versioned_save


def _lead(request: HttpRequest) -> Any:
    require(request, can_assess(request.user.role))  # type: ignore[union-attr]
    return request.user


def _form_page(
    request: HttpRequest, form: Any, context: dict[str, Any], status: int | None = None
) -> HttpResponse:
    """The shared form page: error summary, caption, heading, intro and the form."""
    if status is None:
        status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessment/form.html", {"form": form, **context}, status=status)


def _assessment(public_id: uuid.UUID) -> Assessment:
    return get_object_or_404(Assessment, public_id=public_id)


# Assessments


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _lead(request)
    runs = list(Assessment.objects.prefetch_related("responses", "ratings"))
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


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _lead(request)
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
    return _form_page(
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


@login_required
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _lead(request)
    assessment = _assessment(public_id)
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


@login_required
@require_POST
def refresh(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _lead(request)
    services.refresh_evidence(actor=user, assessment=_assessment(public_id))
    return redirect("assessment:detail", public_id)


@login_required
def area(request: HttpRequest, public_id: uuid.UUID, area_id: str) -> HttpResponse:
    _lead(request)
    assessment = _assessment(public_id)
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


@login_required
def question(request: HttpRequest, public_id: uuid.UUID, question_id: str) -> HttpResponse:
    user = _lead(request)
    assessment = _assessment(public_id)
    response = get_object_or_404(QuestionResponse, assessment=assessment, question=question_id)
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
        with transaction.atomic():
            services.answer_record(
                actor=user,
                response=response,
                answer=form.cleaned_data["answer"],
                notes=form.cleaned_data["notes"],
                links=form.cleaned_data["links"],
                override_reason=form.cleaned_data["override_reason"],
            )
            if upload := form.cleaned_data.get("upload"):
                _store_upload(user, assessment, question_id, upload)
        return redirect(back)
    context = {
        "title": the_question.text,
        "caption": f"{area.title} · {LEVEL_NAMES[level]}",
        "back": back,
        "live": response.live_read,
        "multipart": True,
        "accept_url": request.path,
    }
    return _form_page(request, form, context)


def _evidence_folder(assessment: Assessment) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "assessment" / str(assessment.public_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _store_upload(user: Any, assessment: Assessment, question_id: str, upload: Any) -> None:
    suffix = Path(upload.name).suffix.lower()
    target = _evidence_folder(assessment) / f"{uuid.uuid4()}{suffix}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    target.chmod(0o600)
    EvidenceFile.objects.create(
        assessment=assessment,
        question=question_id,
        file_name=Path(upload.name).name[:200],
        stored_path=str(target),
        size=upload.size,
        uploaded_by=user,
    )


@login_required
def evidence_file(request: HttpRequest, public_id: uuid.UUID, file_id: int) -> FileResponse:
    user = _lead(request)
    file = get_object_or_404(EvidenceFile, pk=file_id, assessment__public_id=public_id)
    Auditor.record(
        actor=user, action="download", target_type="assessment", target_id=public_id,
        section=f"file {file.pk}",
    )  # fmt: skip
    return FileResponse(
        Path(file.stored_path).open("rb"), as_attachment=True, filename=file.file_name
    )


@login_required
def criterion(request: HttpRequest, public_id: uuid.UUID, number: str) -> HttpResponse:
    user = _lead(request)
    assessment = _assessment(public_id)
    rating = get_object_or_404(CriterionRating, assessment=assessment, criterion=number)
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
    return _form_page(request, form, context)


@login_required
def report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _lead(request)
    assessment = _assessment(public_id)
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


# The toolkit


def _toolkit(toolkit_id: str) -> Any:
    try:
        return toolkit(toolkit_id)
    except FrameworkError:
        raise Http404("no such toolkit") from None


def _sub(toolkit_id: str, sub_id: str) -> tuple[Any, Any]:
    kit = _toolkit(toolkit_id)
    try:
        return kit, kit.sub_outcome(sub_id)
    except KeyError:
        raise Http404("no such sub-outcome") from None


@login_required
def toolkit_page(request: HttpRequest, toolkit_id: str) -> HttpResponse:
    _lead(request)
    kit = _toolkit(toolkit_id)
    counts = {
        sub.id: {
            "answered": StoryAnswer.objects.filter(toolkit=kit.id, sub_outcome=sub.id)
            .exclude(answer="")
            .count(),
            "evidence": PeopleEvidence.objects.filter(toolkit=kit.id, sub_outcome=sub.id).count(),
            "risks": Risk.objects.filter(toolkit=kit.id, sub_outcome=sub.id).count(),
        }
        for sub in kit.sub_outcomes
    }
    return render(request, "assessment/toolkit.html", {"kit": kit, "counts": counts})


def _statistics(sub: Any) -> tuple[list[dict[str, Any]], str]:
    """Each statistical indicator with its linked indicators' current findings."""
    outcomes = services.outcomes_if_ready()
    as_at = (outcomes or {}).get("data_as_at", "")
    found = []
    for statistic in sub.statistics:
        linked = []
        for indicator in statistic.indicators:
            tables = [t for t in (outcomes or {}).get("tables", []) if t["indicator"] == indicator]
            worse = [
                (t["characteristic"], row["category"])
                for t in tables
                for row in t["rows"]
                if row["flag"] == "worse"
            ]
            linked.append(
                {"id": indicator, "title": indicator_name(indicator), "analysed": bool(tables),
                 "worse": worse, "characteristics": [t["characteristic"] for t in tables]}
            )  # fmt: skip
        figure = None
        if statistic.figure == "impact_assessments_per_policy_review":
            year = timezone.localdate().year
            figure = {"year": year, **impact_assessments_per_policy_review(year)}
        found.append({"statistic": statistic, "linked": linked, "figure": figure})
    return found, as_at


@login_required
def sub_outcome(request: HttpRequest, toolkit_id: str, sub_id: str) -> HttpResponse:
    user = _lead(request)
    kit, sub = _sub(toolkit_id, sub_id)
    answers = {
        a.question: a.answer for a in StoryAnswer.objects.filter(toolkit=kit.id, sub_outcome=sub.id)
    }
    ours = list(Risk.objects.filter(toolkit=kit.id, sub_outcome=sub.id).prefetch_related("actions"))
    if request.method == "POST":  # library risks chosen to add
        try:
            services.library_risks_add(
                actor=user, toolkit=kit.id, sub=sub, keys=request.POST.getlist("library")
            )
        except services.NotInLibrary:
            return HttpResponse(_("That risk is not in the library."), status=400)
        return redirect(reverse("assessment:sub_outcome", args=[kit.id, sub.id]) + "#our-risks")
    statistics, as_at = _statistics(sub)
    held = {r.text for r in ours}
    context = {
        "kit": kit,
        "sub": sub,
        "statistics": statistics,
        "as_at": as_at,
        "story": [(i, q, answers.get(i, "")) for i, q in enumerate(sub.story)],
        "people": PeopleEvidence.objects.filter(toolkit=kit.id, sub_outcome=sub.id),
        "library": [
            {
                "index": gi,
                "group": group,
                "risks": [
                    (f"{gi}-{ri}", text, text in held) for ri, text in enumerate(group.risks)
                ],
            }
            for gi, group in enumerate(sub.risks_and_actions)
        ],
        "ours": ours,
    }
    return render(request, "assessment/sub_outcome.html", context)


@login_required
def story(request: HttpRequest, toolkit_id: str, sub_id: str) -> HttpResponse:
    user = _lead(request)
    kit, sub = _sub(toolkit_id, sub_id)
    existing = {
        a.question: a for a in StoryAnswer.objects.filter(toolkit=kit.id, sub_outcome=sub.id)
    }
    form = StoryForm(
        request.POST or None,
        questions=sub.story,
        initial={f"q{i}": a.answer for i, a in existing.items()},
    )
    back = reverse("assessment:sub_outcome", args=[kit.id, sub.id])
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for i in range(len(sub.story)):
                StoryAnswer.objects.update_or_create(
                    toolkit=kit.id, sub_outcome=sub.id, question=i,
                    defaults={"answer": form.cleaned_data[f"q{i}"], "updated_by": user},
                )  # fmt: skip
        return redirect(back + "#story")
    context = {
        "title": _("Story behind the data"),
        "caption": f"{sub.id} {sub.title}",
        "back": back,
    }
    return _form_page(request, form, context)


@login_required
def people_evidence(request: HttpRequest, toolkit_id: str, sub_id: str) -> HttpResponse:
    user = _lead(request)
    kit, sub = _sub(toolkit_id, sub_id)
    form = PeopleEvidenceForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    back = reverse("assessment:sub_outcome", args=[kit.id, sub.id])
    if request.method == "POST" and form.is_valid():
        PeopleEvidence.objects.create(
            toolkit=kit.id, sub_outcome=sub.id, recorded_by=user, **form.cleaned_data
        )
        return redirect(back + "#people")
    context = {
        "title": _("Add people evidence"),
        "caption": f"{sub.id} {sub.title}",
        "intro_list": sub.people,
        "intro": _("The toolkit's people indicators for this sub-outcome:"),
        "back": back,
    }
    return _form_page(request, form, context)


@login_required
def risk(request: HttpRequest, pk: int) -> HttpResponse:
    _lead(request)
    the_risk = get_object_or_404(Risk, pk=pk)
    form = RiskForm(
        request.POST or None,
        initial={"problem": the_risk.problem, "text": the_risk.text, "version": the_risk.version},
    )
    back = reverse("assessment:sub_outcome", args=[the_risk.toolkit, the_risk.sub_outcome])
    if request.method == "POST" and form.is_valid():
        the_risk.problem = form.cleaned_data["problem"]
        the_risk.text = form.cleaned_data["text"]
        try:
            versioned_save(the_risk, form.cleaned_data["version"], ["problem", "text"])
        except StaleEdit as error:
            redraw(form, error)
        else:
            return redirect(back + "#our-risks")
    return _form_page(request, form, {"title": _("Change the risk"), "back": back})


# The action plan


def _action_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "risks": [(str(r.pk), f"{r.sub_outcome}: {r.text[:90]}") for r in Risk.objects.all()],
        "objectives": [(str(o.pk), o.title[:100]) for o in Objective.objects.all()],
    }


def _suggested_actions(the_risk: Risk | None) -> list[str]:
    """The toolkit's actions for the problem a library risk belongs to."""
    if the_risk is None:
        return []
    try:
        sub = toolkit(the_risk.toolkit).sub_outcome(the_risk.sub_outcome)
        # The risk keeps its problem in the language it was chosen in; either finds the group.
        both = [
            translated(the_risk.toolkit, language).sub_outcome(the_risk.sub_outcome)
            for language in ("en", "cy")
        ]
    except (FrameworkError, KeyError):
        return []
    return [
        action
        for index, group in enumerate(sub.risks_and_actions)
        if the_risk.problem in {each.risks_and_actions[index].problem for each in both}
        for action in group.actions
    ]


@login_required
def actions(request: HttpRequest) -> HttpResponse:
    _lead(request)
    if (outcomes := services.outcomes_if_ready()) is not None:
        services.record_progress(outcomes)
    plan = list(
        Action.objects.select_related("risk", "objective").prefetch_related(Prefetch("readings"))
    )
    still_open = {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}
    context = {
        "rows": [{"action": action, "progress": services.progress(action)} for action in plan],
        "overdue": len([action for action in plan if action.overdue]),
        "open": len([action for action in plan if action.status in still_open]),
    }
    return render(request, "assessment/actions.html", context)


MEASURE_FIELDS = ("indicator", "characteristic", "category", "measure", "target")


def _save_action(action: Action, data: dict[str, Any]) -> Action:
    before = [getattr(action, name) for name in MEASURE_FIELDS]
    for name in ("title", "owner", "due_on", "status", "indicator", "characteristic", "category",
                 "measure", "target"):  # fmt: skip
        setattr(action, name, data[name] if data[name] is not None else None)
    if not action.measure:
        action.target = None
    action.risk = Risk.objects.filter(pk=data["risk"]).first() if data["risk"] else None
    action.objective = (
        Objective.objects.filter(pk=data["objective"]).first() if data["objective"] else None
    )
    versioned_save(action, data.get("version") if action.pk else None)
    if action.pk and before != [getattr(action, name) for name in MEASURE_FIELDS]:
        action.readings.all().delete()  # they measured something else
    return action


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    user = _lead(request)
    the_risk = None
    if (risk_id := request.GET.get("risk", "")).isdigit():
        the_risk = Risk.objects.filter(pk=int(risk_id)).first()
    initial: dict[str, Any] = {"status": ActionStatus.NOT_STARTED}
    if the_risk:
        initial["risk"] = str(the_risk.pk)
        suggestions = _suggested_actions(the_risk)
        if suggestions:
            initial["title"] = suggestions[0]
    form = ActionForm(request.POST or None, initial=initial, **_action_choices())
    if request.method == "POST" and form.is_valid():
        action = _save_action(Action(created_by=user), form.cleaned_data)
        services.record_progress_for(action)
        return redirect(reverse("assessment:actions") + f"#action-{action.pk}")
    context = {
        "title": _("Add an action"),
        "back": reverse("assessment:actions"),
        "intro": _(
            "A measure ties the action to an indicator for one group, with a target: for "
            "example, satisfaction with complaint handling among disabled tenants, closing the "
            "gap to under 5 points. Progress is read from the latest results when you save, "
            "then from every new snapshot."
        ),
        "intro_list": _suggested_actions(the_risk)[1:],
    }
    return _form_page(request, form, context)


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _lead(request)
    action = get_object_or_404(Action, pk=pk)
    initial = {
        name: getattr(action, name)
        for name in ("title", "owner", "due_on", "status", "indicator", "characteristic",
                     "category", "measure", "target")
    }  # fmt: skip
    initial["risk"] = str(action.risk_id or "")
    initial["objective"] = str(action.objective_id or "")
    initial["version"] = action.version
    form = ActionForm(request.POST or None, initial=initial, **_action_choices())
    if request.method == "POST" and form.is_valid():
        try:
            _save_action(action, form.cleaned_data)
        except StaleEdit as error:
            redraw(form, error)
        else:
            services.record_progress_for(action)
            return redirect(reverse("assessment:actions") + f"#action-{action.pk}")
    return _form_page(
        request, form, {"title": _("Change the action"), "back": reverse("assessment:actions")}
    )


# Objectives, policies and impact assessments


@login_required
def objectives(request: HttpRequest) -> HttpResponse:
    _lead(request)
    form = ObjectiveForm(request.POST or None, initial={"set_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        Objective.objects.create(**form.cleaned_data)
        return redirect("assessment:objectives")
    context = {
        "objectives": Objective.objects.prefetch_related("actions"),
        "form": form,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessment/objectives.html", context, status=status)


@login_required
def objective(request: HttpRequest, pk: int) -> HttpResponse:
    _lead(request)
    the_objective = get_object_or_404(Objective, pk=pk)
    fields = (
        "title",
        "description",
        "owner",
        "set_on",
        "last_reviewed_on",
        "review_every_years",
        "status",
    )
    form = ObjectiveForm(
        request.POST or None,
        initial={
            **{f: getattr(the_objective, f) for f in fields},
            "version": the_objective.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        for name in fields:
            setattr(the_objective, name, form.cleaned_data[name])
        try:
            versioned_save(the_objective, form.cleaned_data["version"])
        except StaleEdit as error:
            redraw(form, error)
        else:
            return redirect("assessment:objectives")
    return _form_page(
        request,
        form,
        {"title": _("Change the objective"), "back": reverse("assessment:objectives")},
    )


@login_required
def policies(request: HttpRequest) -> HttpResponse:
    _lead(request)
    form = PolicyForm(request.POST or None, initial={"adopted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if Policy.objects.filter(name=form.cleaned_data["name"]).exists():
            form.add_error("name", _("A policy with this name is already on the register"))
        else:
            Policy.objects.create(**form.cleaned_data)
            return redirect("assessment:policies")
    year = timezone.localdate().year
    context = {
        "policies": Policy.objects.prefetch_related("reviews", "impact_assessments"),
        "form": form,
        "per_year": [
            {"year": y, **impact_assessments_per_policy_review(y)}
            for y in (year, year - 1, year - 2)
        ],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessment/policies.html", context, status=status)


@login_required
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    user = _lead(request)
    the_policy = get_object_or_404(
        Policy.objects.prefetch_related("reviews", "impact_assessments__impacts"), pk=pk
    )
    form = PolicyReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["reviewed_on"] < the_policy.adopted_on:
            form.add_error("reviewed_on", _("The review must be on or after the date adopted"))
        else:
            PolicyReview.objects.create(policy=the_policy, recorded_by=user, **form.cleaned_data)
            return redirect("assessment:policy", pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "assessment/policy.html", {"policy": the_policy, "form": form}, status=status
    )


@login_required
def impact_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _lead(request)
    the_policy = get_object_or_404(Policy, pk=pk)
    form = ImpactAssessmentForm(
        request.POST or None, initial={"completed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            eia = ImpactAssessment.objects.create(
                policy=the_policy,
                completed_on=form.cleaned_data["completed_on"],
                assessor=form.cleaned_data["assessor"],
                summary=form.cleaned_data["summary"],
                recorded_by=user,
            )
            Impact.objects.bulk_create(Impact(assessment=eia, **row) for row in form.impacts())
        return redirect("assessment:policy", pk)
    context = {
        "title": _("Equality impact assessment"),
        "caption": the_policy.name,
        "intro": _(
            "For each protected characteristic: the likely impact of the policy, the evidence "
            "for it, and how any adverse impact will be mitigated."
        ),
        "back": reverse("assessment:policy", args=[pk]),
    }
    return _form_page(request, form, context)
