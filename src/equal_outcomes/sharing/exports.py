"""Exports of customers' profile data for authorised roles, as CSV or XLSX.

The columns are the canonical import columns (so an export can be corrected and re-imported),
holding stored codes. Restricted details (safe addresses, gender history) and support needs are
never exported. Every exported person is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from equal_outcomes.accounts.roles import can_export_profiles
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor, record_many
from equal_outcomes.core.spreadsheets import table_bytes
from equal_outcomes.customers.models import (
    AnswerState,
    CommunicationPreference,
    Customer,
    ProfileAnswer,
)
from equal_outcomes.customers.selectors import customers_visible_to
from equal_outcomes.imports.customers import ANSWER_COLUMNS

QUESTION_COLUMNS = {question: column for column, question in reversed(list(ANSWER_COLUMNS.items()))}
HEADERS = [
    "customer_ref",
    "customer_type",
    "household_ref",
    "property_ref",
    "area",
    "first_name",
    "last_name",
    "date_of_birth",
    *dict.fromkeys(QUESTION_COLUMNS.values()),
    "interpreter_needed",
    "preferred_format",
    "preferred_contact_method",
    "objects_to_monitoring",
]
CHUNK = 2000


def _rows(people: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        ids = [person.pk for person in chunk]
        answers: dict[int, dict[str, str]] = {}
        for answer in ProfileAnswer.objects.current().filter(customer_id__in=ids):
            if answer.characteristic in QUESTION_COLUMNS:
                shown = (
                    "prefer_not_to_say"
                    if answer.state == AnswerState.PREFER_NOT_TO_SAY
                    else answer.value
                )
                answers.setdefault(answer.customer_id, {})[
                    QUESTION_COLUMNS[answer.characteristic]
                ] = shown
        preferences = {
            p.customer_id: p for p in CommunicationPreference.objects.filter(customer_id__in=ids)
        }
        for person in chunk:
            home = person.household
            place = home.property if home else None
            held = answers.get(person.pk, {})
            preference = preferences.get(person.pk)
            yield [
                person.landlord_ref,
                person.customer_type,
                home.household_ref if home else "",
                place.property_ref if place else "",
                place.estate.area.code if place else "",
                person.first_name,
                person.last_name,
                person.date_of_birth,
                *(held.get(column, "") for column in dict.fromkeys(QUESTION_COLUMNS.values())),
                preference.interpreter_needed if preference else "",
                preference.preferred_format if preference else "",
                preference.preferred_contact_method if preference else "",
                person.objects_to_monitoring,
            ]


def customer_export(*, actor: Any, file_format: str) -> bytes:
    """Every customer the actor may see, with their current profile answers."""
    people_list = list(
        _people(actor).select_related("household__property__estate__area").order_by("landlord_ref")
    )
    content = table_bytes(HEADERS, _rows(people_list), file_format, title="Customers")
    record_many(
        actor=actor,
        action=AuditAction.EXPORT,
        target_type="customer",
        target_ids=[person.public_id for person in people_list],
        section="profile",
        purpose=f"customer export ({file_format})",
    )
    Auditor.record(
        actor=actor,
        action=AuditAction.EXPORT,
        target_type="export",
        target_id="customers",
        purpose=f"{len(people_list)} customers as {file_format}",
    )
    return content


def _people(actor: Any) -> QuerySet[Customer]:
    """Whom the actor may export. The command line runs with the installation's own authority."""
    if isinstance(actor, str):
        return Customer.objects.filter(erased_at__isnull=True)
    if not can_export_profiles(actor.role):
        raise PermissionDenied
    return customers_visible_to(actor)
