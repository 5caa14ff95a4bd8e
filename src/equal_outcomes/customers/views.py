"""Customer pages (search, record, access log; the data-rights pages are in ``privacy``). Thin: selectors read (and audit reads), services write (and audit writes).

Every view checks the role with a rule function from ``accounts.roles`` and finds the record
through ``selectors.customer_get``, so out-of-scope records answer 404 like missing ones.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts import roles
from equal_outcomes.accounts.guards import role_required
from equal_outcomes.accounts.services import require
from equal_outcomes.audit.selectors import record_history
from equal_outcomes.core.views import limit_search
from equal_outcomes.customers import selectors
from equal_outcomes.customers.forms import (
    CustomerSearchForm,
)
from equal_outcomes.customers.models import Customer


def role_of(request: HttpRequest) -> str:
    return str(request.user.role)  # type: ignore[union-attr]


def customer_in_scope(request: HttpRequest, public_id: Any, rule: Any) -> Customer:
    require(request, rule(role_of(request)))
    return selectors.customer_get(user=request.user, public_id=public_id)


def apply_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@role_required(roles.can_browse_customers)
@limit_search
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search by POST so names never appear in URLs, browser history or access logs."""
    form = CustomerSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        page = request.POST.get("page", "1")
        results = selectors.customer_search(
            user=request.user,
            query=form.cleaned_data["query"],
            page=int(page) if page.isdigit() else 1,
        )
    return render(
        request,
        "customers/search.html",
        {
            "form": form,
            "results": results,
            "can_break_glass": roles.can_break_glass(role_of(request)),
        },
    )


@login_required
def record(request: HttpRequest, public_id: str) -> HttpResponse:
    customer = customer_in_scope(request, public_id, roles.can_browse_customers)
    view = selectors.customer_record(user=request.user, customer=customer, purpose="record page")
    role = role_of(request)
    return render(
        request,
        "customers/record.html",
        {
            "record": view,
            "can_see_access_log": roles.can_see_access_log(role),
            "can_record_profile": roles.can_record_special_category(role)
            and view.emergency is None,
            "can_rectify": roles.can_rectify(role),
            "can_handle_rights": roles.can_handle_rights_requests(role),
            "can_edit_restricted": roles.can_see_restricted(role) and view.emergency is None,
        },
    )


@login_required
def access_log(request: HttpRequest, public_id: str) -> HttpResponse:
    """Who viewed or changed this customer's record, when and why."""
    customer = customer_in_scope(request, public_id, roles.can_see_access_log)
    return render(
        request,
        "customers/access_log.html",
        {"customer": customer, "events": record_history("customer", customer.public_id)},
    )
