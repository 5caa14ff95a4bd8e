"""Issue 29, item 5: one rule decides what a newly given answer does to the one held, for staff,
the questionnaire, imports and the API alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from equal_outcomes.customers.superseding import Held, Outcome, decide

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HELD = Held(state="answered", value="christian", recorded_at=MORNING)


@pytest.mark.parametrize(
    ("held", "state", "value", "given_at", "date_only", "outcome"),
    [
        # Nothing held: recorded, whenever it was given.
        (None, "answered", "christian", MORNING, False, Outcome.RECORD),
        (None, "prefer_not_to_say", "", MORNING - dt.timedelta(days=900), True, Outcome.RECORD),
        # The same answer, later or at the same time: confirmed.
        (HELD, "answered", "christian", MORNING + dt.timedelta(days=30), False, Outcome.CONFIRM),
        (HELD, "answered", "christian", MORNING, False, Outcome.CONFIRM),
        # A different answer, later: it supersedes the held one.
        (HELD, "answered", "muslim", MORNING + dt.timedelta(hours=1), False, Outcome.SUPERSEDE),
        (HELD, "prefer_not_to_say", "", MORNING + dt.timedelta(days=1), False, Outcome.SUPERSEDE),
        # Given before the held answer: never overwrites it, the same or not.
        (HELD, "answered", "muslim", MORNING - dt.timedelta(minutes=1), False, Outcome.SKIP),
        (HELD, "answered", "christian", MORNING - dt.timedelta(days=1), False, Outcome.SKIP),
        # A source that gives only the day: the held answer's own day is not earlier.
        (HELD, "answered", "muslim", MORNING.replace(hour=0), True, Outcome.SUPERSEDE),
        (HELD, "answered", "muslim", MORNING.replace(hour=0), False, Outcome.SKIP),
        (HELD, "answered", "muslim", MORNING - dt.timedelta(days=1), True, Outcome.SKIP),
    ],
)
def test_what_a_new_answer_does(
    held: Held | None, state: str, value: str, given_at: dt.datetime, date_only: bool,
    outcome: Outcome,
) -> None:  # fmt: skip
    assert decide(held, state=state, value=value, given_at=given_at, date_only=date_only) == outcome


@pytest.mark.django_db
def test_staff_recording_an_answer_given_before_the_held_one_keeps_the_held_one(lead: Any) -> None:
    """``customers.services`` had no older-than-held check: an answer dated before the one held
    replaced it. It now follows the same rule as imports and the API."""
    from equal_outcomes.customers.models import ProfileAnswer
    from equal_outcomes.customers.services import profile_answer_record
    from tests.factories import CustomerFactory

    customer = CustomerFactory()
    profile_answer_record(actor=lead, customer=customer, characteristic="religion",
                          state="answered", codes=["christian"], touchpoint="contact",
                          recorded_at=MORNING)  # fmt: skip
    profile_answer_record(actor=lead, customer=customer, characteristic="religion",
                          state="answered", codes=["muslim"], touchpoint="contact",
                          recorded_at=MORNING - dt.timedelta(days=10))  # fmt: skip
    held = ProfileAnswer.objects.current().get(customer=customer)
    assert held.value == "christian"
    assert ProfileAnswer.objects.filter(customer=customer).count() == 1
