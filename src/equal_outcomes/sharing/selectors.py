"""Reads of what contractors and partners report, as the data register allows each role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from equal_outcomes.accounts.roles import Role, can_see_vulnerabilities
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers.models import Customer, Property
from equal_outcomes.sharing import jobpacks
from equal_outcomes.sharing.models import FieldReport, ReportKind, ReportStatus
from equal_outcomes.sharing.services import repeated_no_access
from equal_outcomes.standards.codelists import code_list


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
                actor=user, action="view", target_type="field_report", target_id=report.pk,
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
