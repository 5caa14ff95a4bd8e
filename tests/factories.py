"""Factories for the record. Named personas for access tests live in conftest.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from equal_outcomes.accounts.models import User
from equal_outcomes.accounts.roles import Role
from equal_outcomes.customers.models import (
    Area,
    Customer,
    Estate,
    Household,
    Property,
    SupportNeed,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    role = Role.EQUALITY_LEAD
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class EstateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Estate

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"E{n}")
    name = factory.Sequence(lambda n: f"Estate {n}")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    property_ref = factory.Sequence(lambda n: f"P{n:05d}")
    estate = factory.SubFactory(EstateFactory)
    address = factory.Sequence(lambda n: f"{n} Mill Street")
    postcode = "EQ1 1AA"
    lsoa_code = "W01000001"
    rural_urban = "C1"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    household_ref = factory.Sequence(lambda n: f"H{n:05d}")
    property = factory.SubFactory(PropertyFactory)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    landlord_ref = factory.Sequence(lambda n: f"C{n:06d}")
    customer_type = "tenant"
    household = factory.SubFactory(HouseholdFactory)
    first_name = "Megan"
    last_name = factory.Sequence(lambda n: f"Jones{n}")
    date_of_birth = dt.date(1970, 5, 17)


class SupportNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportNeed

    customer = factory.SubFactory(CustomerFactory)
    need = "domestic_abuse"
    details = "Safe address held separately"
    source = "contact"
    recorded_at = factory.LazyFunction(timezone.now)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    review_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


def record_answer(
    actor: Any,
    customer: Customer,
    characteristic: str,
    *codes: str,
    state: str = "",
    touchpoint: str = "survey",
    **extra: Any,
) -> Any:
    """Record a profile answer through the real service: answered when codes are given."""
    from equal_outcomes.customers.services import profile_answer_record

    return profile_answer_record(
        actor=actor,
        customer=customer,
        characteristic=characteristic,
        state=state or ("answered" if codes else "prefer_not_to_say"),
        codes=codes,
        touchpoint=touchpoint,
        **extra,
    )
