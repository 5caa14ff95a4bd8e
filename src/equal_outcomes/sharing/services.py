"""Sharing under agreements: the check before anything leaves, and the disclosure log after.

``agreement_for`` finds the active agreement through which a partner's user may receive the
fields asked for, or refuses (and the refusal is recorded in the audit log). ``disclose``
records, for each person, what left, to whom, how and under which agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from equal_outcomes.accounts.models import User
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor, record_many
from equal_outcomes.core.versions import versioned_save
from equal_outcomes.customers.models import Customer, SupportNeed
from equal_outcomes.customers.services import communication_need_record
from equal_outcomes.sharing.models import (
    Agreement,
    ApiToken,
    Disclosure,
    FieldReport,
    ReportKind,
    ReportStatus,
    ShareField,
)
from equal_outcomes.standards.codelists import code_list


class NotShared(PermissionDenied):
    """Nothing may leave: no active agreement covers it. The message says why."""


def _refuse(actor: Any, reason: str, wanted: Iterable[str]) -> NotShared:
    Auditor.record(
        actor=actor,
        action=AuditAction.SHARE_REFUSED,
        target_type="agreement",
        target_id=getattr(actor, "pk", actor),
        purpose=f"{reason}: {', '.join(sorted(wanted))}"[:200],
    )
    return NotShared(reason)


def check(agreement: Agreement, wanted: Iterable[str], day: dt.date | None = None) -> None:
    """Raises NotShared unless the agreement is active on ``day`` and lists every field."""
    wanted = set(wanted)
    if unknown := wanted - set(ShareField.values):
        raise NotShared(f"not a shareable field: {', '.join(sorted(unknown))}")
    if agreement.revoked_at is not None:
        raise NotShared("the agreement has been revoked")
    if not agreement.active_on(day):
        raise NotShared("the agreement is not in force today")
    if missing := wanted - set(agreement.fields):
        raise NotShared(f"the agreement does not cover: {', '.join(sorted(missing))}")


def agreement_for(actor: Any, wanted: Iterable[str], day: dt.date | None = None) -> Agreement:
    """The user's active agreement covering every field wanted, or NotShared (recorded)."""
    wanted = set(wanted)
    reasons = []
    for agreement in Agreement.objects.filter(users=actor).order_by("-expires_on"):
        try:
            check(agreement, wanted, day)
        except NotShared as refusal:
            reasons.append(f"{agreement.partner}: {refusal}")
            continue
        return agreement
    raise _refuse(actor, "; ".join(reasons) or "no agreement names this user", wanted)


def check_for(actor: Any, agreement: Agreement, wanted: Iterable[str]) -> None:
    """``check``, with a refusal recorded in the audit log as ``agreement_for`` records one."""
    try:
        check(agreement, wanted)
    except NotShared as refusal:
        raise _refuse(actor, f"{agreement.partner}: {refusal}", wanted) from None


@transaction.atomic
def disclose(
    *,
    actor: Any,
    agreement: Agreement,
    customers: Iterable[Customer],
    fields: Iterable[str],
    channel: str,
) -> int:
    """Logs a disclosure of ``fields`` about each customer, after checking the agreement once
    more. Returns how many people it covered."""
    fields = sorted(set(fields))
    check(agreement, fields)
    user = None if isinstance(actor, str) else actor
    people = list(customers)
    Disclosure.objects.bulk_create(
        Disclosure(
            agreement=agreement, customer=customer, fields=fields, channel=channel,
            disclosed_to=user, at=timezone.now(),
        )
        for customer in people
    )  # fmt: skip
    record_many(
        actor=actor,
        action=AuditAction.DISCLOSE,
        target_type="customer",
        target_ids=[customer.public_id for customer in people],
        section=agreement.partner[:60],
        purpose=f"{channel}: {', '.join(fields)}",
    )
    return len(people)


# Reports back from contractors and partners

NO_ACCESS_WINDOW_DAYS = 365
NO_ACCESS_REPEATS = 2


def report_back(
    *,
    actor: Any,
    agreement: Agreement,
    home: Any,
    kind: str,
    visit_on: dt.date,
    suggested_need: str = "",
    note: str = "",
    api_token: ApiToken | None = None,
) -> FieldReport:
    """A need noticed or a no-access visit, waiting for a staff member to confirm it."""
    if kind not in ReportKind.values:
        raise ValueError(f"unknown kind of report {kind!r}")
    if suggested_need and suggested_need not in code_list("communication_need"):
        raise ValueError(f"unknown communication need {suggested_need!r}")
    report = FieldReport.objects.create(
        agreement=agreement, property=home, kind=kind, visit_on=visit_on,
        suggested_need=suggested_need if kind == ReportKind.NEED else "",
        note=note.strip(), reported_by=None if isinstance(actor, str) else actor,
        api_token=api_token,
    )  # fmt: skip
    Auditor.record(
        actor=actor, action=AuditAction.REPORT_BACK, target_type="property", target_id=home.property_ref,
        purpose=f"{kind} under {agreement.partner}"[:200],
    )  # fmt: skip
    return report


@transaction.atomic
def report_decide(
    *, actor: Any, report: FieldReport, confirm: bool, customer: Customer | None = None
) -> FieldReport:
    """Confirms or rejects a report. Confirming a need records it on the customer's record
    with the contractor's report as its source."""
    if report.status != ReportStatus.PENDING:
        raise ValueError("this report has already been decided")
    if confirm and report.kind == ReportKind.NEED:
        if (
            customer is None
            or customer.household is None
            or (customer.household.property_id != report.property_id)
        ):
            raise ValueError("choose who at the property the need belongs to")
        communication_need_record(
            actor=actor, customer=customer, need=report.suggested_need, details=report.note,
            source="contractor_report",
        )  # fmt: skip
        report.customer = customer
    report.status = ReportStatus.CONFIRMED if confirm else ReportStatus.REJECTED
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "customer", "decided_by", "decided_at"])
    return report


def repeated_no_access(today: dt.date | None = None) -> set[int]:
    """Properties with repeated no-access visits in the last year where someone has a current
    support need: the framework's gas-servicing example, for a welfare check."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=NO_ACCESS_WINDOW_DAYS)
    counts: dict[int, int] = {}
    for property_id in (
        FieldReport.objects.filter(kind=ReportKind.NO_ACCESS, visit_on__gte=since)
        .exclude(status=ReportStatus.REJECTED)
        .values_list("property_id", flat=True)
    ):
        counts[property_id] = counts.get(property_id, 0) + 1
    repeated = [pk for pk, count in counts.items() if count >= NO_ACCESS_REPEATS]
    vulnerable = SupportNeed.objects.filter(
        customer__household__property_id__in=repeated, customer__erased_at__isnull=True
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
    return set(vulnerable.values_list("customer__household__property_id", flat=True))


AGREEMENT_FIELDS = ("partner", "kind", "purpose", "lawful_basis", "starts_on", "expires_on",
                    "review_on")  # fmt: skip


@transaction.atomic
def agreement_save(
    *, actor: Any, agreement: Agreement, values: dict[str, Any], version: int | None = None
) -> Agreement:
    """Create or change a data-sharing agreement (``values``: its fields, ``shared_fields`` and
    the ``users`` who act under it), and record who did it, in one transaction. ``version`` is
    the one the editor saw (``core.versions``): a save over someone else's raises StaleEdit."""
    creating = agreement.pk is None
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, values[name])
    agreement.fields = values["shared_fields"]
    versioned_save(agreement, None if creating else version)
    agreement.users.set(User.objects.filter(pk__in=values["users"]))
    Auditor.record(actor=actor, action=AuditAction.CREATE if creating else AuditAction.UPDATE,
                   target_type="agreement", target_id=agreement.pk)  # fmt: skip
    return agreement


@transaction.atomic
def agreement_revoke(*, actor: Any, agreement: Agreement) -> None:
    agreement.revoked_at = timezone.now()
    agreement.save(update_fields=["revoked_at"])
    Auditor.record(
        actor=actor, action=AuditAction.REVOKE, target_type="agreement", target_id=agreement.pk
    )
