"""The retention schedule: what is deleted, when, and a record of what was done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers.models import (
    Customer,
    ProfileAnswer,
    RestrictedDetails,
    SupportNeed,
    Tenancy,
)

ACTOR = "system:retention"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    description: str
    deleted: int


def _expired_answers(today: dt.date, days: int) -> QuerySet[ProfileAnswer]:
    """Time-limited answers (pregnancy and maternity) past expiry, with their history."""
    cutoff = today - dt.timedelta(days=days)
    expired = ProfileAnswer.objects.filter(is_current=True, expires_on__lt=cutoff)
    return ProfileAnswer.objects.filter(
        Exists(
            expired.filter(
                customer_id=OuterRef("customer_id"), characteristic=OuterRef("characteristic")
            )
        )
    )


def _ended_support_needs(today: dt.date, days: int) -> QuerySet[SupportNeed]:
    return SupportNeed.objects.filter(end_date__lt=today - dt.timedelta(days=days))


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
    from equal_outcomes.workforce.models import Application, StaffMember, SurveyResponse

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


def retention_run(*, dry_run: bool, today: dt.date | None = None) -> list[RuleResult]:
    """Applies every rule of ``EQUAL_OUTCOMES_RETENTION``; with ``dry_run``, only counts."""
    today = today or timezone.localdate()
    days = settings.EQUAL_OUTCOMES_RETENTION
    former = former_customers(today, days["former_customers"])
    rules: list[tuple[str, str, list[QuerySet]]] = [  # type: ignore[type-arg]
        (
            "expired_answers",
            f"pregnancy and maternity answers expired over {days['expired_answers']} days ago",
            [_expired_answers(today, days["expired_answers"])],
        ),
        (
            "ended_support_needs",
            f"support needs that ended over {days['ended_support_needs']} days ago",
            [_ended_support_needs(today, days["ended_support_needs"])],
        ),
        (
            "former_customers",
            "special-category and vulnerability data of people whose tenancy ended over "
            f"{days['former_customers']} days ago",
            [
                ProfileAnswer.objects.filter(customer__in=former),
                SupportNeed.objects.filter(customer__in=former),
                RestrictedDetails.objects.filter(customer__in=former),
            ],
        ),
        *_workforce_rules(today, days),
    ]
    results = []
    for rule, description, querysets in rules:
        with transaction.atomic():
            if dry_run:
                deleted = sum(qs.count() for qs in querysets)
            else:
                deleted = sum(qs.delete()[0] for qs in querysets)
                Auditor.record(
                    actor=ACTOR,
                    action="retention",
                    target_type="rule",
                    target_id=rule,
                    purpose=f"deleted {deleted} records: {description}"[:200],
                )
        results.append(RuleResult(rule, description, deleted))
    return results
