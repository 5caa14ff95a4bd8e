"""The questionnaire customers answer themselves, in English or Welsh, one question a page.

It works without JavaScript, and nothing but the customer's own record is ever in reach: the
session holds either an invitation (from a link) or the signed-in tenant's own customer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.roles import Role, can_browse_customers
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.collection import delivery
from equal_outcomes.collection import questionnaire as service
from equal_outcomes.collection.forms import (
    PREFER_NOT_TO_SAY,
    LetterCodeForm,
    QuestionForm,
    SendQuestionnaireForm,
)
from equal_outcomes.collection.models import Invitation
from equal_outcomes.core.views import limit_sign_in
from equal_outcomes.customers import selectors
from equal_outcomes.customers.models import Customer
from equal_outcomes.standards.codelists import characteristics

SESSION_KEY = "eo_questionnaire_invitation"


def _respondent(request: HttpRequest) -> tuple[Customer, Invitation | None, Any]:
    """Whose questionnaire this is, the invitation used (if any), and the actor to audit."""
    invitation_id = request.session.get(SESSION_KEY)
    if invitation_id is not None:
        invitation = service.invitation_usable(invitation_id)
        if invitation is not None:
            return invitation.customer, invitation, f"self-service:invitation-{invitation.pk}"
        request.session.pop(SESSION_KEY, None)
    user: Any = request.user
    if user.is_authenticated and user.role == Role.TENANT:
        customer = selectors.customer_of_user(user)
        if customer is not None:
            return customer, None, user
    raise PermissionDenied


def start(request: HttpRequest, token: str) -> HttpResponse:
    """Opens the questionnaire from a link, then moves to a URL without the token."""
    invitation = service.invitation_open(token)
    if invitation is None:
        return render(request, "collection/link_expired.html", status=404)
    request.session.cycle_key()
    request.session[SESSION_KEY] = invitation.pk
    return redirect("collection:questionnaire")


def _answer_text(question: str, codes: list[str]) -> str:
    questions = characteristics()
    if codes == [PREFER_NOT_TO_SAY]:
        return questions.prefer_not_to_say.label.text()
    listing = questions.get(question).codes
    return ", ".join(listing.label(code) for code in codes)


@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    """Why we ask, what happens to the answers, and (signed in) what we already hold. Someone
    neither signed in nor holding a link is asked to sign in, not refused."""
    if not request.user.is_authenticated and request.session.get(SESSION_KEY) is None:
        return redirect_to_login(request.get_full_path())
    try:
        customer, invitation, actor = _respondent(request)
    except PermissionDenied:
        if getattr(request.user, "role", "") == Role.TENANT:  # an account not yet linked
            return render(request, "collection/not_linked.html")
        raise
    held = None
    if invitation is None:
        record = selectors.profile_rows(customer)
        Auditor.record(
            actor=actor,
            action=AuditAction.VIEW,
            target_type="customer",
            target_id=customer.public_id,
            section="profile",
            purpose="own record",
        )
        held = [row for row in record if row.state != "not_asked"]
    answers = service.draft_answers(actor=actor, customer=customer, invitation=invitation)
    first = service.questions_for(answers)[0]
    return render(
        request,
        "collection/questionnaire.html",
        {"customer": customer, "held": held, "first": first, "started": bool(answers)},
    )


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, question_id: str) -> HttpResponse:
    customer, invitation, actor = _respondent(request)
    answers = service.draft_answers(actor=actor, customer=customer, invitation=invitation)
    applicable = service.questions_for(answers)
    ids = [item.id for item in applicable]
    if question_id not in ids:
        raise Http404
    item = applicable[ids.index(question_id)]
    group = request.POST.get("group") or request.GET.get("group", "")
    initial: dict[str, Any] = {"answer": answers.get(question_id, [])}
    if not item.codes.multiple:
        held = (answers.get(question_id) or [""])[0]
        if item.codes.groups and held in item.codes:
            # The ethnic group pattern: the held answer's group on the first page, the answer
            # itself on its group's page.
            parent = item.codes.parent_of(held) or ""
            held = held if group else parent
        initial = {"answer": held}
    form = QuestionForm(
        item, request.POST if request.method == "POST" else None, initial=initial, group=group
    )
    returning = request.GET.get("return") == "check" or request.POST.get("return") == "check"
    if (
        request.method == "POST"
        and not request.POST.get("skip")
        and form.is_valid()
        and form.in_two_steps
        and not form.group
        and form.cleaned_data["answer"]
        and form.cleaned_data["answer"] != [PREFER_NOT_TO_SAY]
    ):
        # A group chosen: now the background within it, on a page of its own.
        target = reverse("collection:questionnaire_question", args=[question_id])
        query = {"group": form.cleaned_data["answer"][0]} | (
            {"return": "check"} if returning else {}
        )
        return redirect(f"{target}?{urlencode(query)}")
    if request.method == "POST" and (request.POST.get("skip") or form.is_valid()):
        chosen = [] if request.POST.get("skip") else form.cleaned_data["answer"]
        if chosen:
            answers[question_id] = chosen
        else:
            answers.pop(question_id, None)
        service.draft_save(customer=customer, invitation=invitation, answers=answers)
        if request.POST.get("return") == "check":
            return redirect("collection:questionnaire_check")
        following = [q.id for q in service.questions_for(answers)]
        position = following.index(question_id) + 1
        if position < len(following):
            return redirect("collection:questionnaire_question", question_id=following[position])
        return redirect("collection:questionnaire_check")
    return render(
        request,
        "collection/question.html",
        {
            "form": form,
            "item": item,
            "number": ids.index(question_id) + 1,
            "total": len(ids),
            "previous": ids[ids.index(question_id) - 1] if ids.index(question_id) else None,
            "returning": returning,
            "group": form.group,
        },
    )


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    customer, invitation, actor = _respondent(request)
    answers = service.draft_answers(actor=actor, customer=customer, invitation=invitation)
    if request.method == "POST":
        count = service.questionnaire_submit(actor=actor, customer=customer, invitation=invitation)
        request.session.pop(SESSION_KEY, None)
        return render(request, "collection/questionnaire_done.html", {"count": count})
    rows = [
        (item, _answer_text(item.id, answers[item.id]) if item.id in answers else None)
        for item in service.questions_for(answers)
    ]
    return render(request, "collection/questionnaire_check.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, public_id: str) -> HttpResponse:
    """Staff send the questionnaire to the customer by email or letter. The link or code goes
    to the customer only: staff never see it, so they cannot open the customer's answers."""
    user: Any = request.user
    if not can_browse_customers(user.role):
        raise PermissionDenied
    customer = selectors.customer_get(user=user, public_id=public_id)
    labels = {
        delivery.EMAIL: _("By email to %(to)s") % {"to": delivery.masked_email(customer.email)},
        delivery.LETTER: _("By post: a letter with a code to type in"),
    }
    choices = [(way, labels[way]) for way in delivery.channels_for(customer)]
    form = SendQuestionnaireForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        sent = delivery.questionnaire_send(
            actor=user, customer=customer, channel=form.cleaned_data["channel"],
            site=request.build_absolute_uri("/").rstrip("/"),
        )  # fmt: skip
        return render(request, "collection/invitation.html", {"customer": customer, "sent": sent})
    context = {
        "form": form, "title": _("Send the questionnaire"), "caption": customer.full_name,
        "back": reverse("customers:record", args=[customer.public_id]),
        "intro": _("The customer gets a link or code of their own. You will not see it, so only they can open their answers.")
        if choices else _("We hold neither an email address nor a home address for this customer: ask the questions with them instead."),
    }  # fmt: skip
    if not choices:
        return render(request, "collection/cannot_send.html", context)
    return render(request, "core/form.html", context, status=400 if form.errors else 200)


@limit_sign_in
@require_http_methods(["GET", "POST"])
def letter_code(request: HttpRequest) -> HttpResponse:
    """The code from a letter opens the questionnaire, as a link does."""
    form = LetterCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = service.invitation_open(service.normalised_code(form.cleaned_data["code"]))
        if invitation is not None:
            request.session.cycle_key()
            request.session[SESSION_KEY] = invitation.pk
            return redirect("collection:questionnaire")
        form.add_error("code", _("This code is not right, or it has expired or been used"))
    context = {
        "form": form, "title": _("Tell us about you"),
        "intro": _("Enter the code from the letter we sent you."),
    }  # fmt: skip
    return render(request, "core/form.html", context, status=400 if form.errors else 200)
