"""Staff who may record profile answers but not read them learn nothing of what is held from
the profile form or the record's prompts (issue 25, finding 1): every response is the same
whatever the customer's held answers are."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equal_outcomes.accounts.roles import (
    Role,
    can_record_special_category,
    can_see_special_category,
)
from equal_outcomes.customers.models import ProfileAnswer
from equal_outcomes.standards.codelists import characteristics
from tests.auth import signed_in
from tests.factories import CustomerFactory, UserFactory, record_answer

pytestmark = pytest.mark.django_db

BLIND = [r for r in Role if can_record_special_category(r) and not can_see_special_category(r)]
PREFER_NOT_TO_SAY = "prefer_not_to_say"


def options(question: str) -> list[str]:
    listing = characteristics().get(question).codes
    return [code.code for code in listing.codes if not code.group] + [PREFER_NOT_TO_SAY]


QUESTIONS = [item.id for item in characteristics() if not item.codes.multiple]
answer = st.sampled_from(QUESTIONS).flatmap(
    lambda q: st.tuples(
        st.just(q),
        st.sampled_from([None, *options(q)]),  # held by the first customer (None: nothing)
        st.sampled_from([None, *options(q)]),  # held by the second
        st.sampled_from(options(q)),  # what the member of staff enters
    )
)


def hold(customer: Any, question: str, code: str | None) -> None:
    lead = UserFactory(role=Role.EQUALITY_LEAD)
    if code == PREFER_NOT_TO_SAY:
        record_answer(lead, customer, question, state="prefer_not_to_say")
    elif code is not None:
        record_answer(lead, customer, question, code)


def seen(response: Any, customer: Any) -> tuple[int, str, list[str]]:
    """What the member of staff gets back, less the form's token and the customer's identity."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    location = response.get("Location", "")
    for identity in (str(customer.public_id), customer.landlord_ref):
        text, location = text.replace(identity, "ID"), location.replace(identity, "ID")
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    return response.status_code, text + location, notes


@pytest.mark.parametrize("role", BLIND)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=answer)
def test_the_profile_form_answers_the_same_whatever_is_held(
    role: Role, case: tuple[str, str | None, str | None, str]
) -> None:
    question, first_held, second_held, entered = case
    staff = UserFactory(role=role)
    responses = []
    for held in (first_held, second_held):
        client = signed_in(staff)
        customer = CustomerFactory(first_name="Sam", last_name="Jones")
        hold(customer, question, held)
        url = reverse("collection:profile", args=[customer.public_id])
        form = {"touchpoint": "contact", question: entered}
        responses.append(
            [seen(client.post(url, {**form, "step": step}), customer) for step in ("check", "save")]
        )
        current = ProfileAnswer.objects.get(
            customer=customer, characteristic=question, is_current=True
        )
        assert (current.value or PREFER_NOT_TO_SAY) == entered, "what was entered is recorded"
    assert responses[0] == responses[1]


def test_an_answer_the_same_as_the_held_one_is_recorded_as_a_confirmation(advisor: Any) -> None:
    customer = CustomerFactory()
    lead = UserFactory(role=Role.EQUALITY_LEAD)
    held = record_answer(lead, customer, "religion", "christian")
    url = reverse("collection:profile", args=[customer.public_id])
    signed_in(advisor).post(url, {"touchpoint": "contact", "religion": "christian", "step": "save"})
    (answer,) = ProfileAnswer.objects.filter(customer=customer, characteristic="religion")
    assert answer.pk == held.pk
    assert answer.last_confirmed_at > held.last_confirmed_at


@pytest.mark.parametrize("role", BLIND)
def test_follow_up_questions_are_never_prompted_to_staff_who_cannot_read_the_answers(
    role: Role,
) -> None:
    lead = UserFactory(role=Role.EQUALITY_LEAD)
    disabled, not_disabled = CustomerFactory(), CustomerFactory()
    record_answer(lead, disabled, "disability", "yes")
    record_answer(lead, not_disabled, "disability", "no")
    client = signed_in(UserFactory(role=role))
    prompts = [
        {row.characteristic.id for row in client.get(
            reverse("customers:record", args=[customer.public_id])
        ).context["record"].gaps}
        for customer in (disabled, not_disabled)
    ]  # fmt: skip
    assert prompts[0] == prompts[1]
    assert "disability_impact" not in prompts[0]


def test_the_lead_is_still_prompted_for_the_follow_up_questions(lead: Any) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "disability", "yes")
    record = signed_in(lead).get(reverse("customers:record", args=[customer.public_id]))
    assert "disability_impact" in {row.characteristic.id for row in record.context["record"].gaps}
