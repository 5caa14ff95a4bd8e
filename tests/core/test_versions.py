"""No lost updates: of two people saving edits made from the same version of a record, exactly
one wins and the other is told what is held now (on SQLite and PostgreSQL: the suite runs on
both)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from equal_outcomes.assessment.models import Action
from equal_outcomes.core.versions import StaleEdit, versioned_save
from equal_outcomes.customers.models import Customer
from equal_outcomes.imports.customers import import_customers
from tests.auth import signed_in
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def version_in(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the form carries the record's version"
    return found.group(1)


def correction(version: str, **changes: str) -> dict[str, str]:
    return {"first_name": "Alice", "last_name": "Jones", "email": "", "phone": "",
            "date_of_birth": "", "reason": "The customer phoned to say", "version": version,
            **changes}  # fmt: skip


def test_two_advisors_correcting_one_customer_only_the_first_save_wins() -> None:
    customer = CustomerFactory(first_name="Alice", last_name="Jones")
    url = reverse("privacy:correct", args=[customer.public_id])
    first = signed_in(UserFactory(role=Role.ADVISOR))
    second = signed_in(UserFactory(role=Role.ADVISOR))
    seen_by_first = version_in(first.get(url).content.decode())
    seen_by_second = version_in(second.get(url).content.decode())
    assert seen_by_first == seen_by_second

    saved = first.post(url, correction(seen_by_first, last_name="Jones-Evans"))
    assert saved.status_code == 302
    refused = second.post(url, correction(seen_by_second, last_name="Jonas"))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved this record after you opened it" in page
    assert "Last name: now “Jones-Evans”" in page
    assert Customer.objects.get(pk=customer.pk).last_name == "Jones-Evans"

    # Having seen the other change, saving again is deliberate, and stands.
    again = second.post(url, correction(version_in(page), last_name="Jonas"))
    assert again.status_code == 302
    assert Customer.objects.get(pk=customer.pk).last_name == "Jonas"


def test_an_import_after_the_form_was_opened_is_not_overwritten(tmp_path: Path) -> None:
    customer = CustomerFactory(landlord_ref="000123", first_name="Alice", last_name="Jones")
    url = reverse("privacy:correct", args=[customer.public_id])
    advisor = signed_in(UserFactory(role=Role.ADVISOR))
    seen = version_in(advisor.get(url).content.decode())
    export = tmp_path / "hms.csv"
    export.write_text("customer_ref,first_name,last_name\n000123,Alice,Smith\n")
    assert import_customers(export, actor="system:test").updated == 1
    refused = advisor.post(url, correction(seen, phone="01234 567890"))
    assert "Last name: now “Smith”" in refused.content.decode()
    assert Customer.objects.get(pk=customer.pk).last_name == "Smith"


def test_two_leads_changing_one_action_only_the_first_save_wins(lead: Any) -> None:
    action = Action.objects.create(
        title="Train staff", owner="HR", due_on=dt.date(2027, 3, 31), created_by=lead
    )
    url = reverse("assessment:action", args=[action.pk])
    first, second = signed_in(lead), signed_in(UserFactory(role=Role.EQUALITY_LEAD))
    seen = version_in(first.get(url).content.decode())
    form = {"title": "Train staff", "owner": "HR", "due_on_0": "31", "due_on_1": "3",
            "due_on_2": "2027", "status": "in_progress", "version": seen}  # fmt: skip
    assert first.post(url, {**form, "owner": "People team"}).status_code == 302
    refused = second.post(url, {**form, "owner": "Equality lead"})
    assert "Owner: now “People team”" in refused.content.decode()
    assert Action.objects.get(pk=action.pk).owner == "People team"


def test_a_stale_save_in_code_raises_and_names_the_changed_fields() -> None:
    customer = CustomerFactory(first_name="Alice")
    mine = Customer.objects.get(pk=customer.pk)
    theirs = Customer.objects.get(pk=customer.pk)
    theirs.first_name = "Alys"
    versioned_save(theirs, theirs.version)
    mine.phone = "0800 000 000"
    with pytest.raises(StaleEdit) as raised:
        versioned_save(mine, mine.version)
    assert ("First name", "Alys") in raised.value.changes
    assert Customer.objects.get(pk=customer.pk).phone == ""


def test_a_race_lost_outside_an_edit_form_answers_409_not_500(rf: Any) -> None:
    from concurrency.exceptions import RecordModifiedError
    from concurrency.middleware import ConcurrencyMiddleware

    customer = CustomerFactory()
    request = rf.get("/")
    request.user = UserFactory(role=Role.ADVISOR)
    response = ConcurrencyMiddleware(lambda r: None).process_exception(
        request, RecordModifiedError("changed", target=customer)
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
