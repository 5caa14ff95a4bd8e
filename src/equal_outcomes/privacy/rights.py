"""Services for people's rights over their data and for access in an emergency.

Rectification keeps history, an objection to monitoring leaves the person out of every
analysis, erasure removes what is held and anonymises the rest, and emergency ("break the
glass") access is reasoned, time-limited and audited. Each service checks the actor's role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.accounts.roles import (
    Role,
    can_break_glass,
    can_handle_rights_requests,
    can_rectify,
    can_see_restricted,
)
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.versions import versioned_save
from equal_outcomes.customers import holdings
from equal_outcomes.customers.models import (
    Correction,
    Customer,
    EmergencyAccess,
    RestrictedDetails,
)
from equal_outcomes.customers.selectors import customers_in_own_scope

CORRECTABLE_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone")
MINIMUM_REASON = 10


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _reason(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if len(reason) < MINIMUM_REASON:
        raise ValidationError(
            {field: _("Give the reason in at least %(n)d characters") % {"n": MINIMUM_REASON}}
        )
    return reason


@transaction.atomic
def emergency_access_grant(*, actor: Any, landlord_ref: str, reason: str) -> EmergencyAccess:
    """Opens one record outside the actor's areas until the grant expires."""

    _require(can_break_glass(actor.role))
    reason = _reason(reason)
    customer = Customer.objects.filter(
        landlord_ref__iexact=landlord_ref.strip(), erased_at__isnull=True
    ).first()
    if customer is None:
        raise ValidationError({"landlord_ref": _("There is no customer with that reference")})
    if customers_in_own_scope(actor).filter(pk=customer.pk).exists():
        raise ValidationError(
            {"landlord_ref": _("This customer is in your areas: open their record from search")}
        )
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        user=actor,
        customer=customer,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=settings.EQUAL_OUTCOMES_EMERGENCY_MINUTES),
    )
    Auditor.record(
        actor=actor,
        action=AuditAction.EMERGENCY_ACCESS,
        target_type="customer",
        target_id=customer.public_id,
        purpose=f"grant {grant.pk} until {grant.expires_at:%Y-%m-%d %H:%M}",
    )
    return grant


def _field_text(customer: Customer, field: str) -> str:
    value = getattr(customer, field)
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


@transaction.atomic
def customer_correct(
    *,
    actor: Any,
    customer: Customer,
    changes: dict[str, Any],
    reason: str,
    seen_version: int | None = None,
) -> list[Correction]:
    """Rectification: changes identity or contact details, keeping each old value."""
    _require(can_rectify(actor.role))
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(f"these details cannot be corrected here: {sorted(unknown)}")
    reason = _reason(reason)
    corrections = []
    now = timezone.now()
    for field, value in changes.items():
        before = _field_text(customer, field)
        setattr(customer, field, value)
        after = _field_text(customer, field)
        if before != after:
            corrections.append(
                Correction(
                    customer=customer,
                    field=field,
                    previous_value=before,
                    new_value=after,
                    reason=reason[:200],
                    corrected_at=now,
                    corrected_by=actor,
                )
            )
    if not corrections:
        return []
    customer.full_clean()
    versioned_save(customer, seen_version)  # StaleEdit if someone saved it meanwhile
    Correction.objects.bulk_create(corrections)
    Auditor.record(
        actor=actor,
        action=AuditAction.CORRECT,
        target_type="customer",
        target_id=customer.public_id,
        section=",".join(c.field for c in corrections),
    )
    return corrections


@transaction.atomic
def objection_record(*, actor: Any, customer: Customer, objects: bool) -> None:
    """Records (or withdraws) the person's objection to equality monitoring."""
    _require(can_rectify(actor.role))
    if customer.objects_to_monitoring == objects:
        return
    customer.objects_to_monitoring = objects
    customer.save(update_fields=["objects_to_monitoring", "updated_at"])
    Auditor.record(
        actor=actor,
        action=AuditAction.OBJECTION if objects else AuditAction.OBJECTION_WITHDRAWN,
        target_type="customer",
        target_id=customer.public_id,
    )


@transaction.atomic
def restricted_details_record(
    *,
    actor: Any,
    customer: Customer,
    safe_address: str,
    gender_history: str,
    version: int | None = None,
) -> RestrictedDetails:
    _require(can_see_restricted(actor.role))
    details = RestrictedDetails.objects.filter(customer=customer).first() or RestrictedDetails(
        customer=customer
    )
    details.safe_address = safe_address.strip()
    details.gender_history = gender_history.strip()
    details.recorded_at = timezone.now()
    details.recorded_by = actor
    versioned_save(details, version if details.pk else None)
    Auditor.record(
        actor=actor,
        action=AuditAction.CHANGE,
        target_type="customer",
        target_id=customer.public_id,
        section="restricted",
    )
    return details


def _close_account(user: Any, customer: Customer) -> None:
    """A tenant's own account goes with their data: no name, no email, no way to sign in.
    (Staff who are also customers keep their staff account.)"""
    if user.role != Role.TENANT:
        return
    user.username = f"erased-{customer.public_id.hex[:16]}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


@transaction.atomic
def customer_erase(*, actor: Any, customer: Customer, reason: str) -> None:
    """Erasure: ends everything the data register says is held about the person (deleting
    rows, or emptying the personal fields of rows kept for the record), closes their own sign-in
    account, and anonymises their row, which stays (unlinked) so historic counts still add up."""
    _require(can_handle_rights_requests(actor.role))
    reason = _reason(reason)
    for label, model, holding in holdings.held_models():
        if label != holdings.PERSON:
            holdings.end(label, holdings.rows_of(model, holding, customer))
    if customer.user is not None:
        _close_account(customer.user, customer)
    customer.landlord_ref = f"erased-{customer.public_id.hex[:16]}"
    customer.first_name = customer.last_name = customer.email = customer.phone = ""
    customer.date_of_birth = None
    customer.household = None
    customer.user = None
    customer.objects_to_monitoring = True
    customer.erased_at = timezone.now()
    customer.save()
    Auditor.record(
        actor=actor,
        action=AuditAction.ERASE,
        target_type="customer",
        target_id=customer.public_id,
        purpose=reason[:200],
    )
