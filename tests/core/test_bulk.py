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
from equal_outcomes.customers.models import ProfileAnswer
from equal_outcomes.imports.customers import ANSWER_FIELDS
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

# More rows than three SQLite statements hold, the last one part full.
ROWS = 3 * (bulk.SQLITE_PARAMETERS // len(ANSWER_FIELDS)) + 17


def answer_rows(customer_ids: list[int], states: list[str]) -> list[tuple[object, ...]]:
    when = timezone.make_aware(dt.datetime(2024, 5, 17, 12, 0))
    return [
        (
            customer_ids[number % len(customer_ids)],
            f"question_{number // len(customer_ids)}",
            state,
            f"value {number}" if state == "answered" else "",
            "import",
            when,
            None,
            when,
            dt.date(2025, 1, number % 28 + 1) if number % 3 == 0 else None,
            True,
        )
        for number, state in enumerate(states)
    ]


def test_every_row_lands_as_given_and_encrypted_values_read_back() -> None:
    ids = [CustomerFactory().pk for _ in range(7)]
    states = ["answered" if number % 5 else "prefer_not_to_say" for number in range(ROWS)]
    with transaction.atomic():
        assert (
            bulk.insert_rows(ProfileAnswer, ANSWER_FIELDS, iter(answer_rows(ids, states))) == ROWS
        )
    held = {
        (answer.customer_id, answer.characteristic): answer
        for answer in ProfileAnswer.objects.all()
    }
    assert len(held) == ROWS
    for row in answer_rows(ids, states):
        answer = held[(row[0], row[1])]
        assert (answer.state, answer.value, answer.expires_on) == (row[2], row[3], row[8])
        assert answer.recorded_at == row[5]
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
        bulk.insert_rows(ProfileAnswer, ANSWER_FIELDS, answer_rows(ids, states))
    assert ProfileAnswer.objects.count() == 0
    assert sys.getswitchinterval() == interval
