"""Writes to the customer record. Each validates, writes in a transaction and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers.models import (
    AdjustmentStatus,
    AnswerState,
    CommunicationNeed,
    Confidentiality,
    Customer,
    ProfileAnswer,
    ReasonableAdjustment,
    SupportNeed,
)
from equal_outcomes.customers.superseding import Held, Outcome, decide
from equal_outcomes.standards.codelists import Characteristic, characteristics, code_list

MULTIPLE_SEPARATOR = "|"


def _check_code(list_id: str, value: str, field: str) -> None:
    if value and value not in code_list(list_id):
        raise ValidationError({field: f"{value!r} is not a code in {list_id}"})


@transaction.atomic
def customer_create(
    *,
    actor: Any,
    landlord_ref: str,
    customer_type: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None = None,
    household: Any = None,
    email: str = "",
    phone: str = "",
) -> Customer:
    """Create a customer after checking the type against the customer_type code list."""
    codes = code_list("customer_type")
    if customer_type not in codes or codes.get(customer_type).group:
        raise ValidationError({"customer_type": f"{customer_type!r} is not a customer type"})
    customer = Customer(
        landlord_ref=landlord_ref,
        customer_type=customer_type,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        household=household,
        email=email,
        phone=phone,
    )
    customer.full_clean()
    customer.save()
    Auditor.record(
        actor=actor, action=AuditAction.CREATE, target_type="customer", target_id=customer.public_id
    )
    return customer


def answer_value(characteristic: Characteristic, codes: Iterable[str]) -> str:
    """The stored form of one or more codes for ``characteristic``, validated."""
    chosen = sorted(set(codes))
    listing = characteristic.codes
    if not chosen:
        raise ValidationError({characteristic.id: "an answer needs at least one code"})
    if len(chosen) > 1 and not listing.multiple:
        raise ValidationError({characteristic.id: "this question takes one answer"})
    for code in chosen:
        if code not in listing or listing.get(code).group:
            raise ValidationError(
                {characteristic.id: f"{code!r} is not an answer to this question"}
            )
    exclusive = [code for code in chosen if listing.get(code).exclusive]
    if exclusive and len(chosen) > 1:
        raise ValidationError({characteristic.id: "'none of the above' cannot be combined"})
    return MULTIPLE_SEPARATOR.join(chosen)


def answer_expiry(characteristic: Characteristic, on: dt.date) -> dt.date | None:
    """When an answer to a time-limited question (pregnancy and maternity) stops applying.

    Every answer to such a question, whatever it is, expires after the shortest period any of
    its codes allows, so the stored date (which is not encrypted, so that expiry can be
    queried) reveals nothing about the encrypted answer.
    """
    limits = [
        code.expires_after_days for code in characteristic.codes.codes if code.expires_after_days
    ]
    return on + dt.timedelta(days=min(limits)) if limits else None


def profile_answer_record(
    *,
    actor: Any,
    customer: Customer,
    characteristic: str,
    state: str,
    codes: Iterable[str] = (),
    touchpoint: str,
    recorded_at: dt.datetime | None = None,
) -> ProfileAnswer:
    """Record an answer, superseding (and keeping) the current one.

    Re-recording the same answer only confirms it: the existing row's ``last_confirmed_at`` moves
    on and no new history row is added. An answer given before the one held is not recorded.
    """
    return profile_answer_give(
        actor=actor, customer=customer, characteristic=characteristic, state=state,
        codes=codes, touchpoint=touchpoint, recorded_at=recorded_at,
    )[0]  # fmt: skip


@transaction.atomic
def profile_answer_give(
    *,
    actor: Any,
    customer: Customer,
    characteristic: str,
    state: str,
    codes: Iterable[str] = (),
    touchpoint: str,
    recorded_at: dt.datetime | None = None,
) -> tuple[ProfileAnswer, Outcome]:
    """``profile_answer_record``, also saying what the answer did (``superseding.decide``)."""
    definition = characteristics().get(characteristic)
    if state not in AnswerState.values:
        raise ValidationError({"state": f"{state!r} is not an answer state"})
    _check_code("touchpoint", touchpoint, "touchpoint")
    value = answer_value(definition, codes) if state == AnswerState.ANSWERED else ""
    if state != AnswerState.ANSWERED and list(codes):
        raise ValidationError({characteristic: "only an answered question has a value"})
    given_at = recorded_at or timezone.now()
    recorder = None if isinstance(actor, str) else actor
    current = (
        ProfileAnswer.objects.select_for_update()
        .current()
        .filter(customer=customer, characteristic=characteristic)
        .first()
    )
    held = None if current is None else Held(current.state, current.value, current.recorded_at)
    outcome = decide(held, state=state, value=value, given_at=given_at)
    if current is not None and outcome in (Outcome.SKIP, Outcome.CONFIRM):
        if outcome == Outcome.CONFIRM and given_at > current.last_confirmed_at:
            current.last_confirmed_at = given_at
            current.save(update_fields=["last_confirmed_at"])
            Auditor.record(actor=actor, action=AuditAction.CONFIRM, target_type="customer",
                           target_id=customer.public_id, section=f"profile.{characteristic}")  # fmt: skip
        return current, outcome
    if current is not None:
        current.is_current = False
        current.superseded_at = given_at
        current.save(update_fields=["is_current", "superseded_at"])
    answer = ProfileAnswer.objects.create(
        customer=customer,
        characteristic=characteristic,
        state=state,
        value=value,
        touchpoint=touchpoint,
        recorded_at=given_at,
        recorded_by=recorder,
        last_confirmed_at=given_at,
        expires_on=answer_expiry(definition, given_at.date()),
    )
    Auditor.record(
        actor=actor,
        action=AuditAction.CHANGE,
        target_type="customer",
        target_id=customer.public_id,
        section=f"profile.{characteristic}",
    )
    return answer, outcome


@transaction.atomic
def profile_answers_record(
    *,
    actor: Any,
    customer: Customer,
    answers: dict[str, tuple[str, list[str]]],
    touchpoint: str,
) -> None:
    """Record several answers given at one contact ({question: (state, codes)}), all or none.

    Each is recorded by ``profile_answer_record``: an answer the same as the one held confirms
    it, another supersedes it, so the caller need not (and, for staff who may not read the
    profile, must not) know what is held.
    """
    for question, (state, codes) in answers.items():
        profile_answer_record(
            actor=actor,
            customer=customer,
            characteristic=question,
            state=state,
            codes=codes,
            touchpoint=touchpoint,
        )


def _audit_change(actor: Any, customer: Customer, section: str) -> None:
    Auditor.record(
        actor=actor,
        action=AuditAction.CHANGE,
        target_type="customer",
        target_id=customer.public_id,
        section=section,
    )


@transaction.atomic
def support_need_record(
    *,
    actor: Any,
    customer: Customer,
    need: str,
    details: str,
    start_date: dt.date,
    review_date: dt.date,
    customer_told: bool,
    confidentiality: str,
    source: str,
    teams: Iterable[Any] = (),
) -> SupportNeed:
    """A vulnerability or support need, with the date by which it must be reviewed; a need
    restricted to named teams names at least one."""
    _check_code("support_need", need, "need")
    _check_code("touchpoint", source, "source")
    if review_date < start_date:
        raise ValidationError({"review_date": "the review date must be on or after the start date"})
    item = SupportNeed(
        customer=customer,
        need=need,
        details=details.strip(),
        start_date=start_date,
        review_date=review_date,
        customer_told=customer_told,
        confidentiality=confidentiality,
        source=source,
        recorded_at=timezone.now(),
        recorded_by=None if isinstance(actor, str) else actor,
    )
    teams = list(teams)
    if confidentiality == Confidentiality.RESTRICTED and not teams:
        raise ValidationError({"teams": "name the teams who may see a restricted need"})
    item.full_clean()
    item.save()
    if confidentiality == Confidentiality.RESTRICTED:
        item.teams.set(teams)
    _audit_change(actor, customer, "support_needs")
    return item


@transaction.atomic
def communication_need_record(
    *, actor: Any, customer: Customer, need: str, details: str, source: str
) -> CommunicationNeed:
    """A need that changes how the landlord communicates: large print, call ahead, BSL..."""
    _check_code("communication_need", need, "need")
    _check_code("touchpoint", source, "source")
    item = CommunicationNeed.objects.create(
        customer=customer,
        need=need,
        details=details.strip(),
        source=source,
        recorded_at=timezone.now(),
        recorded_by=None if isinstance(actor, str) else actor,
    )
    _audit_change(actor, customer, "communication_needs")
    return item


@transaction.atomic
def adjustment_record(
    *,
    actor: Any,
    customer: Customer,
    adjustment: str,
    details: str,
    status: str,
    refusal_reason: str,
    review_date: dt.date | None,
    source: str,
) -> ReasonableAdjustment:
    """A reasonable adjustment: what the landlord will do differently (never why)."""
    _check_code("adjustment", adjustment, "adjustment")
    _check_code("touchpoint", source, "source")
    now = timezone.now()
    item = ReasonableAdjustment(
        customer=customer,
        adjustment=adjustment,
        details=details.strip(),
        status=status,
        refusal_reason=refusal_reason.strip() if status == AdjustmentStatus.REFUSED else "",
        decided_at=now if status != AdjustmentStatus.REQUESTED else None,
        review_date=review_date,
        source=source,
        recorded_at=now,
        recorded_by=None if isinstance(actor, str) else actor,
    )
    item.full_clean()
    item.save()
    _audit_change(actor, customer, "adjustments")
    return item
