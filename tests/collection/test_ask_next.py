"""Who to ask next: planned contacts soon, no communication needs first, then biggest gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from equal_outcomes.collection.selectors import ask_next
from equal_outcomes.customers.models import CommunicationPreference
from tests.auth import signed_in
from tests.factories import (
    AreaFactory,
    CustomerFactory,
    PropertyFactory,
    SupportNeedFactory,
    record_answer,
)

pytestmark = pytest.mark.django_db


def with_review(area: Any, days: int, **names: Any) -> Any:
    customer = CustomerFactory(household__property=PropertyFactory(estate__area=area), **names)
    today = timezone.localdate()
    SupportNeedFactory(
        customer=customer,
        start_date=today - dt.timedelta(days=30),
        review_date=today + dt.timedelta(days=days),
    )
    return customer


def test_planned_contacts_are_listed_with_the_biggest_gaps_first(officer: Any, lead: Any) -> None:
    patch = officer.areas.first()
    with_review(patch, 20, first_name="Anwen")
    known = with_review(patch, 5, first_name="Bryn")
    CommunicationPreference.objects.create(
        customer=known, preferred_format="large_print", source="contact", recorded_at=timezone.now()
    )
    for question, code in (("sex", "male"), ("religion", "none"), ("ethnicity", "white_irish")):
        record_answer(lead, known, question, code)
    gappy = with_review(patch, 25, first_name="Cai")
    CommunicationPreference.objects.create(
        customer=gappy, source="contact", recorded_at=timezone.now()
    )
    with_review(patch, 60, first_name="Later")
    with_review(AreaFactory(), 3, first_name="Elsewhere")

    rows = ask_next(user=officer)
    assert [row.customer.first_name for row in rows] == ["Anwen", "Cai", "Bryn"]
    assert rows[0].no_communication_needs
    assert rows[2].unanswered == rows[1].unanswered - 3

    page = signed_in(officer).get(reverse("collection:ask_next"))
    assert page.status_code == 200
    assert "Elsewhere" not in page.content.decode()


def test_overdue_reviews_stay_on_the_list_flagged_adjustments_too(officer: Any, lead: Any) -> None:
    """Issue 27, item 12: an overdue reasonable adjustment dropped off "Who to ask next" and
    was not flagged on the record."""
    from equal_outcomes.customers.models import ReasonableAdjustment

    patch = officer.areas.first()
    today = timezone.localdate()
    late = CustomerFactory(
        first_name="Dilys", household__property=PropertyFactory(estate__area=patch)
    )
    ReasonableAdjustment.objects.create(
        customer=late, adjustment="call_ahead_30", status="agreed", source="contact",
        recorded_at=timezone.now(), review_date=today - dt.timedelta(days=10),
    )  # fmt: skip
    with_review(patch, -3, first_name="Emyr")
    rows = {row.customer.first_name: row for row in ask_next(user=officer)}
    assert rows["Dilys"].overdue
    assert rows["Emyr"].overdue
    page = signed_in(officer).get(reverse("collection:ask_next")).content.decode()
    assert "Overdue" in page
    record = signed_in(officer).get(reverse("customers:record", args=[late.public_id]))
    assert "Overdue" in record.content.decode()
