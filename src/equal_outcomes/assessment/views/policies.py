"""Equality objectives, the policy register, policy reviews and equality impact assessments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.roles import can_assess
from equal_outcomes.assessment import planning, selectors
from equal_outcomes.assessment.evidence import impact_assessments_per_policy_review, impact_figures
from equal_outcomes.assessment.forms import (
    ImpactAssessmentForm,
    ObjectiveForm,
    PolicyForm,
    PolicyReviewForm,
)
from equal_outcomes.assessment.views.common import form_page
from equal_outcomes.core.versions import StaleEdit, redraw


@role_required(can_assess)
def objectives(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ObjectiveForm(request.POST or None, initial={"set_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        planning.objective_add(actor=user, **form.cleaned_data)
        return redirect("assessment:objectives")
    context = {
        "objectives": selectors.objectives_listed(),
        "form": form,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessment/objectives.html", context, status=status)


@role_required(can_assess)
def objective(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    the_objective = selectors.objective_get(pk)
    fields = planning.OBJECTIVE_FIELDS
    form = ObjectiveForm(
        request.POST or None,
        initial={
            **{f: getattr(the_objective, f) for f in fields},
            "version": the_objective.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            planning.objective_change(
                actor=user, objective=the_objective, values=form.cleaned_data,
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleEdit as error:
            redraw(form, error)
        else:
            return redirect("assessment:objectives")
    return form_page(
        request,
        form,
        {"title": _("Change the objective"), "back": reverse("assessment:objectives")},
    )


@role_required(can_assess)
def policies(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = PolicyForm(request.POST or None, initial={"adopted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            planning.policy_add(actor=user, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            return redirect("assessment:policies")
    year = timezone.localdate().year
    context = {
        "policies": selectors.policies_listed(),
        "form": form,
        "per_year": [
            {"year": y, **impact_assessments_per_policy_review(y)}
            for y in (year, year - 1, year - 2)
        ],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessment/policies.html", context, status=status)


@role_required(can_assess)
def policy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    the_policy = selectors.policy_get(pk)
    form = PolicyReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            planning.policy_review_add(actor=user, policy=the_policy, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            return redirect("assessment:policy", pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "assessment/policy.html", {"policy": the_policy, "form": form}, status=status
    )


@role_required(can_assess)
def impact_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    the_policy = selectors.policy_get(pk)
    if request.method == "POST" and "show" in request.POST:
        # The indicators chosen: each characteristic's evidence starts with what their outcome
        # tables say, where the assessor has not written any yet. Nothing is saved or checked.
        data = request.POST.copy()
        for name, text in impact_figures(data.getlist("indicators")).items():
            if not data.get(f"evidence_{name}", "").strip():
                data[f"evidence_{name}"] = text
        form = ImpactAssessmentForm(data)
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # shown as given: not a save
    else:
        form = ImpactAssessmentForm(
            request.POST or None, initial={"completed_on": timezone.localdate()}
        )
    if request.method == "POST" and "show" not in request.POST and form.is_valid():
        planning.impact_assessment_add(
            actor=user, policy=the_policy, completed_on=form.cleaned_data["completed_on"],
            assessor=form.cleaned_data["assessor"], summary=form.cleaned_data["summary"],
            impacts=list(form.impacts()), indicators=form.cleaned_data["indicators"],
        )  # fmt: skip
        return redirect("assessment:policy", pk)
    context = {
        "title": _("Equality impact assessment"),
        "caption": the_policy.name,
        "intro": _(
            "For each protected characteristic: the likely impact of the policy, the evidence "
            "for it, and how any adverse impact will be mitigated. Start from the service "
            "indicators the policy bears on: their outcome tables give the evidence its first "
            "lines, and each mitigation can then be tracked on the action plan with a measure."
        ),
        "back": reverse("assessment:policy", args=[pk]),
    }
    return form_page(request, form, context)
