"""The home page: staff who work with records go to search; other roles see their account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from equal_outcomes.accounts.roles import Role, can_browse_customers


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = request.user.role  # type: ignore[union-attr]
    if can_browse_customers(role):
        return redirect("customers:search")
    return render(request, "home.html", {"role_label": Role(role).label})
