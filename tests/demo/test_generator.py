from __future__ import annotations

import base64
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from equal_outcomes.accounts.roles import Role
from equal_outcomes.customers.models import Customer, ProfileAnswer, SupportNeed
from equal_outcomes.demo.generator import DEMO_PASSWORD, generate
from equal_outcomes.standards.codelists import code_list

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    def __init__(self, landlord: object) -> None:
        self.landlord = landlord


def generated_landlord(seed: int) -> object:
    """Generate a landlord, describe it, then roll it back so the next one starts empty."""
    try:
        with transaction.atomic():
            generate(customers=300, seed=seed)
            people = list(
                Customer.objects.order_by("landlord_ref").values_list(
                    "landlord_ref", "first_name", "last_name", "customer_type", "date_of_birth"
                )
            )
            answers = sorted(
                (a.customer.landlord_ref, a.characteristic, a.state, a.value)
                for a in ProfileAnswer.objects.select_related("customer")
            )
            raise _Undo((people, answers))
    except _Undo as undo:
        return undo.landlord


def test_the_same_seed_gives_the_same_landlord_and_another_seed_another() -> None:
    first = generated_landlord(7)
    assert first == generated_landlord(7)
    assert first != generated_landlord(8)
    assert not Customer.objects.exists()


def test_the_demo_has_every_customer_type_needs_and_uneven_completeness() -> None:
    generate(customers=1500, seed=3)
    types = Counter(Customer.objects.values_list("customer_type", flat=True))
    assert set(types) == {code.code for code in code_list("customer_type").selectable}
    assert SupportNeed.objects.exists()

    def ethnicity_coverage(**filters: str) -> float:
        people = Customer.objects.filter(**filters)
        answered = ProfileAnswer.objects.filter(
            customer__in=people, characteristic="ethnicity", is_current=True
        ).count()
        return answered / people.count()

    tenants = ethnicity_coverage(customer_type="tenant")
    others = ethnicity_coverage(customer_type="other_service_user")
    assert tenants > 0.6
    assert others < tenants / 2
    assert (
        ethnicity_coverage(household__property__estate__area__code="NTH")
        > ethnicity_coverage(household__property__estate__area__code="VAL") + 0.2
    )


def test_there_is_a_demo_user_for_every_role_who_can_sign_in() -> None:
    result = generate(customers=50, seed=1)
    assert {role for _, role, _, _ in result.users} == {str(role.label) for role in Role}
    secret = next(secret for name, _, _, secret in result.users if name == "lead")
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "lead", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor"))
    code = f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"
    response = client.post(
        response.redirect_chain[-1][0], {"code": code, "next": "/customers/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("customers:search")
    assert b"Find a customer" in response.content


def test_the_demo_tenant_is_linked_to_a_customer_record() -> None:
    generate(customers=50, seed=1)
    tenant = Customer.objects.get(user__username="tenant")
    assert tenant.customer_type == "tenant"


def test_the_demo_command_leaves_an_existing_landlord_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--no-warm", customers=40, seed=2)
    count = Customer.objects.count()
    call_command("demo", "--no-warm", customers=40, seed=2, if_empty=True)
    assert Customer.objects.count() == count
    assert "already exist" in capsys.readouterr().out
