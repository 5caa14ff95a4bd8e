"""Reads of what contractors and partners report, as the data register allows each role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from equal_outcomes.accounts.roles import Role, can_see_vulnerabilities
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers.models import Customer, Property
from equal_outcomes.customers.selectors import customers_visible_to
from equal_outcomes.sharing import jobpacks
from equal_outcomes.sharing.models import (
    Agreement,
    FieldReport,
    PartnerKind,
    Referral,
    ReportKind,
    ReportStatus,
    ShareField,
)
from equal_outcomes.sharing.services import repeated_no_access
from equal_outcomes.standards.codelists import code_list


def referrals_sent(agreement: Agreement, *, limit: int = 500) -> list[Referral]:
    """Referrals made to ``agreement``'s partner and not withdrawn, newest first."""
    return list(
        Referral.objects.filter(agreement=agreement, direction="out")
        .exclude(status__in=["withdrawn"])
        .select_related("customer")[:limit]
    )


def referral_of(agreement: Agreement, public_id: Any) -> Referral | None:
    """One referral under ``agreement``, by its public id (None for any other)."""
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        Referral.objects.filter(public_id=wanted, agreement=agreement)
        .select_related("customer")
        .first()
    )


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    """Referrals of the customers in ``user``'s scope."""
    return Referral.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "agreement"
    )


def referrals_list(*, user: Any, limit: int = 200) -> list[Referral]:
    """The newest referrals ``user`` may see, the reading recorded."""
    shown = list(referrals_visible_to(user)[:limit])
    Auditor.record(actor=user, action=AuditAction.VIEW, target_type="referrals", target_id="list",
                   purpose=f"{len(shown)} referrals")  # fmt: skip
    return shown


def agreement_get(pk: int) -> Agreement:
    return get_object_or_404(Agreement, pk=pk)


def agreements_listed() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related("users").annotate(disclosed=Count("disclosures"))


def agreements_of(user: Any) -> QuerySet[Agreement]:
    """The agreements ``user`` (a contractor or partner) acts under."""
    return Agreement.objects.filter(users=user)


def referral_agreements() -> list[Agreement]:
    """Agreements in force under which referrals may be made."""
    return [
        agreement
        for agreement in Agreement.objects.filter(
            kind__in=[PartnerKind.PARTNER, PartnerKind.CONTRACTOR]
        )
        if agreement.active and ShareField.REFERRAL in agreement.fields
    ]


def referral_agreement(pk: str) -> Agreement:
    """The agreement in force, chosen in a referral form (whose choices were these)."""
    return next(a for a in referral_agreements() if str(a.pk) == str(pk))


def reports_visible_to(user: Any) -> QuerySet[FieldReport]:
    """Reports from visits to homes in ``user``'s scope: a housing officer's areas, or all."""
    reports = FieldReport.objects.select_related("property", "agreement")
    if user.role == Role.HOUSING_OFFICER:
        reports = reports.filter(property__estate__area__officers=user)
    return reports


@dataclass(frozen=True)
class PendingReport:
    report: FieldReport
    note: str  # blank for roles the register does not let read it
    need: str
    residents: list[Customer]
    flagged: bool


@dataclass(frozen=True)
class VisitReports:
    pending: list[PendingReport]
    flagged: list[Property]  # homes for a welfare check: empty for roles that may not know


def visit_reports(*, user: Any) -> VisitReports:
    """Reports waiting for ``user`` to confirm. What a contractor noticed is vulnerability data
    (data register), as is the welfare flag, which says someone in the home has a support need:
    only roles that may read support needs see either, for homes in their own scope, and each
    note read is audited."""
    pending = list(reports_visible_to(user).filter(status=ReportStatus.PENDING))
    vulnerable = can_see_vulnerabilities(user.role)
    homes = set(reports_visible_to(user).values_list("property_id", flat=True))
    flagged = repeated_no_access() & homes if vulnerable else set()
    needs = code_list("communication_need")
    rows = []
    for report in pending:
        if vulnerable and report.note:
            Auditor.record(
                actor=user, action=AuditAction.VIEW, target_type="field_report", target_id=report.pk,
                section="note", purpose="reports from visits",
            )  # fmt: skip
        rows.append(
            PendingReport(
                report=report,
                note=report.note if vulnerable else "",
                need=needs.label(report.suggested_need) if report.suggested_need else "",
                residents=jobpacks.residents_of(report.property)
                if report.kind == ReportKind.NEED
                else [],
                flagged=report.property_id in flagged,
            )
        )
    return VisitReports(
        pending=rows, flagged=list(Property.objects.filter(pk__in=flagged).order_by("property_ref"))
    )
