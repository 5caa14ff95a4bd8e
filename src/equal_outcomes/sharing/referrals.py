"""Referrals for support, to and from partners: consent before anything leaves, the outcome
tracked, and the referral indicators fed from them at each snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.versions import versioned_save
from equal_outcomes.customers.models import Customer
from equal_outcomes.sharing.models import (
    Agreement,
    ApiToken,
    Consent,
    Direction,
    Referral,
    ReferralStatus,
    ShareField,
)
from equal_outcomes.sharing.services import NotShared, check, disclose
from equal_outcomes.standards.codelists import code_list

CLOSED = {ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}


@transaction.atomic
def referral_make(
    *,
    actor: Any,
    customer: Customer,
    direction: str,
    agreement: Agreement,
    need: str,
    consent: str,
    consent_on: dt.date | None,
    safeguarding_reason: str,
    referred_on: dt.date,
    api_token: ApiToken | None = None,
) -> Referral:
    """Records a referral. One to a partner needs the customer's consent (or a safeguarding
    reason) and an active agreement that covers referrals; it is logged as a disclosure."""
    if direction not in Direction.values:
        raise ValueError(f"unknown direction {direction!r}")
    if need not in code_list("support_need"):
        raise ValueError(f"unknown support need {need!r}")
    if consent == Consent.GIVEN and consent_on is None:
        raise ValueError("give the date the customer agreed")
    if consent == Consent.SAFEGUARDING and not safeguarding_reason.strip():
        raise ValueError("give the safeguarding reason for referring without consent")
    if consent not in Consent.values:
        raise ValueError(f"unknown consent {consent!r}")
    if direction == Direction.OUT:
        check(agreement, [ShareField.REFERRAL])
    referral = Referral.objects.create(
        customer=customer, direction=direction, agreement=agreement, need=need, consent=consent,
        consent_on=consent_on, safeguarding_reason=safeguarding_reason.strip(),
        referred_on=referred_on, created_by=None if isinstance(actor, str) else actor,
        api_token=api_token,
    )  # fmt: skip
    if direction == Direction.OUT:
        disclose(actor=actor, agreement=agreement, customers=[customer],
                 fields=[ShareField.REFERRAL], channel="referral")  # fmt: skip
    Auditor.record(
        actor=actor, action=AuditAction.CREATE, target_type="referral", target_id=referral.public_id,
        purpose=f"{direction} {agreement.partner}"[:200],
    )  # fmt: skip
    return referral


def referral_unmatched(*, actor: Any, agreement: Agreement) -> None:
    """A partner referred someone whose reference matches no customer: recorded (without what
    was sent) so the landlord can ask the partner, who is told nothing different."""
    Auditor.record(
        actor=actor, action=AuditAction.REFUSED, target_type="referral", target_id="unmatched",
        purpose=f"in {agreement.partner}: no customer has the reference given"[:200],
    )  # fmt: skip


@transaction.atomic
def referral_update(
    *,
    actor: Any,
    referral: Referral,
    status: str,
    outcome: str,
    on: dt.date | None = None,
    version: int | None = None,
) -> Referral:  # actor: a user, or "api:<token>" for a partner's system
    """Moves a referral on (accepted, declined, support given, withdrawn), with its outcome."""
    if status not in ReferralStatus.values:
        raise ValueError(f"unknown status {status!r}")
    if referral.status in CLOSED and status != referral.status:
        raise ValueError("this referral is closed")
    referral.status = status
    referral.outcome = outcome.strip()
    referral.closed_on = (on or timezone.localdate()) if status in CLOSED else None
    versioned_save(referral, version, ["status", "outcome", "closed_on", "updated_at"])
    Auditor.record(
        actor=actor, action=AuditAction.UPDATE, target_type="referral", target_id=referral.public_id,
        purpose=status,
    )  # fmt: skip
    return referral


def load_referral_events(*, actor: Any) -> int:
    """Puts the referrals recorded here into the events store as ``referral`` events (replacing
    any imported ones: this is their record), keyed like the snapshot; objectors left out.
    Returns how many; does nothing when no referrals are recorded."""
    from equal_outcomes.insight.events import replace_events
    from equal_outcomes.insight.snapshot import person_key, pseudonymisation_key

    referrals = list(
        Referral.objects.filter(
            customer__objects_to_monitoring=False, customer__erased_at__isnull=True
        )
        .select_related("customer")
        .order_by("referred_on")
    )
    if not referrals:
        return 0
    key = pseudonymisation_key()
    accepted = [r.accepted for r in referrals]
    loaded = pa.table(
        {
            "person_key": [person_key(r.customer.public_id, key) for r in referrals],
            "event_type": ["referral"] * len(referrals),
            "event_date": pa.array([r.referred_on for r in referrals], pa.date32()),
            "accepted": [None if a is None else ("1" if a else "0") for a in accepted],
            "direction": [r.direction for r in referrals],
        }
    )
    with duckdb.connect() as con:
        con.register("arrow_loaded", loaded)
        con.execute("CREATE TABLE loaded AS SELECT * FROM arrow_loaded ORDER BY person_key")
        replace_events(con, {"referral": len(referrals)})
    Auditor.record(
        actor=actor, action=AuditAction.IMPORT, target_type="events", target_id="referrals",
        purpose=f"{len(referrals)} referral events from the referral record",
    )  # fmt: skip
    return len(referrals)


__all__ = ["NotShared", "load_referral_events", "referral_make", "referral_update"]
