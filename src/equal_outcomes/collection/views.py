"""Staff capture of a customer's profile: answer what you asked, check, then save. Staff who
may read the profile save only what changed; advisors record answers without seeing, or being
able to work out, those already held."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.guards import role_required
from equal_outcomes.accounts.roles import (
    can_record_needs,
    can_record_special_category,
    can_see_special_category,
    can_see_vulnerabilities,
)
from equal_outcomes.accounts.services import require
from equal_outcomes.collection.forms import (
    AdjustmentForm,
    CommunicationNeedForm,
    ProfileForm,
    SupportNeedForm,
)
from equal_outcomes.collection.selectors import ask_next as selectors_ask_next
from equal_outcomes.customers import selectors
from equal_outcomes.customers.models import Confidentiality, Customer
from equal_outcomes.customers.services import (
    MULTIPLE_SEPARATOR,
    adjustment_record,
    communication_need_record,
    profile_answers_record,
    support_need_record,
)
from equal_outcomes.standards.codelists import characteristics, code_list


def _to_record(
    user: Any, form: ProfileForm, customer: Customer
) -> dict[str, tuple[str, list[str]]]:
    """The answers to record. Staff who may read the profile see it in the form and record only
    what they changed. For staff who may not, nothing here depends on what is held (otherwise
    posting each option in turn would tell them): every answer entered is recorded, and one the
    same as the held answer confirms it."""
    entered = form.answers()
    if not can_see_special_category(user.role):
        return entered
    held = selectors.profile_held(user=user, customer=customer, purpose="profile form check")
    return {
        question: (state, codes)
        for question, (state, codes) in entered.items()
        if held.get(question) != (state, MULTIPLE_SEPARATOR.join(codes))
    }


def _summary(answers: dict[str, tuple[str, list[str]]]) -> list[tuple[str, str]]:
    questions = characteristics()
    pnts = questions.prefer_not_to_say.label.text()
    rows = []
    for question, (state, codes) in answers.items():
        listing = questions.get(question).codes
        shown = ", ".join(listing.label(code) for code in codes) if codes else pnts
        rows.append(
            (
                (listing.question or listing.title).text(),
                shown if state != "prefer_not_to_say" else pnts,
            )
        )
    return rows


@role_required(can_record_special_category)
@require_http_methods(["GET", "POST"])
def capture_profile(request: HttpRequest, public_id: str) -> HttpResponse:
    user: Any = request.user
    customer = selectors.customer_get(user=user, public_id=public_id)
    # An emergency grant opens a record to read in an emergency, not to change its profile.
    require(request, selectors.emergency_grant_for(user, customer) is None)
    reader = can_see_special_category(user.role)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        current=selectors.profile_held(user=user, customer=customer, purpose="profile form")
        if reader and request.method == "GET"
        else None,
        initial={"touchpoint": "contact"},
    )
    context: dict[str, Any] = {"customer": customer, "form": form, "reader": reader}
    if step in {"check", "save"} and form.is_valid():
        answers = _to_record(user, form, customer)
        if not answers:
            form.add_error(
                None,
                _("You have not changed any answers")
                if reader
                else _("Enter at least one answer to record"),
            )
        elif step == "check":
            context |= {
                "changes": _summary(answers),
                "touchpoint": code_list("touchpoint").label(form.cleaned_data["touchpoint"]),
                "carried": [
                    (name, value)
                    for name, values in request.POST.lists()
                    if name not in {"csrfmiddlewaretoken", "step"}
                    for value in values
                ],
            }
            return render(request, "collection/check_profile.html", context)
        else:
            profile_answers_record(
                actor=user,
                customer=customer,
                answers=answers,
                touchpoint=form.cleaned_data["touchpoint"],
            )
            messages.success(
                request,
                ngettext("%(n)d answer saved.", "%(n)d answers saved.", len(answers))
                % {"n": len(answers)},
            )
            return redirect("customers:record", public_id=customer.public_id)
    return render(request, "collection/profile.html", context)


def _need_page(
    request: HttpRequest, public_id: str, form_class: Any, template: str, save: Any
) -> HttpResponse:
    user: Any = request.user
    require(request, can_record_needs(user.role))
    customer = selectors.customer_get(user=user, public_id=public_id)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, customer, form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:record", public_id=customer.public_id)
    context = {"customer": customer, "form": form}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def support_need(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a vulnerability or support need during a contact, with its review date."""

    def save(user: Any, customer: Customer, data: dict[str, Any]) -> None:
        confidentiality, teams = data["confidentiality"], data["teams"]
        if not can_see_vulnerabilities(user.role):
            # Advisors cannot restrict who sees what they record.
            confidentiality, teams = Confidentiality.STANDARD, []
        support_need_record(
            actor=user, customer=customer,
            **{**data, "confidentiality": confidentiality, "teams": teams},
        )  # fmt: skip

    return _need_page(request, public_id, SupportNeedForm, "collection/support_need.html", save)


@login_required
@require_http_methods(["GET", "POST"])
def communication_need(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a communication need: large print, an interpreter, call before visiting..."""

    def save(user: Any, customer: Customer, data: dict[str, Any]) -> None:
        communication_need_record(actor=user, customer=customer, **data)

    return _need_page(
        request, public_id, CommunicationNeedForm, "collection/communication_need.html", save
    )


@login_required
@require_http_methods(["GET", "POST"])
def adjustment(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a reasonable adjustment: requested, agreed, or refused with the reason."""

    def save(user: Any, customer: Customer, data: dict[str, Any]) -> None:
        adjustment_record(actor=user, customer=customer, **data)

    return _need_page(request, public_id, AdjustmentForm, "collection/adjustment.html", save)


@role_required(can_record_needs)
def ask_next(request: HttpRequest) -> HttpResponse:
    """Who to ask next: planned contacts soon, with the biggest gaps first."""
    user: Any = request.user
    return render(request, "collection/ask_next.html", {"rows": selectors_ask_next(user=user)})
