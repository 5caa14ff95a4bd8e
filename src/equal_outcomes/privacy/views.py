"""Data-rights pages for a customer's record: emergency access, correction, objection,
restricted details, subject access and erasure. Thin: selectors read (and audit reads), services write (and audit writes).

Every view checks the role with a rule function from ``accounts.roles`` and finds the record
through ``selectors.customer_get``, so out-of-scope records answer 404 like missing ones.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from equal_outcomes.accounts import roles
from equal_outcomes.accounts.guards import role_required
from equal_outcomes.accounts.services import require
from equal_outcomes.core.versions import StaleEdit, redraw
from equal_outcomes.core.views import limit_exports
from equal_outcomes.customers import selectors
from equal_outcomes.customers.forms import (
    CorrectionForm,
    EmergencyAccessForm,
    ErasureForm,
    RestrictedDetailsForm,
)
from equal_outcomes.customers.views import apply_errors, customer_in_scope
from equal_outcomes.privacy import dsar, rights


@role_required(roles.can_break_glass)
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Break the glass: open a record outside one's areas, with a reason, for a limited time."""
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = rights.emergency_access_grant(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("customers:record", public_id=grant.customer.public_id)
    return render(request, "customers/emergency_access.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, public_id: str) -> HttpResponse:
    """Rectification of identity and contact details; the old values are kept."""
    customer = customer_in_scope(request, public_id, roles.can_rectify)
    initial = {name: getattr(customer, name) for name in rights.CORRECTABLE_FIELDS}
    initial["version"] = customer.version
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in rights.CORRECTABLE_FIELDS}
        try:
            done = rights.customer_correct(
                actor=request.user,
                customer=customer,
                changes=changes,
                reason=form.cleaned_data["reason"],
                seen_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except StaleEdit as error:
            redraw(form, error)
        else:
            messages.success(
                request,
                _("Details corrected. The earlier values are kept in the record's history.")
                if done
                else _("Nothing had changed, so nothing was saved."),
            )
            return redirect("customers:record", public_id=customer.public_id)
    return render(request, "customers/correct.html", {"customer": customer, "form": form})


@login_required
@require_POST
def objection(request: HttpRequest, public_id: str) -> HttpResponse:
    """Records or withdraws an objection to equality monitoring."""
    customer = customer_in_scope(request, public_id, roles.can_rectify)
    objects = request.POST.get("objects") == "yes"
    rights.objection_record(actor=request.user, customer=customer, objects=objects)
    messages.success(
        request,
        _("Objection recorded: this person is left out of all equality analysis.")
        if objects
        else _("Objection withdrawn: this person is included in equality analysis again."),
    )
    return redirect("customers:record", public_id=customer.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def restricted(request: HttpRequest, public_id: str) -> HttpResponse:
    """The safe address and gender history: the housing officer for the area only."""
    customer = customer_in_scope(request, public_id, roles.can_see_restricted)
    if selectors.emergency_grant_for(request.user, customer) is not None:
        require(request, False)
    held = selectors.restricted_details_read(
        user=request.user, customer=customer, purpose="restricted details form"
    )
    initial = (
        {
            "safe_address": held.safe_address,
            "gender_history": held.gender_history,
            "version": held.version,
        }
        if held
        else {}
    )
    form = RestrictedDetailsForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            rights.restricted_details_record(
                actor=request.user, customer=customer, **form.cleaned_data
            )
        except StaleEdit as error:
            redraw(form, error)
        else:
            messages.success(request, _("Restricted details saved."))
            return redirect("customers:record", public_id=customer.public_id)
    return render(request, "customers/restricted.html", {"customer": customer, "form": form})


@login_required
@limit_exports
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest, public_id: str) -> HttpResponse:
    """A subject access export: GET explains, POST downloads JSON or PDF (audited)."""
    customer = customer_in_scope(
        request,
        public_id,
        lambda role: roles.can_handle_rights_requests(role) or roles.can_see_restricted(role),
    )
    context = {"customer": customer, "restricted_part": dsar.produces_restricted_part(request.user)}
    if request.method == "POST":
        file_format = request.POST.get("format", "")
        if file_format not in dsar.FORMATS:
            return render(
                request,
                "customers/subject_access_page.html",
                {**context, "error": _("Choose JSON or PDF")},
                status=400,
            )
        content = dsar.subject_access_export(
            actor=request.user, customer=customer, file_format=file_format
        )
        response = HttpResponse(
            content, content_type="application/json" if file_format == "json" else "application/pdf"
        )
        part = "-restricted" if context["restricted_part"] else ""
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{customer.landlord_ref}{part}.{file_format}"'
        )
        return response
    return render(request, "customers/subject_access_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, public_id: str) -> HttpResponse:
    """Erasure: removes the person's profile, needs and adjustments and anonymises the rest."""
    customer = customer_in_scope(request, public_id, roles.can_handle_rights_requests)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rights.customer_erase(
            actor=request.user, customer=customer, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The person's data has been erased."))
        return redirect("customers:search")
    return render(request, "customers/erase.html", {"customer": customer, "form": form})
