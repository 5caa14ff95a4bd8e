"""The REST API, for contractors' and partners' systems and the landlord's housing management
system: job packs, reports back from visits, referrals and their outcomes, and profile updates
pushed in.

Every call carries a bearer token scoped to one data-sharing agreement; nothing is returned
beyond the agreement's fields, each call is audited, and each token is rate-limited. The
OpenAPI description is at ``/api/openapi.json`` and the documentation at ``/api/docs``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle
from pydantic import Field, StringConstraints

from equal_outcomes.core.versions import StaleEdit
from equal_outcomes.core.views import job_packs_over_limit
from equal_outcomes.customers.models import Customer
from equal_outcomes.customers.selectors import customer_by_reference, property_by_reference
from equal_outcomes.customers.services import profile_answer_give
from equal_outcomes.customers.superseding import Outcome
from equal_outcomes.sharing import jobpacks, jobs
from equal_outcomes.sharing.models import ApiToken, JobSource, Referral, ShareField
from equal_outcomes.sharing.referrals import referral_make, referral_unmatched, referral_update
from equal_outcomes.sharing.scopes import Scope
from equal_outcomes.sharing.selectors import referral_of, referrals_sent
from equal_outcomes.sharing.services import NotShared, check, disclose, report_back
from equal_outcomes.sharing.tokens import token_for
from equal_outcomes.standards.codelists import characteristics, code_list


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for(token)
        if found is not None:
            found.last_used_at = timezone.now()
            found.save(update_fields=["last_used_at"])
        return found


api = NinjaAPI(
    title="Equal Outcomes API",
    version="1",
    description=(
        "For contractors', partners' and the landlord's own systems. Send the token you were "
        "given as `Authorization: Bearer TOKEN`. A token belongs to one data-sharing agreement "
        "and returns nothing beyond the agreement's fields."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(f"{settings.EQUAL_OUTCOMES_API_PER_MINUTE}/m")],
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class Problem(Schema):
    detail: str


# What any operation may answer besides success: no usable token, not allowed, not found,
# invalid input, too many requests. Each says why in ``detail``.
PROBLEMS = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem}


# Every text a caller sends: no NUL characters (PostgreSQL cannot store them), said in the
# description so that clients (and schemathesis) know.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


def _token(request: HttpRequest, scope: str) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise HttpError(403, f"this token may not {Scope(scope).label.lower()}")
    return token


def _actor(token: ApiToken) -> str:
    return f"api:{token.prefix}"


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    reasons = "; ".join(
        f"{'.'.join(str(p) for p in item.get('loc', [])[1:])}: {item.get('msg', '')}"
        for item in error.errors
    )
    return api.create_response(request, {"detail": reasons or "invalid request"}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "a valid, unexpired token is needed"}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _customer(customer_ref: str) -> Customer:
    customer = customer_by_reference(customer_ref)
    if customer is None:
        raise HttpError(404, "no such customer")
    return customer


class InstructionOut(Schema):
    code: str = Field(description="The instruction's code (the adjustment or need it comes from)")
    text: str
    alert_code: str = Field(
        description="UK Housing Data Standards PersonAlertTypeCode (the named code), or empty"
    )
    alert_type_code: str = Field(
        description="The same alert's code in UK Housing Data Standards 3.5 (10, 20-10 ...), "
        "or empty"
    )


class ResidentOut(Schema):
    name: str = Field(description="Empty unless the agreement shares names")
    phone: str = Field(description="Empty unless the agreement shares phone numbers")
    language: str = Field(description="Preferred language, if the agreement shares it")
    instructions: list[InstructionOut]


class JobPackOut(Schema):
    property_ref: str
    generated_at: dt.datetime
    partner: str
    fields: list[str]
    address: str
    postcode: str
    residents: list[ResidentOut]
    instructions: list[InstructionOut]


@api.get(
    "/job-packs/{property_ref}",
    response={200: JobPackOut, **PROBLEMS},
    url_name="job_pack",
    summary="The job pack for a visit to a property: what to do, never why",
)
def job_pack(request: HttpRequest, property_ref: str) -> Any:
    token = _token(request, Scope.JOB_PACKS)
    if job_packs_over_limit(request, f"api:{token.prefix}"):
        raise HttpError(429, "too many job packs read this hour: try again later")
    home = property_by_reference(property_ref)
    # The same answer for a home that does not exist and one with no open job for this token's
    # agreement: a job pack is not a way to look properties up.
    job = jobs.open_job(agreements=[token.agreement], home=home) if home is not None else None
    if home is None or job is None:
        raise HttpError(404, "no open job of yours at this property")
    agreement = token.agreement
    fields = [f for f in agreement.fields if f in ShareField.values]
    try:
        check(agreement, [ShareField.INSTRUCTIONS])
    except NotShared as refusal:
        raise HttpError(403, str(refusal)) from None
    pack, people = jobpacks.build(home, fields=fields, partner=agreement.partner)
    disclose(
        actor=_actor(token), agreement=agreement, customers=people, fields=fields, channel="api"
    )
    return Status(200, pack.as_json())


class JobIn(Schema):
    job_ref: Text = Field(min_length=1, max_length=40, description="The work order number")
    property_ref: Text = Field(min_length=1, max_length=32)
    contractor: Text = Field(
        min_length=1, max_length=200, description="The contractor agreement's number or partner"
    )
    work: Text = Field(default="", max_length=200, description="What the work is; no personal data")
    opened_on: dt.date | None = None
    due_on: dt.date | None = None
    closed_on: dt.date | None = Field(default=None, description="Closes the job from this day")


class JobOut(Schema):
    job_ref: str
    outcome: Literal["created", "updated", "unchanged"]


@api.post(
    "/jobs",
    response={200: JobOut, **PROBLEMS},
    url_name="jobs",
    summary="A job for a contractor from the housing or repairs system: created or updated",
)
def job_in(request: HttpRequest, job: JobIn) -> Any:
    token = _token(request, Scope.JOBS)
    cells = {
        name: value.isoformat() if isinstance(value, dt.date) else (value or "")
        for name, value in job.dict().items()
    }
    try:
        made, outcome = jobs.job_record(
            actor=_actor(token), cells=cells, source=JobSource.API, api_token=token
        )
    except ValidationError as error:
        problems = error.message_dict
        reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items())
        # A home or contractor that is not there is "not found"; anything else is invalid.
        status = 404 if set(problems) & {"property_ref", "contractor"} else 422
        raise HttpError(status, reasons) from None
    return Status(200, {"job_ref": made.job_ref, "outcome": outcome})


class ReportIn(Schema):
    property_ref: Text = Field(min_length=1, max_length=32)
    kind: Literal["need", "no_access"]
    visit_on: dt.date
    suggested_need: Text = Field(default="", max_length=32, description="A communication_need code")
    note: Text = Field(default="", max_length=1000)


class ReportOut(Schema):
    id: int
    status: str


@api.post(
    "/reports",
    response={201: ReportOut, **PROBLEMS},
    url_name="reports",
    summary="Report a need noticed, or no access, at a visit (staff confirm it)",
)
def reports(request: HttpRequest, report: ReportIn) -> Any:
    token = _token(request, Scope.REPORTS)
    home = property_by_reference(report.property_ref)
    if home is None or jobs.recent_job(agreements=[token.agreement], home=home) is None:
        raise HttpError(404, "no open or recent job of yours at this property")
    if report.visit_on > timezone.localdate():
        raise HttpError(422, "the visit date is in the future")
    if report.kind == "need" and not report.suggested_need:
        raise HttpError(422, "a need report names the need (suggested_need)")
    try:
        made = report_back(
            actor=_actor(token), api_token=token, agreement=token.agreement, home=home,
            kind=report.kind, visit_on=report.visit_on, suggested_need=report.suggested_need,
            note=report.note,
        )  # fmt: skip
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, {"id": made.pk, "status": made.status})


class ProfileUpdateIn(Schema):
    customer_ref: Text = Field(min_length=1, max_length=32)
    characteristic: Text = Field(min_length=1, max_length=40)
    state: Literal["answered", "prefer_not_to_say", "not_asked"] = "answered"
    codes: list[Text] = Field(default_factory=list, max_length=20)
    touchpoint: Text = Field(default="import", max_length=32)
    recorded_at: dt.datetime | None = None


class ProfileUpdateOut(Schema):
    customer_ref: str
    characteristic: str
    outcome: Literal["recorded", "confirmed", "older_than_held"]


@api.post(
    "/profile-updates",
    response={200: ProfileUpdateOut, **PROBLEMS},
    url_name="profile_updates",
    summary="Push one profile answer from the housing management system",
)
def profile_updates(request: HttpRequest, update: ProfileUpdateIn) -> Any:
    token = _token(request, Scope.PROFILE_UPDATES)
    customer = _customer(update.customer_ref)
    if update.characteristic not in {c.id for c in characteristics()}:
        raise HttpError(422, f"{update.characteristic!r} is not a profile characteristic")
    when = update.recorded_at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now():
        raise HttpError(422, "recorded_at is in the future")
    try:
        _, given = profile_answer_give(
            actor=_actor(token), customer=customer, characteristic=update.characteristic,
            state=update.state, codes=update.codes if update.state == "answered" else (),
            touchpoint=update.touchpoint, recorded_at=when,
        )  # fmt: skip
    except (ValidationError, ValueError, KeyError) as error:
        message = "; ".join(getattr(error, "messages", [])) or str(error)
        raise HttpError(422, message) from None
    outcome = {Outcome.SKIP: "older_than_held", Outcome.CONFIRM: "confirmed"}.get(given, "recorded")
    return Status(200, {"customer_ref": customer.landlord_ref,
                        "characteristic": update.characteristic, "outcome": outcome})  # fmt: skip


class ReferralOut(Schema):
    id: str
    referred_on: dt.date
    name: str
    phone: str
    support_asked_for: str
    consent: str
    status: str


def _referral_out(referral: Referral) -> dict[str, Any]:
    needs = code_list("support_need")
    return {
        "id": str(referral.public_id),
        "referred_on": referral.referred_on,
        "name": referral.customer.full_name,
        "phone": referral.customer.phone,
        "support_asked_for": needs.label(referral.need) if referral.need in needs else "",
        "consent": referral.consent,
        "status": referral.status,
    }


class ReferralUpdateIn(Schema):
    status: Literal["accepted", "declined", "completed"]
    outcome: Text = Field(default="", max_length=2000)


@api.get(
    "/referrals",
    response={200: list[ReferralOut], **PROBLEMS},
    url_name="referrals",
    summary="Referrals made to the token's partner, with the customer's consent",
)
def referrals(request: HttpRequest) -> Any:
    token = _token(request, Scope.REFERRALS)
    try:
        check(token.agreement, [ShareField.REFERRAL])
    except NotShared as refusal:
        raise HttpError(403, str(refusal)) from None
    found = referrals_sent(token.agreement)
    disclose(actor=_actor(token), agreement=token.agreement, customers=[r.customer for r in found],
             fields=[ShareField.REFERRAL], channel="api")  # fmt: skip
    return Status(200, [_referral_out(r) for r in found])


@api.post(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **PROBLEMS},
    url_name="referral",
    summary="Report what happened to a referral: accepted, declined or support given",
)
def referral_outcome(request: HttpRequest, referral_id: str, update: ReferralUpdateIn) -> Any:
    token = _token(request, Scope.REFERRALS)
    found = referral_of(token.agreement, referral_id)
    if found is None:
        raise HttpError(404, "no such referral")
    try:
        referral_update(
            actor=_actor(token), referral=found, status=update.status, outcome=update.outcome
        )
    except StaleEdit:
        raise HttpError(
            409, "the referral was changed by someone else: read it and try again"
        ) from None
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return Status(200, _referral_out(found))


class ReferralReceived(Schema):
    status: Literal["received"]


class ReferralIn(Schema):
    customer_ref: Text = Field(min_length=1, max_length=32, description="The landlord's reference")
    need: Text = Field(
        min_length=1,
        max_length=40,
        description="A support_need code",
        json_schema_extra={"enum": [code.code for code in code_list("support_need").codes]},
    )
    consent_on: dt.date = Field(description="When the customer agreed to the referral")
    referred_on: dt.date


@api.post(
    "/referrals",
    response={202: ReferralReceived, **PROBLEMS},
    url_name="referral_in",
    summary="Refer a customer to the landlord, with their consent",
)
def referral_in(request: HttpRequest, referral: ReferralIn) -> Any:
    """The answer holds nothing the partner did not send, and is the same whether or not the
    reference is one of the landlord's customers: a partner cannot use it to find out who is a
    tenant, or a tenant's name and phone. A referral for an unknown reference is recorded in the
    audit log for the landlord to follow up with the partner."""
    token = _token(request, Scope.REFERRALS)
    today = timezone.localdate()
    if referral.referred_on > today or referral.consent_on > today:
        raise HttpError(422, "a date is in the future")
    if referral.consent_on > referral.referred_on:
        raise HttpError(422, "consent must come before the referral")
    if referral.need not in code_list("support_need"):
        raise HttpError(422, f"unknown support need {referral.need!r}")
    customer = customer_by_reference(referral.customer_ref)
    if customer is None:
        referral_unmatched(actor=_actor(token), agreement=token.agreement)
    else:
        try:
            referral_make(
                actor=_actor(token), api_token=token, customer=customer, direction="in",
                agreement=token.agreement, need=referral.need, consent="given",
                consent_on=referral.consent_on, safeguarding_reason="",
                referred_on=referral.referred_on,
            )  # fmt: skip
        except (ValueError, NotShared) as error:
            raise HttpError(422, str(error)) from None
    return Status(202, {"status": "received"})
