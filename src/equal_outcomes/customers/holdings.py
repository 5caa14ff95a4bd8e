"""What is held about a customer, read from the data register's ``HOLDINGS``: the one place
erasure, the retention schedule and subject access learn which rows and fields are a person's.

A model added to the register with a link to a customer is erased, retained and exported
without anyone remembering to write code for it; ``tests/customers/test_holdings.py`` fails
when a model that points at a customer is not in ``HOLDINGS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet

from equal_outcomes.accounts.register import HOLDINGS, Holding, personal_fields

# The customer row itself is anonymised by erasure, not ended like the rows that hang off it.
PERSON = "customers.Customer"


def held_models() -> Iterator[tuple[str, type[models.Model], Holding]]:
    """Every model holding rows about one customer, the person's own row first."""
    for label, holding in HOLDINGS.items():
        yield label, apps.get_model(label), holding


def rows_of(model: type[models.Model], holding: Holding, customers: Any) -> QuerySet[Any]:
    """The rows of ``model`` about ``customers`` (a customer, or a queryset of them)."""
    many = isinstance(customers, QuerySet)
    lookup = holding.path or "pk"
    if not many and not holding.path:
        customers = customers.pk
    rows: QuerySet[Any] = model._default_manager.filter(
        **{f"{lookup}__in" if many else lookup: customers}
    )
    return rows


def _empty(field: models.Field[Any, Any]) -> Any:
    if field.null:
        return None
    if isinstance(field, models.BooleanField):
        return False
    return ""


def end(label: str, rows: QuerySet[Any], *, dry_run: bool = False) -> int:
    """Ends ``rows`` of the holding ``label`` as erasure and retention do: deletes them, or,
    for a holding kept for the record, empties their personal fields. Returns how many rows
    held something that is now gone (or, with ``dry_run``, would go)."""
    holding = HOLDINGS[label]
    if not holding.keep:
        return rows.count() if dry_run else rows.delete()[1].get(label, 0)
    fields = [rows.model._meta.get_field(name) for name in personal_fields(label)]
    count = 0
    # Row by row: encrypted fields cannot be compared in SQL, and each is saved through its
    # model so that it is written as the field writes it.
    for row in rows.only("pk", *[field.attname for field in fields]).iterator():
        filled = [field for field in fields if getattr(row, field.attname) != _empty(field)]
        if not filled:
            continue
        count += 1
        if not dry_run:
            for field in filled:
                setattr(row, field.attname, _empty(field))
            row.save(update_fields=[field.attname for field in filled])
    return count
