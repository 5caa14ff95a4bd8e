"""Sharing: profile exports for the equality lead, data-sharing agreements, contractor job
packs and what contractors report back, and the staff who confirm it."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.roles import (
    can_confirm_reports,
    can_export_profiles,
    can_manage_agreements,
    can_raise_jobs,
    can_receive_job_packs,
    can_see_vulnerabilities,
)
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.spreadsheets import FORMATS
from equal_outcomes.core.versions import StaleEdit, redraw
from equal_outcomes.core.views import bad_request, limit_exports, limit_job_packs
from equal_outcomes.customers.selectors import (
    customer_find,
    customer_find_by_reference,
    property_by_reference,
)
from equal_outcomes.sharing import jobpacks, jobs, selectors
from equal_outcomes.sharing.exports import customer_export
from equal_outcomes.sharing.forms import (
    AgreementForm,
    FindForm,
    JobForm,
    ReferralForm,
    ReferralUpdateForm,
    ReportBackForm,
)
from equal_outcomes.sharing.models import (
    Agreement,
    ShareField,
)
from equal_outcomes.sharing.referrals import referral_make, referral_update
from equal_outcomes.sharing.scopes import Scope
from equal_outcomes.sharing.services import (
    AGREEMENT_FIELDS,
    NotShared,
    agreement_revoke,
    agreement_save,
    check_for,
    disclose,
)
from equal_outcomes.sharing.services import report_back as report_record
from equal_outcomes.sharing.services import report_decide as report_decide_service
from equal_outcomes.sharing.tokens import token_create, token_revoke
from equal_outcomes.standards.codelists import code_list

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@role_required(can_export_profiles)
@limit_exports
@require_http_methods(["GET", "POST"])
def export_customers(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        file_format = request.POST.get("format", "")
        if file_format not in FORMATS:
            context = {"error": _("Choose CSV or XLSX")}
            return render(request, "sharing/export.html", context, status=400)
        response = HttpResponse(
            customer_export(actor=request.user, file_format=file_format),
            content_type=CONTENT_TYPES[file_format],
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.{file_format}"'
        return response
    return render(request, "sharing/export.html", {})


# Data-sharing agreements (the equality lead)


@role_required(can_manage_agreements)
def agreements(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = AgreementForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        agreement_save(actor=user, agreement=Agreement(created_by=user), values=form.cleaned_data)
        return redirect("sharing:agreements")
    context = {
        "agreements": selectors.agreements_listed(),
        "form": form,
    }
    return render(request, "sharing/agreements.html", context, status=400 if form.errors else 200)


@role_required(can_manage_agreements)
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    the_agreement = selectors.agreement_get(pk)
    made_secret = ""
    if request.method == "POST" and "make_token" in request.POST:
        try:
            _token, made_secret = token_create(
                actor=user, agreement=the_agreement,
                name=request.POST.get("token_name", "").strip()[:100] or the_agreement.partner,
                scopes=request.POST.getlist("scopes"),
                days=int(request.POST.get("days", "90") or 90),
            )  # fmt: skip
        except ValueError as error:
            return bad_request(request, str(error), reverse("sharing:agreement", args=[pk]))
    if request.method == "POST" and "revoke_token" in request.POST:
        token = get_object_or_404(the_agreement.tokens, prefix=request.POST["revoke_token"])
        token_revoke(actor=user, token=token)
        return redirect("sharing:agreement", pk)
    if request.method == "POST" and "revoke" in request.POST:
        agreement_revoke(actor=user, agreement=the_agreement)
        return redirect("sharing:agreements")
    initial = {name: getattr(the_agreement, name) for name in AGREEMENT_FIELDS}
    initial["shared_fields"] = the_agreement.fields
    initial["users"] = [str(u.pk) for u in the_agreement.users.all()]
    initial["version"] = the_agreement.version
    editing = request.method == "POST" and not made_secret
    form = AgreementForm(request.POST if editing else None, initial=initial)
    if editing and form.is_valid():
        try:
            agreement_save(actor=user, agreement=the_agreement, values=form.cleaned_data,
                           version=form.cleaned_data["version"])  # fmt: skip
        except StaleEdit as error:
            redraw(form, error)
        else:
            return redirect("sharing:agreements")
    context = {
        "form": form,
        "agreement": the_agreement,
        "disclosures": the_agreement.disclosures.select_related("disclosed_to")[:50],
        "tokens": the_agreement.tokens.all(),
        "scopes": Scope.choices,
        "made_secret": made_secret,
    }
    return render(request, "sharing/agreement.html", context, status=400 if form.errors else 200)


# Job packs and reports back (contractors and partners)


@role_required(can_receive_job_packs)
def job_packs(request: AuthenticatedRequest) -> HttpResponse:
    """A contractor's open jobs, each with its job pack; or a pack found by the property
    reference on the work order (only for a home where they have an open job)."""
    user = request.user
    form = FindForm(request.POST or request.GET or None)
    listed: list[Any] = list(jobs.open_jobs_for(user))
    if form.is_bound and form.is_valid():
        listed = jobs.open_jobs_matching(user, form.cleaned_data["query"])
        homes = {job.property.property_ref for job in listed}
        if len(homes) == 1:
            return redirect("sharing:job_pack", homes.pop())
        if not listed:
            # The same words whether the home exists or not: only open jobs are found.
            form.add_error("query", _("You have no open job at a home that matches"))
    context = {"form": form, "jobs": listed, "searched": form.is_bound}
    return render(request, "sharing/job_packs.html", context, status=400 if form.errors else 200)


def _job(user: Any, property_ref: str, *, recent: bool = False) -> Any:
    """The user's open job at the home (or, with ``recent``, one closed in the last 30 days),
    else 404: the same answer as for a home that does not exist."""
    home = property_by_reference(property_ref)
    agreements = selectors.agreements_of(user)
    find = jobs.recent_job if recent else jobs.open_job
    job = find(agreements=agreements, home=home) if home is not None else None
    if job is None:
        raise Http404
    return job


@role_required(can_receive_job_packs)
@limit_job_packs
def job_pack(request: AuthenticatedRequest, property_ref: str) -> HttpResponse:
    user = request.user
    job = _job(user, property_ref)
    home, agreement = job.property, job.agreement
    try:
        check_for(user, agreement, [ShareField.ADDRESS, ShareField.INSTRUCTIONS])
    except NotShared as refusal:
        return render(request, "sharing/not_shared.html", {"reason": str(refusal)}, status=403)
    fields = [f for f in agreement.fields if f in ShareField.values]
    pack, people = jobpacks.build(
        home, fields=fields, partner=agreement.partner, language=get_language() or "en"
    )
    pdf = request.GET.get("format") == "pdf"
    disclose(
        actor=user, agreement=agreement, customers=people, fields=fields,
        channel="job_pack_pdf" if pdf else "job_pack",
    )  # fmt: skip
    context = {"pack": pack, "agreement": agreement, "job": job}
    if pdf:
        from weasyprint import HTML  # imported late: it loads system libraries

        document = HTML(string=render_to_string("sharing/job_pack_print.html", context, request))
        response = HttpResponse(document.write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="job-pack-{home.property_ref}.pdf"'
        return response
    return render(request, "sharing/job_pack.html", context)


@role_required(can_receive_job_packs)
def report_back(request: AuthenticatedRequest, property_ref: str) -> HttpResponse:
    user = request.user
    job = _job(user, property_ref, recent=True)
    home, agreement = job.property, job.agreement
    try:
        check_for(user, agreement, [ShareField.ADDRESS])
    except NotShared as refusal:
        return render(request, "sharing/not_shared.html", {"reason": str(refusal)}, status=403)
    form = ReportBackForm(request.POST or None, initial={"visit_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        report_record(actor=user, agreement=agreement, home=home, **form.cleaned_data)
        return render(request, "sharing/reported.html", {"home": home})
    context = {
        "form": form,
        "title": _("Report back from a visit"),
        "caption": home.property_ref,
        "intro": _("Staff will check what you report before anything is recorded."),
        "back": reverse("sharing:job_pack", args=[home.property_ref]),
    }
    return render(request, "core/form.html", context, status=400 if form.errors else 200)


# Jobs raised by staff


@role_required(can_raise_jobs)
def jobs_page(request: HttpRequest) -> HttpResponse:
    """Open jobs in the user's scope, and a form to raise one."""
    user = request.user
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, _outcome = jobs.job_record(actor=user, cells=form.cells())
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("Job %(ref)s raised.") % {"ref": job.job_ref})
            return redirect("sharing:jobs")
    context = {"form": form, "jobs": jobs.jobs_in_scope(user)[:200]}
    return render(request, "sharing/jobs.html", context, status=400 if form.errors else 200)


@role_required(can_raise_jobs)
@require_POST
def job_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    job = get_object_or_404(jobs.jobs_in_scope(user), public_id=public_id)
    jobs.job_close(actor=user, job=job)
    messages.success(request, _("Job %(ref)s closed.") % {"ref": job.job_ref})
    return redirect("sharing:jobs")


# Reports waiting for staff


@role_required(can_confirm_reports)
def reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = selectors.visit_reports(user=user)
    return render(
        request, "sharing/reports.html", {"pending": found.pending, "flagged": found.flagged}
    )


@role_required(can_confirm_reports)
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = get_object_or_404(selectors.reports_visible_to(user), pk=pk)
    customer = None
    if chosen := request.POST.get("customer", ""):
        customer = customer_find(user=user, public_id=chosen)
    try:
        report_decide_service(
            actor=user, report=report, confirm=request.POST.get("decision") == "confirm",
            customer=customer,
        )  # fmt: skip
    except ValueError as error:
        return bad_request(request, str(error), reverse("sharing:reports"))
    return redirect("sharing:reports")


# Referrals (staff who may see support needs)


@role_required(can_see_vulnerabilities)
def referrals(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    shown = selectors.referrals_list(user=user)
    needs = code_list("support_need")
    rows = [
        {"referral": r, "need": needs.label(r.need) if r.need in needs else r.need} for r in shown
    ]
    return render(request, "sharing/referrals.html", {"rows": rows})


def _partner_agreements() -> list[tuple[str, str]]:
    return [(str(a.pk), a.partner) for a in selectors.referral_agreements()]


@role_required(can_see_vulnerabilities)
def referral_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ReferralForm(
        request.POST or None, agreements=_partner_agreements(),
        initial={"referred_on": timezone.localdate(), "direction": "out"},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = customer_find_by_reference(user=user, landlord_ref=data["customer_ref"])
        if customer is None:
            form.add_error(
                "customer_ref", _("There is no customer with this reference that you can see")
            )
        else:
            try:
                made = referral_make(
                    actor=user, customer=customer, direction=data["direction"],
                    agreement=selectors.referral_agreement(data["agreement"]), need=data["need"],
                    consent=data["consent"], consent_on=data["consent_on"],
                    safeguarding_reason=data["safeguarding_reason"], referred_on=data["referred_on"],
                )  # fmt: skip
            except (ValueError, NotShared) as error:
                form.add_error(None, str(error))
            else:
                return redirect("sharing:referral", made.public_id)
    context = {"form": form, "title": _("Record a referral"), "back": reverse("sharing:referrals")}
    return render(request, "core/form.html", context, status=400 if form.errors else 200)


@role_required(can_see_vulnerabilities)
def referral(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    the_referral = get_object_or_404(selectors.referrals_visible_to(user), public_id=public_id)
    form = ReferralUpdateForm(
        request.POST or None,
        initial={
            "status": the_referral.status,
            "outcome": the_referral.outcome,
            "version": the_referral.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral_update(actor=user, referral=the_referral, **form.cleaned_data)
        except StaleEdit as error:
            redraw(form, error)
        except ValueError as error:
            form.add_error("status", str(error))
        else:
            return redirect("sharing:referrals")
    needs = code_list("support_need")
    context = {
        "form": form,
        "title": _("Referral to or from %(partner)s") % {"partner": the_referral.agreement.partner},
        "caption": f"{the_referral.customer.full_name} · {the_referral.customer.landlord_ref}",
        "intro": _("Support asked for: %(need)s. Referred on %(when)s.")
        % {"need": needs.label(the_referral.need) if the_referral.need in needs else the_referral.need,
           "when": the_referral.referred_on.isoformat()},
        "back": reverse("sharing:referrals"),
    }  # fmt: skip
    Auditor.record(actor=user, action=AuditAction.VIEW, target_type="referral", target_id=public_id)
    return render(request, "core/form.html", context, status=400 if form.errors else 200)
