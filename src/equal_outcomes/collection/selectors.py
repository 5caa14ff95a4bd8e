"""Who to ask next: people with a planned contact soon, most gaps first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from equal_outcomes.customers.models import (
    AdjustmentStatus,
    CommunicationNeed,
    CommunicationPreference,
    Customer,
)
from equal_outcomes.customers.selectors import customers_visible_to
from equal_outcomes.standards.codelists import characteristics

HORIZON_DAYS = 30
LIMIT = 50


@dataclass(frozen=True)
class AskNext:
    customer: Customer
    contact_due: dt.date
    unanswered: int
    no_communication_needs: bool

    @property
    def overdue(self) -> bool:
        return self.contact_due < timezone.localdate()

    @property
    def priority(self) -> tuple[int, int, dt.date]:
        return (-int(self.no_communication_needs), -self.unanswered, self.contact_due)


def ask_next(*, user: Any, today: dt.date | None = None) -> list[AskNext]:
    """Customers the user may see whose support need or adjustment review is overdue or falls
    due within 30 days (a contact is planned), ordered: no communication needs recorded first,
    then the most unanswered profile questions, then the soonest (or most overdue) contact."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=HORIZON_DAYS)
    questions = sum(1 for item in characteristics() if not item.asked_when)
    people = (
        customers_visible_to(user)
        .annotate(
            need_review=Min(
                "support_needs__review_date",
                filter=Q(
                    support_needs__end_date__isnull=True,
                    support_needs__review_date__lte=until,
                ),
            ),
            adjustment_review=Min(
                "adjustments__review_date",
                filter=Q(adjustments__review_date__lte=until)
                & ~Q(adjustments__status=AdjustmentStatus.REFUSED),
            ),
        )
        .filter(Q(need_review__isnull=False) | Q(adjustment_review__isnull=False))
        .annotate(
            answered=Count("answers", filter=Q(answers__is_current=True), distinct=True),
            has_preference=Exists(
                CommunicationPreference.objects.filter(customer_id=OuterRef("pk"))
            ),
            has_need=Exists(
                CommunicationNeed.objects.filter(customer_id=OuterRef("pk"), end_date__isnull=True)
            ),
        )
    )
    rows = [
        AskNext(
            customer=person,
            contact_due=min(d for d in (person.need_review, person.adjustment_review) if d),
            unanswered=max(0, questions - person.answered),
            no_communication_needs=not (person.has_preference or person.has_need),
        )
        for person in people[:2000]
    ]
    return sorted(rows, key=lambda row: row.priority)[:LIMIT]
