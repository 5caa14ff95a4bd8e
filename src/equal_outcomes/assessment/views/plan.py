"""The action plan: actions tied to risks and objectives, and measured from the results."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.roles import can_assess
from equal_outcomes.assessment import planning, selectors, services
from equal_outcomes.assessment.evidence import worse_group
from equal_outcomes.assessment.forms import (
    ActionForm,
)
from equal_outcomes.assessment.framework import (
    FrameworkError,
    toolkit,
    translated,
)
from equal_outcomes.assessment.models import Action, ActionStatus, MeasureKind, Risk
from equal_outcomes.assessment.views.common import form_page
from equal_outcomes.core.versions import StaleEdit, redraw


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


@role_required(can_assess)
def actions(request: AuthenticatedRequest) -> HttpResponse:
    if (outcomes := services.outcomes_if_ready()) is not None:
        services.record_progress(outcomes)
    plan = selectors.actions_listed()
    still_open = {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}
    context = {
        "rows": [{"action": action, "progress": services.progress(action)} for action in plan],
        "overdue": len([action for action in plan if action.overdue]),
        "open": len([action for action in plan if action.status in still_open]),
    }
    return render(request, "assessment/actions.html", context)


@role_required(can_assess)
def action_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    the_risk = selectors.risk_find(request.GET.get("risk", ""))
    initial: dict[str, Any] = {"status": ActionStatus.NOT_STARTED}
    if the_risk:
        initial["risk"] = str(the_risk.pk)
        suggestions = _suggested_actions(the_risk)
        if suggestions:
            initial["title"] = suggestions[0]
    if impact := selectors.impact_find(request.GET.get("impact", "")):
        # A mitigation measured like any action: the indicator on which the impact's group is
        # worse served, closing the gap to under 5 points unless the lead chooses otherwise.
        indicator, category = worse_group(impact.assessment.indicators, impact.characteristic)
        initial |= {"title": impact.mitigation[:500], "impact": impact.pk, "indicator": indicator}
        if category:
            initial |= {
                "group": f"{impact.characteristic}:{category}",
                "measure": MeasureKind.GAP_BELOW,
                "target": 5,
            }
    form = ActionForm(request.POST or None, initial=initial, **selectors.action_choices())
    if request.method == "POST" and form.is_valid():
        action = planning.action_save(
            actor=user, action=Action(created_by=user), values=form.cleaned_data
        )
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
    return form_page(request, form, context)


@role_required(can_assess)
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    action = selectors.action_get(pk)
    initial: dict[str, Any] = {name: getattr(action, name) for name in planning.ACTION_FIELDS}
    initial["risk"] = str(action.risk_id or "")
    initial["objective"] = str(action.objective_id or "")
    initial["version"] = action.version
    form = ActionForm(request.POST or None, initial=initial, **selectors.action_choices())
    if request.method == "POST" and form.is_valid():
        try:
            planning.action_save(actor=user, action=action, values=form.cleaned_data)
        except StaleEdit as error:
            redraw(form, error)
        else:
            services.record_progress_for(action)
            return redirect(reverse("assessment:actions") + f"#action-{action.pk}")
    return form_page(
        request, form, {"title": _("Change the action"), "back": reverse("assessment:actions")}
    )
