"""Customer search and the customer record. Thin: selectors do the reading and auditing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.roles import can_browse_customers
from equal_outcomes.customers import selectors
from equal_outcomes.customers.forms import CustomerSearchForm


def _require_browser(request: HttpRequest) -> None:
    if not can_browse_customers(request.user.role):  # type: ignore[union-attr]
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search by POST so names never appear in URLs, browser history or access logs."""
    _require_browser(request)
    form = CustomerSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.customer_search(user=request.user, query=form.cleaned_data["query"])
    return render(request, "customers/search.html", {"form": form, "results": results})


@login_required
def record(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_browser(request)
    customer = selectors.customer_get(user=request.user, public_id=public_id)
    view = selectors.customer_record(user=request.user, customer=customer, purpose="record page")
    return render(request, "customers/record.html", {"record": view})
