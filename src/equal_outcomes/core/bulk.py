"""Fast inserts of many rows for imports, without building a model instance per row.

The ORM's ``bulk_create`` compiles every value through each field's generic preparation, which
costs more than the database write. ``insert_rows`` prepares values with one adapter per column
(encrypting encrypted columns exactly as ``EncryptedTextField`` does) and sends batches with
``executemany``, on SQLite and PostgreSQL alike. Call it inside a transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection, models

from equal_outcomes.core.crypto import keyring
from equal_outcomes.core.fields import EncryptedTextField

BATCH = 5000


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        ring, context = keyring(), field.context
        return lambda value: ring.encrypt(str(value), context) if value not in (None, "") else value
    if isinstance(field, models.DateTimeField):
        return lru_cache(maxsize=65_536)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return lru_cache(maxsize=65_536)(ops.adapt_datefield_value)
    if isinstance(field, models.UUIDField):
        return lambda value: field.get_db_prep_value(value, connection)
    return lambda value: value


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Inserts ``rows`` (tuples in the order of ``fields``) into ``model``'s table."""
    meta = model._meta
    columns: list[Any] = [meta.get_field(name) for name in fields]
    adapters = [_adapter(field) for field in columns]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([adapt(value) for adapt, value in zip(adapters, row, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def refresh_statistics(*models_: type[models.Model]) -> None:
    """Tells the query planner how big tables have become after a bulk load.

    Without this, PostgreSQL plans queries inside the loading transaction (and until autovacuum
    catches up) as if the tables were empty, and can choose joins that take minutes. SQLite
    gets its cheap ``PRAGMA optimize``.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
