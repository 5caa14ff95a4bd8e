"""The "Evidencing Equal Outcomes" toolkit: sub-outcomes, their statistics and stories, people
evidence and the risks the landlord holds."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.roles import can_assess
from equal_outcomes.assessment import planning, selectors, services
from equal_outcomes.assessment.evidence import impact_assessments_per_policy_review
from equal_outcomes.assessment.forms import (
    PeopleEvidenceForm,
    RiskForm,
    StoryForm,
)
from equal_outcomes.assessment.framework import (
    FrameworkError,
    toolkit,
)
from equal_outcomes.assessment.views.common import form_page
from equal_outcomes.core.templatetags.codes import indicator_name
from equal_outcomes.core.versions import StaleEdit, redraw


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


@role_required(can_assess)
def toolkit_page(request: AuthenticatedRequest, toolkit_id: str) -> HttpResponse:
    kit = _toolkit(toolkit_id)
    counts = selectors.toolkit_counts(kit)
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


@role_required(can_assess)
def sub_outcome(request: AuthenticatedRequest, toolkit_id: str, sub_id: str) -> HttpResponse:
    user = request.user
    kit, sub = _sub(toolkit_id, sub_id)
    answers = {i: a.answer for i, a in selectors.story_answers(kit.id, sub.id).items()}
    ours = selectors.risks_of(kit.id, sub.id)
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
        "people": selectors.people_evidence_of(kit.id, sub.id),
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


@role_required(can_assess)
def story(request: AuthenticatedRequest, toolkit_id: str, sub_id: str) -> HttpResponse:
    user = request.user
    kit, sub = _sub(toolkit_id, sub_id)
    existing = selectors.story_answers(kit.id, sub.id)
    form = StoryForm(
        request.POST or None,
        questions=sub.story,
        initial={f"q{i}": a.answer for i, a in existing.items()},
    )
    back = reverse("assessment:sub_outcome", args=[kit.id, sub.id])
    if request.method == "POST" and form.is_valid():
        planning.story_save(
            actor=user, toolkit=kit.id, sub_outcome=sub.id,
            answers=[form.cleaned_data[f"q{i}"] for i in range(len(sub.story))],
        )  # fmt: skip
        return redirect(back + "#story")
    context = {
        "title": _("Story behind the data"),
        "caption": f"{sub.id} {sub.title}",
        "back": back,
    }
    return form_page(request, form, context)


@role_required(can_assess)
def people_evidence(request: AuthenticatedRequest, toolkit_id: str, sub_id: str) -> HttpResponse:
    user = request.user
    kit, sub = _sub(toolkit_id, sub_id)
    form = PeopleEvidenceForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    back = reverse("assessment:sub_outcome", args=[kit.id, sub.id])
    if request.method == "POST" and form.is_valid():
        planning.people_evidence_add(
            actor=user, toolkit=kit.id, sub_outcome=sub.id, **form.cleaned_data
        )
        return redirect(back + "#people")
    context = {
        "title": _("Add people evidence"),
        "caption": f"{sub.id} {sub.title}",
        "intro_list": sub.people,
        "intro": _("The toolkit's people indicators for this sub-outcome:"),
        "back": back,
    }
    return form_page(request, form, context)


@role_required(can_assess)
def risk(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    the_risk = selectors.risk_get(pk)
    form = RiskForm(
        request.POST or None,
        initial={"problem": the_risk.problem, "text": the_risk.text, "version": the_risk.version},
    )
    back = reverse("assessment:sub_outcome", args=[the_risk.toolkit, the_risk.sub_outcome])
    if request.method == "POST" and form.is_valid():
        try:
            planning.risk_change(
                actor=user, risk=the_risk, problem=form.cleaned_data["problem"],
                text=form.cleaned_data["text"], version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleEdit as error:
            redraw(form, error)
        else:
            return redirect(back + "#our-risks")
    return form_page(request, form, {"title": _("Change the risk"), "back": back})
