"""Subject access: everything held about one person, and nothing about anyone else.

Other people appear only as roles ("recorded by: housing officer"), never by name; household
members, their answers and their restricted details are left out entirely.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone

from equal_outcomes.accounts.models import User
from equal_outcomes.accounts.register import HOLDINGS
from equal_outcomes.accounts.roles import Role, can_see_restricted
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers import holdings
from equal_outcomes.customers.models import Customer, RestrictedDetails
from equal_outcomes.standards.codelists import CodeList, characteristics, code_list

FORMATS = ("json", "pdf")


def _when(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _by(user: User | None) -> str:
    """Who recorded something, as a role: staff names are not the requester's data."""
    if user is None:
        return "system"
    return str(Role(user.role).label) if user.role in Role.values else "staff"


def _label(listing: CodeList, code: str) -> str:
    return listing.label(code) if code in listing else code


def _labels(listing: CodeList, value: str) -> list[str]:
    return [_label(listing, code) for code in value.split("|") if code]


def _held(label: str, customer: Customer) -> Any:
    """The rows of a holding about ``customer``, as the data register says to find them."""
    return holdings.rows_of(apps.get_model(label), HOLDINGS[label], customer)


def _choice(model: str, field: str, value: str) -> str:
    choices = dict(apps.get_model(model)._meta.get_field(field).choices or ())
    return str(choices.get(value, value))


def _draft(answers: str, questions: dict[str, Any]) -> list[dict[str, Any]]:
    """Unfinished questionnaire answers, question by question, in words."""
    try:
        given = json.loads(answers) if answers else {}
    except ValueError:
        given = None
    if not isinstance(given, dict):  # not as the questionnaire saves it: shown as it is
        return [{"question": "", "answer": [answers]}]
    rows = []
    for code, value in given.items():
        item = questions.get(code)
        codes = value if isinstance(value, list) else [value]
        rows.append(
            {
                "question": item.codes.title.text() if item else code,
                "answer": [_label(item.codes, str(c)) if item else str(c) for c in codes],
            }
        )
    return rows


def _more_held(customer: Customer, questions: dict[str, Any]) -> dict[str, Any]:
    """The sections for records other apps keep about the person (invitations, unfinished
    answers, referrals, reports from visits, emergency access), read through the register."""
    return {
        "emergency_access": [
            {
                "when": _when(item.granted_at),
                "until": _when(item.expires_at),
                "by": _by(item.user),
                "reason": item.reason,
            }
            for item in _held("customers.EmergencyAccess", customer).select_related("user")
        ],
        "invitations": [
            {
                "sent_at": _when(item.created_at),
                "sent_by": _by(item.created_by),
                "expires_at": _when(item.expires_at),
                "completed_at": _when(item.completed_at),
            }
            for item in _held("collection.Invitation", customer).select_related("created_by")
        ],
        "unfinished_answers": [
            {"saved_at": _when(item.updated_at), "answers": _draft(item.answers, questions)}
            for item in _held("collection.Draft", customer)
        ],
        "referrals": [
            {
                "to_or_from": item.agreement.partner,
                "direction": _choice("sharing.Referral", "direction", item.direction),
                "need": item.need,
                "consent": _choice("sharing.Referral", "consent", item.consent),
                "safeguarding_reason": item.safeguarding_reason,
                "referred_on": _when(item.referred_on),
                "status": _choice("sharing.Referral", "status", item.status),
                "outcome": item.outcome,
                "closed_on": _when(item.closed_on),
            }
            for item in _held("sharing.Referral", customer).select_related("agreement")
        ],
        "reports_from_visits": [
            {
                "from": item.agreement.partner,
                "what_happened": _choice("sharing.FieldReport", "kind", item.kind),
                "visit_on": _when(item.visit_on),
                "note": item.note,
                "status": _choice("sharing.FieldReport", "status", item.status),
            }
            for item in _held("sharing.FieldReport", customer).select_related("agreement")
        ],
    }


def subject_access_data(customer: Customer) -> dict[str, Any]:
    """The export as plain data (what the JSON file holds and the PDF shows): a section for
    every holding in the data register (``HOLDINGS``)."""
    questions = {item.id: item for item in characteristics()}
    touchpoints = code_list("touchpoint")
    home = customer.household.property if customer.household else None
    profile = []
    for answer in customer.answers.select_related("recorded_by").order_by(
        "characteristic", "recorded_at"
    ):
        item = questions.get(answer.characteristic)
        profile.append(
            {
                "question": item.codes.title.text() if item else answer.characteristic,
                "state": answer.state,
                "answer": _labels(item.codes, answer.value) if item else [answer.value],
                "codes": [code for code in answer.value.split("|") if code],
                "source": _label(touchpoints, answer.touchpoint),
                "recorded_at": _when(answer.recorded_at),
                "recorded_by": _by(answer.recorded_by),
                "last_confirmed_at": _when(answer.last_confirmed_at),
                "expires_on": _when(answer.expires_on),
                "current": answer.is_current,
                "replaced_at": _when(answer.superseded_at),
            }
        )
    communication = getattr(customer, "communication", None)
    restricted = RestrictedDetails.objects.filter(customer=customer).first()
    return {
        "generated_at": timezone.now().isoformat(),
        "person": {
            "customer_reference": customer.landlord_ref,
            "customer_type": _label(code_list("customer_type"), customer.customer_type),
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "date_of_birth": _when(customer.date_of_birth),
            "email": customer.email,
            "phone": customer.phone,
            "address": str(home) if home else None,
            "objects_to_equality_monitoring": customer.objects_to_monitoring,
        },
        "profile": profile,
        "communication_preferences": None
        if communication is None
        else {
            "preferred_language": _label(code_list("language"), communication.preferred_language),
            "interpreter_needed": communication.interpreter_needed,
            "preferred_format": _label(
                code_list("communication_format"), communication.preferred_format
            ),
            "preferred_contact_method": _label(
                code_list("contact_method"), communication.preferred_contact_method
            ),
            "contact_times": communication.contact_times,
            "representative": communication.representative,
        },
        "communication_needs": [
            {
                "need": _label(code_list("communication_need"), need.need),
                "details": need.details,
                "source": _label(touchpoints, need.source),
                "recorded_at": _when(need.recorded_at),
                "recorded_by": _by(need.recorded_by),
                "ended": _when(need.end_date),
            }
            for need in customer.communication_needs.select_related("recorded_by")
        ],
        "support_needs": [
            {
                "need": _label(code_list("support_need"), need.need),
                "details": need.details,
                "start_date": _when(need.start_date),
                "review_date": _when(need.review_date),
                "end_date": _when(need.end_date),
                "source": _label(touchpoints, need.source),
                "recorded_at": _when(need.recorded_at),
                "recorded_by": _by(need.recorded_by),
            }
            for need in customer.support_needs.select_related("recorded_by")
        ],
        "reasonable_adjustments": [
            {
                "adjustment": _label(code_list("adjustment"), item.adjustment),
                "details": item.details,
                "status": item.status,
                "reason_for_refusal": item.refusal_reason,
                "decided_at": _when(item.decided_at),
                "review_date": _when(item.review_date),
            }
            for item in customer.adjustments.all()
        ],
        # Only the housing officer for the customer's area may read these, so the export says
        # that they are held and who adds them (their part: ``restricted_part_data``).
        "restricted_details": None
        if restricted is None
        else {"held": True, "added_by": str(Role.HOUSING_OFFICER.label)},
        "corrections": [
            {
                "detail": item.field,
                "previous_value": item.previous_value,
                "new_value": item.new_value,
                "reason": item.reason,
                "corrected_at": _when(item.corrected_at),
                "corrected_by": _by(item.corrected_by),
            }
            for item in customer.corrections.select_related("corrected_by")
        ],
        "disclosures": [
            {
                "when": _when(item.at),
                "to": item.agreement.partner,
                "purpose": item.agreement.purpose,
                "what": item.field_labels,
                "how": item.channel,
                "agreement_lawful_basis": item.agreement.lawful_basis,
            }
            for item in _held("sharing.Disclosure", customer)
            .select_related("agreement")
            .order_by("at")
        ],
        **_more_held(customer, questions),
    }


def restricted_part_data(customer: Customer) -> dict[str, Any]:
    """The part of a subject access export only the area's housing officer may produce: the
    safe address and gender history."""
    restricted = RestrictedDetails.objects.filter(customer=customer).first()
    return {
        "generated_at": timezone.now().isoformat(),
        "person": {"customer_reference": customer.landlord_ref},
        "restricted_details": None
        if restricted is None
        else {"safe_address": restricted.safe_address, "gender_history": restricted.gender_history},
    }


def produces_restricted_part(actor: Any) -> bool:
    """Whether ``actor`` produces the restricted part rather than the rest of the export."""
    return not isinstance(actor, str) and can_see_restricted(actor.role)


def subject_access_export(*, actor: Any, customer: Customer, file_format: str) -> bytes:
    """The export as a JSON or PDF file, audited. The equality lead (or the command) gets every
    section but the restricted details, which it says are held; the area's housing officer gets
    the restricted details alone, to add to it."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    restricted_part = produces_restricted_part(actor)
    data = restricted_part_data(customer) if restricted_part else subject_access_data(customer)
    Auditor.record(
        actor=actor,
        action=AuditAction.SUBJECT_ACCESS,
        target_type="customer",
        target_id=customer.public_id,
        section="restricted" if restricted_part else "all",
        purpose=f"subject access export ({file_format})",
    )
    if file_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False).encode()
    from weasyprint import HTML  # imported late: it loads system libraries

    template = (
        "customers/subject_access_restricted.html"
        if restricted_part
        else "customers/subject_access.html"
    )
    return bytes(HTML(string=render_to_string(template, {"data": data})).write_pdf())
