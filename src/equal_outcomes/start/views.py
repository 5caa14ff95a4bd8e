"""Each role's start page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from equal_outcomes.accounts import mail
from equal_outcomes.accounts.roles import Role, can_browse_customers
from equal_outcomes.core import worker
from equal_outcomes.start import attention


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what to do now. Roles with one main task go straight to it."""
    role = request.user.role  # type: ignore[union-attr]
    straight_to: dict[str, str] = {
        Role.TENANT: "collection:questionnaire",
        Role.CONTRACTOR: "sharing:job_packs",
        Role.PARTNER: "sharing:job_packs",
        Role.BOARD: "insight:outcomes",
        Role.HR: "workforce:dashboard",
    }
    if role in straight_to:
        return redirect(straight_to[role])
    context: dict[str, Any] = {"role_label": Role(role).label}
    if role == Role.EQUALITY_LEAD:
        context["attention"] = attention.attention()
    if role in (Role.EQUALITY_LEAD, Role.ADMINISTRATOR):
        context["worker"] = worker.health()
    context["emails_waiting"] = mail.waiting() if role == Role.ADMINISTRATOR else None
    context["can_search"] = can_browse_customers(role)
    return render(request, "home.html", context)
