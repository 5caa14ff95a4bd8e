from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.audit.services import AuditActorRequired
from equal_outcomes.customers.models import AnswerState, ProfileAnswer
from equal_outcomes.customers.selectors import profile_rows
from equal_outcomes.customers.services import customer_create, profile_answer_record
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_new_answer_supersedes_the_old_one_and_keeps_it_as_history(lead: Any) -> None:
    customer = CustomerFactory()
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="religion",
        state=AnswerState.PREFER_NOT_TO_SAY,
        touchpoint="sign_up",
    )
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="religion",
        state=AnswerState.ANSWERED,
        codes=["buddhist"],
        touchpoint="survey",
    )
    answers = ProfileAnswer.objects.filter(customer=customer, characteristic="religion")
    assert answers.count() == 2
    current = answers.get(is_current=True)
    assert (current.state, current.value, current.touchpoint) == ("answered", "buddhist", "survey")
    assert current.recorded_by == lead
    assert answers.get(is_current=False).superseded_at is not None


def test_giving_the_same_answer_again_confirms_it_without_new_history(lead: Any) -> None:
    customer = CustomerFactory()
    first = profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="sex",
        state="answered",
        codes=["female"],
        touchpoint="sign_up",
        recorded_at=timezone.now() - dt.timedelta(days=900),
    )
    again = profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="sex",
        state="answered",
        codes=["female"],
        touchpoint="contact",
    )
    assert again.pk == first.pk
    assert again.last_confirmed_at > first.recorded_at
    assert ProfileAnswer.objects.filter(customer=customer).count() == 1


def test_an_answer_that_is_not_in_the_code_list_is_refused_and_nothing_is_saved(lead: Any) -> None:
    customer = CustomerFactory()
    with pytest.raises(ValidationError, match="not an answer"):
        profile_answer_record(
            actor=lead,
            customer=customer,
            characteristic="ethnicity",
            state="answered",
            codes=["white"],
            touchpoint="survey",
        )
    with pytest.raises(ValidationError, match="one answer"):
        profile_answer_record(
            actor=lead,
            customer=customer,
            characteristic="religion",
            state="answered",
            codes=["hindu", "sikh"],
            touchpoint="survey",
        )
    assert not ProfileAnswer.objects.filter(customer=customer).exists()


def test_questions_that_take_several_answers_store_them_all(lead: Any) -> None:
    customer = CustomerFactory()
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="disability",
        state="answered",
        codes=["yes"],
        touchpoint="survey",
    )
    answer = profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="impairment_type",
        state="answered",
        codes=["mobility", "hearing"],
        touchpoint="survey",
    )
    assert answer.value == "hearing|mobility"
    row = next(r for r in profile_rows(customer) if r.characteristic.id == "impairment_type")
    assert row.values == [
        "Hearing (for example deafness or partial hearing)",
        "Mobility (for example walking short distances or climbing stairs)",
    ]


def test_a_pregnancy_answer_expires_by_itself(lead: Any) -> None:
    customer = CustomerFactory()
    recorded = timezone.now() - dt.timedelta(days=300)
    answer = profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="pregnancy_maternity",
        state="answered",
        codes=["pregnant"],
        touchpoint="contact",
        recorded_at=recorded,
    )
    assert answer.expires_on == recorded.date() + dt.timedelta(days=182)
    row = next(r for r in profile_rows(customer) if r.characteristic.id == "pregnancy_maternity")
    assert row.state == AnswerState.NOT_ASKED
    assert row.values == []
    assert row.expired_on == answer.expires_on


def test_an_answer_not_confirmed_for_two_years_is_shown_as_stale(lead: Any) -> None:
    customer = CustomerFactory()
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="sex",
        state="answered",
        codes=["male"],
        touchpoint="import",
        recorded_at=timezone.now() - dt.timedelta(days=800),
    )
    row = next(r for r in profile_rows(customer) if r.characteristic.id == "sex")
    assert row.stale


def test_every_change_is_audited_without_the_value(lead: Any) -> None:
    customer = CustomerFactory()
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="sexual_orientation",
        state="answered",
        codes=["bisexual"],
        touchpoint="survey",
    )
    event = AuditEvent.objects.get(action="change")
    assert (event.actor, event.target_id, event.section) == (
        lead,
        str(customer.public_id),
        "profile.sexual_orientation",
    )
    assert "bisexual" not in " ".join(str(v) for v in event.__dict__.values())


def test_the_auditor_refuses_an_anonymous_change() -> None:
    customer = CustomerFactory()
    with pytest.raises(AuditActorRequired):
        profile_answer_record(
            actor=None,
            customer=customer,
            characteristic="sex",
            state="answered",
            codes=["male"],
            touchpoint="survey",
        )
    assert not ProfileAnswer.objects.exists()


def test_the_audit_log_is_hash_chained(lead: Any) -> None:
    customer = CustomerFactory()
    for code in ("male", "female"):
        profile_answer_record(
            actor=lead,
            customer=customer,
            characteristic="sex",
            state="answered",
            codes=[code],
            touchpoint="survey",
        )
    first, second = AuditEvent.objects.order_by("id")
    assert second.previous_hash == first.entry_hash != second.entry_hash


def test_customers_are_created_only_with_a_known_type(lead: Any) -> None:
    with pytest.raises(ValidationError):
        customer_create(
            actor=lead, landlord_ref="C1", customer_type="resident", first_name="A", last_name="B"
        )
    made = customer_create(
        actor=lead,
        landlord_ref="C1",
        customer_type="leaseholder",
        first_name="Rhys",
        last_name="Evans",
    )
    assert made.customer_type == "leaseholder"
    assert AuditEvent.objects.filter(action="create", target_id=str(made.public_id)).exists()


def test_disability_follow_up_questions_apply_only_to_people_who_said_yes(lead: Any) -> None:
    customer = CustomerFactory()

    def shown() -> set[str]:
        return {row.characteristic.id for row in profile_rows(customer)}

    assert "disability_impact" not in shown()  # not asked the first question yet
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="disability",
        state="answered",
        codes=["no"],
        touchpoint="survey",
    )
    assert {"disability_impact", "impairment_type"}.isdisjoint(shown())
    profile_answer_record(
        actor=lead,
        customer=customer,
        characteristic="disability",
        state="answered",
        codes=["yes"],
        touchpoint="survey",
    )
    assert {"disability_impact", "impairment_type"} <= shown()
