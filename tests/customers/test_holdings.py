"""Erasure, retention and subject access are driven by the data register: for every model the
register says holds something about a customer, and every personal field in it, erasure and
the retention schedule leave nothing, and subject access shows it.

Rows are built from the register itself (every personal text field gets a marker of its own),
so a model or field added to the register is covered without anyone writing a test for it.
"""

from __future__ import annotations

import datetime as dt
import json
from itertools import count
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from equal_outcomes.accounts.register import HOLDINGS, personal_fields
from equal_outcomes.customers import holdings
from equal_outcomes.customers.models import Customer, Tenancy
from equal_outcomes.privacy import rights
from equal_outcomes.privacy.dsar import restricted_part_data, subject_access_data
from equal_outcomes.privacy.retention import retention_run
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MARKS = count(1)


def _agreement(lead: Any) -> Any:
    return apps.get_model("sharing", "Agreement").objects.create(
        partner="Care and Repair", kind="support", purpose="support", lawful_basis="consent",
        fields=["address"], starts_on=dt.date(2026, 1, 1), expires_on=dt.date(2030, 1, 1),
        review_on=dt.date(2027, 1, 1), created_by=lead,
    )  # fmt: skip


def _value(field: models.Field[Any, Any], label: str, customer: Customer, lead: Any) -> Any:
    """A value for one field of a new row: a marker for personal text, something valid
    otherwise."""
    if field.is_relation:
        target = field.related_model._meta.label  # type: ignore[union-attr]
        if target == "customers.Customer":
            return customer
        if target == "accounts.User":
            return lead
        if target == "sharing.Agreement":
            return _agreement(lead)
        if target == "customers.Property":
            return customer.household.property
        return None
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.DateTimeField):
        return timezone.now() + dt.timedelta(days=1)
    if isinstance(field, models.DateField):
        return timezone.localdate() + dt.timedelta(days=1)
    if isinstance(field, models.JSONField):
        return []
    if isinstance(field, models.CharField | models.TextField):
        return f"zq{next(MARKS):03d}" if field.name in personal_fields(label) else "x"
    return None


def hold_everything(customer: Customer, lead: Any) -> dict[str, str]:
    """One row of every holding about ``customer``; returns each marker with the field it is
    in."""
    marks = {}
    for label, model, holding in holdings.held_models():
        if label == holdings.PERSON:
            continue
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in {"version"} or getattr(field, "auto_now", False):
                continue
            if getattr(field, "auto_now_add", False) or field.name == "public_id":
                continue
            value = _value(field, label, customer, lead)
            if value is None and not field.null and not field.has_default():
                pytest.fail(f"teach hold_everything how to fill {label}.{field.name}")
            if value is not None:
                values[field.name] = value
        if label == "customers.EmergencyAccess":
            values["granted_at"] = timezone.now()
        if label == "customers.Correction":
            pass
        row = model.objects.create(**values)
        assert holdings.rows_of(model, holding, customer).filter(pk=row.pk).exists(), label
        marks.update(
            {value: f"{label}.{name}" for name, value in values.items() if str(value)[:2] == "zq"}
        )
    return marks


def _empty(row: Any, label: str) -> list[str]:
    """The personal fields of ``row`` that still hold something."""
    left = []
    for name in personal_fields(label):
        value = getattr(row, row._meta.get_field(name).attname)
        if value not in (None, "", False, [], {}):
            left.append(f"{label}.{name}")
    return left


def left_behind(customer: Customer, *, person: bool) -> list[str]:
    left = []
    for label, model, holding in holdings.held_models():
        if label == holdings.PERSON and not person:
            continue
        for row in holdings.rows_of(model, holding, customer):
            if label == holdings.PERSON:
                assert row.landlord_ref.startswith("erased-")
                row.landlord_ref = ""
            left += _empty(row, label)
    return left


@pytest.fixture
def held(lead: Any) -> tuple[Customer, dict[str, str]]:
    customer = CustomerFactory(user=apps.get_model("accounts", "User").objects.create(
        username="tenant-to-erase", role="tenant", email="t@example.org"))  # fmt: skip
    return customer, hold_everything(customer, lead)


def test_every_model_that_points_at_a_customer_is_in_the_register_holdings() -> None:
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Customer
    }
    assert pointing <= set(HOLDINGS), f"add to HOLDINGS: {sorted(pointing - set(HOLDINGS))}"


def test_every_holding_is_filled_by_the_fixture(held: tuple[Customer, dict[str, str]]) -> None:
    customer, marks = held
    for label, model, holding in holdings.held_models():
        assert holdings.rows_of(model, holding, customer).exists(), label
    expected = {
        f"{label}.{name}"
        for label in HOLDINGS
        if label != holdings.PERSON
        for name in personal_fields(label)
        if isinstance(
            apps.get_model(label)._meta.get_field(name), models.CharField | models.TextField
        )
        and not apps.get_model(label)._meta.get_field(name).choices
    }
    assert expected <= set(marks.values())


def test_erasure_leaves_no_personal_field_of_any_holding(
    held: tuple[Customer, dict[str, str]], lead: Any
) -> None:
    customer, _ = held
    assert left_behind(customer, person=False), "the fixture holds something to erase"
    rights.customer_erase(actor=lead, customer=customer, reason="Article 17 request DP-42")
    customer.refresh_from_db()
    assert left_behind(customer, person=True) == []
    account = apps.get_model("accounts", "User").objects.get(username__startswith="erased-")
    assert (account.email, account.is_active, account.has_usable_password()) == ("", False, False)


def test_retention_ends_everything_held_about_a_former_customer_but_their_name(
    held: tuple[Customer, dict[str, str]],
) -> None:
    customer, _ = held
    Tenancy.objects.create(
        tenancy_ref="T-GONE", household=customer.household, property=customer.household.property,
        start_date=dt.date(2010, 1, 1), end_date=dt.date(2015, 1, 1),
    )  # fmt: skip
    retention_run(dry_run=False)
    assert left_behind(customer, person=False) == []
    customer.refresh_from_db()
    assert customer.first_name, "names and contact details follow the housing system's schedule"


def test_every_dated_rule_ends_its_rows_before_the_person_leaves(
    held: tuple[Customer, dict[str, str]],
) -> None:
    customer, _ = held

    def long_ago(field: models.Field[Any, Any], days: int) -> Any:
        when = timezone.now() - dt.timedelta(days=days)
        return when if isinstance(field, models.DateTimeField) else when.date()

    dated = set()
    for label, model, holding in holdings.held_models():
        for _rule, name in holding.rules:
            # Every date of the row long ago (the date the rule counts from last), so that
            # rows keep their own order of dates.
            dates = {
                field.name: long_ago(field, 4001)
                for field in model._meta.concrete_fields
                if isinstance(field, models.DateField) and not getattr(field, "auto_now", False)
            }
            dates[name] = long_ago(model._meta.get_field(name), 4000)
            holdings.rows_of(model, holding, customer).update(**dates)
            dated.add(label)
    assert dated
    retention_run(dry_run=False)
    left = [item for item in left_behind(customer, person=False) if item.rsplit(".", 1)[0] in dated]
    assert left == []


def test_subject_access_shows_every_personal_field_held(
    held: tuple[Customer, dict[str, str]],
) -> None:
    customer, marks = held
    export = json.dumps(subject_access_data(customer)) + json.dumps(restricted_part_data(customer))
    missing = sorted(field for mark, field in marks.items() if mark not in export)
    assert missing == []
    for holding in HOLDINGS.values():
        assert holding.section in subject_access_data(customer), holding.section
