"""Bulk inserts for imports (on SQLite and PostgreSQL: the suite runs on both). On SQLite the
statements run in a thread of their own while the next rows are prepared; what lands, and what
a failure leaves, must be the same as written one by one."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from equal_outcomes.core import bulk
from equal_outcomes.core.crypto import Bound
from equal_outcomes.customers.models import ProfileAnswer
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = ("customer", "characteristic", "state", "value", "recorded_at", "expires_on")
# More rows than three SQLite statements hold, the last one part full.
ROWS = 3 * (bulk.SQLITE_PARAMETERS // len(FIELDS)) + 17


def answer_rows(customer_ids: list[int], states: list[str]) -> list[tuple[object, ...]]:
    when = timezone.make_aware(dt.datetime(2024, 5, 17, 12, 0))
    return [
        (
            customer_ids[number % len(customer_ids)],
            f"question_{number // len(customer_ids)}",
            state,
            # Sealed for the row's customer, as the column is bound to it.
            Bound(f"value {number}", customer_ids[number % len(customer_ids)])
            if state == "answered"
            else "",
            when,
            dt.date(2025, 1, number % 28 + 1) if number % 3 == 0 else None,
        )
        for number, state in enumerate(states)
    ]


def constants(**given: object) -> dict[str, object]:
    when = timezone.make_aware(dt.datetime(2024, 5, 18, 9, 30))
    return {"touchpoint": "import", "last_confirmed_at": when, "recorded_by": None, **given}


def test_every_row_lands_as_given_and_encrypted_values_read_back() -> None:
    ids = [CustomerFactory().pk for _ in range(7)]
    states = ["answered" if number % 5 else "prefer_not_to_say" for number in range(ROWS)]
    with transaction.atomic():
        assert (
            bulk.insert_rows(
                ProfileAnswer, FIELDS, iter(answer_rows(ids, states)), constants(is_current=True)
            )
            == ROWS
        )
    held = {
        (answer.customer_id, answer.characteristic): answer
        for answer in ProfileAnswer.objects.all()
    }
    assert len(held) == ROWS
    for row in answer_rows(ids, states):
        answer = held[(row[0], row[1])]
        assert (answer.state, answer.value, answer.expires_on) == (row[2], row[3], row[5])
        assert answer.recorded_at == row[4]
    # Encrypted at rest: what the database holds is a token, not the value.
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM customers_profileanswer WHERE value <> ''")
        stored = [value for (value,) in cursor.fetchall()]
    assert len(stored) == states.count("answered")
    assert not any(value.startswith("value ") for value in stored)


def test_a_failure_in_a_late_statement_raises_and_leaves_nothing() -> None:
    ids = [CustomerFactory().pk for _ in range(3)]
    states = ["answered"] * ROWS
    states[-5] = "not a state"  # breaks the check constraint in the last statement
    interval = sys.getswitchinterval()
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(
            ProfileAnswer, FIELDS, answer_rows(ids, states), constants(is_current=True)
        )
    assert ProfileAnswer.objects.count() == 0
    assert sys.getswitchinterval() == interval


def test_constants_land_in_every_row_exactly_whatever_their_characters() -> None:
    """Constants are written into SQLite's statements as literals: quotes and SQL in them must
    come back as text, and a constant foreign key must still be checked."""
    ids = [CustomerFactory().pk for _ in range(2)]
    user = UserFactory()
    awkward = "tenant's own words'); DROP TABLE customers_profileanswer; --"
    with transaction.atomic():
        bulk.insert_rows(
            ProfileAnswer,
            FIELDS,
            answer_rows(ids, ["answered"] * 2_500),
            constants(touchpoint=awkward[:32], recorded_by=user.pk, is_current=False),
        )
    answers = ProfileAnswer.objects.all()
    assert answers.count() == 2_500
    assert set(answers.values_list("touchpoint", "recorded_by", "is_current")) == {
        (awkward[:32], user.pk, False)
    }
    assert {answer.last_confirmed_at for answer in answers} == {
        timezone.make_aware(dt.datetime(2024, 5, 18, 9, 30))
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(
            ProfileAnswer, FIELDS, answer_rows(ids, ["answered"]), constants(recorded_by=10**9)
        )
