"""A data migration's step: bind values written before row binding to their row's owner.

Tokens written before (``eo2``, ``eo1``) are read with the column's key and written again as
``eo3`` tokens that carry the owner's id (see ``core.crypto``). Run by the migrations that add
``bind`` to a field; safe to run twice (bound values are left as they are).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from equal_outcomes.core.crypto import BOUND_PREFIX, Bound, keyring


def bind_existing(
    app_label: str, model_name: str, fields: list[str], bind: str
) -> Callable[..., None]:
    """A ``RunPython`` function that binds ``fields`` of ``app_label.model_name`` to ``bind``
    (a column, ``customer_id``)."""

    def run(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        ring = keyring()
        with connection.cursor() as cursor:
            for name in fields:
                field = model._meta.get_field(name)
                context = f"{app_label}.{model_name.lower()}.{name}"
                column = quote(field.column)
                cursor.execute(
                    f"SELECT {pk}, {quote(bind)}, {column} FROM {table} "  # noqa: S608
                    f"WHERE {column} <> '' AND {column} NOT LIKE %s",
                    [f"{BOUND_PREFIX}:%"],
                )
                for key, owner, token in cursor.fetchall():
                    value = ring.decrypt(token, context)
                    sealed = ring.encrypt(Bound(str(value), owner), context, field.pad_to)
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                        [sealed, key],
                    )

    return run
