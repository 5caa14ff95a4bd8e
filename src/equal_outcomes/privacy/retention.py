"""The retention schedule: what is deleted, when, and a record of what was done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from equal_outcomes.accounts.organisation import retention_days
from equal_outcomes.accounts.register import HOLDINGS
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers import holdings
from equal_outcomes.customers.models import Customer, Tenancy
from equal_outcomes.workforce.models import Application, StaffMember, SurveyResponse

ACTOR = "system:retention"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    description: str
    deleted: int


def former_customers(today: dt.date, days: int) -> QuerySet[Customer]:
    """People whose household's tenancies have all ended, the last more than ``days`` ago."""
    cutoff = today - dt.timedelta(days=days)
    tenancies = Tenancy.objects.filter(household_id=OuterRef("household_id"))
    return Customer.objects.filter(
        Exists(tenancies),
        ~Exists(tenancies.filter(end_date__gte=cutoff)),
        ~Exists(tenancies.filter(end_date__isnull=True)),
    )


def _workforce_rules(today: dt.date, days: dict[str, int]) -> list[tuple[str, str, list[Any]]]:

    def before(rule: str) -> dt.date:
        return today - dt.timedelta(days=days[rule])

    return [
        (
            "applications",
            f"job applications made over {days['applications']} days ago",
            [Application.objects.filter(applied_on__lt=before("applications"))],
        ),
        (
            "survey_responses",
            f"staff survey responses over {days['survey_responses']} days old",
            [SurveyResponse.objects.filter(responded_on__lt=before("survey_responses"))],
        ),
        (
            "former_staff",
            f"staff and board members who left over {days['former_staff']} days ago, with "
            "their training",
            [StaffMember.objects.filter(left_on__lt=before("former_staff"))],
        ),
    ]


# What each rule that counts from a date ends, in words for the audit log and the command.
DATED_RULES = {
    "expired_answers": "pregnancy and maternity answers expired over {days} days ago",
    "ended_needs": "support and communication needs that ended over {days} days ago",
    "emergency_access": "reasons given for emergency access that ended over {days} days ago",
    "invitations": "questionnaire invitations that expired over {days} days ago",
    "drafts": "unfinished questionnaire answers last saved over {days} days ago",
    "closed_referrals": "what referrals said, once closed over {days} days ago",
    "decided_reports": "notes of reports from visits decided over {days} days ago",
}


def _dated(label: str, model: Any, field: str, today: dt.date, days: int) -> Any:
    """Rows of ``model`` whose ``field`` is more than ``days`` before ``today``. For a
    time-limited answer the whole history of that question goes with the current one."""
    cutoff = today - dt.timedelta(days=days)
    if isinstance(model._meta.get_field(field), models.DateTimeField):
        cutoff = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    old = model.objects.filter(**{f"{field}__lt": cutoff})
    if label == "customers.ProfileAnswer":
        expired = old.filter(is_current=True)
        return model.objects.filter(
            Exists(
                expired.filter(
                    customer_id=OuterRef("customer_id"), characteristic=OuterRef("characteristic")
                )
            )
        )
    return old


def _customer_rules(today: dt.date, days: dict[str, int]) -> list[tuple[str, str, list[Any]]]:
    """The rules for what is held about customers, all read from the data register: each
    holding's own dated rules, then everything about former customers."""
    dated: dict[str, list[Any]] = {rule: [] for rule in DATED_RULES}
    former = former_customers(today, days["former_customers"])
    leaving: list[Any] = []
    for label, model, holding in holdings.held_models():
        for rule, field in holding.rules:
            dated[rule].append((label, _dated(label, model, field, today, days[rule])))
        if label != holdings.PERSON:
            leaving.append((label, holdings.rows_of(model, holding, former)))
    return [
        *((rule, DATED_RULES[rule].format(days=days[rule]), dated[rule]) for rule in DATED_RULES),
        (
            "former_customers",
            "everything but names and contact details of people whose tenancy ended over "
            f"{days['former_customers']} days ago",
            leaving,
        ),
    ]


def _import_reports(today: dt.date, days: int) -> tuple[str, str, list[Any]]:
    """Import reports quote the rows they refused, so they are kept only as long as needed."""
    jobs = apps.get_model("imports", "ImportJob")
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    return (
        "import_reports",
        f"reports of imports finished over {days} days ago",
        [("imports.ImportJob", jobs.objects.filter(finished_at__lt=cutoff))],
    )


def _end(label: str, rows: Any, dry_run: bool) -> int:
    if label == "imports.ImportJob":
        done = [job for job in rows.only("pk", "report") if job.report]
        if not dry_run:
            rows.filter(pk__in=[job.pk for job in done]).update(report="")
        return len(done)
    if label in HOLDINGS:
        return holdings.end(label, rows, dry_run=dry_run)
    return int(rows.count() if dry_run else rows.delete()[0])


def retention_run(*, dry_run: bool, today: dt.date | None = None) -> list[RuleResult]:
    """Applies every rule of ``EQUAL_OUTCOMES_RETENTION``; with ``dry_run``, only counts."""
    today = today or timezone.localdate()
    days = retention_days()
    rules = [
        *_customer_rules(today, days),
        _import_reports(today, days["import_reports"]),
        *(
            (rule, description, [(None, qs) for qs in querysets])
            for rule, description, querysets in _workforce_rules(today, days)
        ),
    ]
    results = []
    for rule, description, rows in rules:
        with transaction.atomic():
            deleted = sum(_end(label, qs, dry_run) for label, qs in rows)
            if not dry_run:
                Auditor.record(
                    actor=ACTOR,
                    action=AuditAction.RETENTION,
                    target_type="rule",
                    target_id=rule,
                    purpose=f"ended {deleted} records: {description}"[:200],
                )
        results.append(RuleResult(rule, description, deleted))
    return results
