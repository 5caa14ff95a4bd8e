"""Key rotation: re-encrypt every encrypted value with a new key, then retire the old ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.crypto import KeyRing, install_keyring, keyring
from equal_outcomes.core.fields import EncryptedTextField

BATCH = 2000


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def raw_tokens(model: type[models.Model], field_name: str) -> list[str]:
    """The stored (encrypted) values of one column, read without decrypting."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    column = field.column
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall() if row[0]]


@dataclass(frozen=True)
class RotationResult:
    new_key: str
    retired: list[str]
    values: int


def _rewrite_stragglers(ring: KeyRing) -> int:
    """Re-encrypt with ``ring``'s primary every value still under another key of ``ring``:
    values another process encrypted under the old primary before it saw the rotation, and
    committed after the rotation had read its rows."""
    count = 0
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, names in encrypted_fields():
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            for name in names:
                field = model._meta.get_field(name)
                assert isinstance(field, EncryptedTextField)
                column = quote(field.column)
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} WHERE {column} <> '' "  # noqa: S608
                    f"AND {column} NOT LIKE %s",
                    [f"eo_:{ring.primary}:%"],
                )
                for key, token in cursor.fetchall():
                    value = ring.decrypt(token, field.context)
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                        [ring.encrypt(value, field.context, field.pad_to), key],
                    )
                    count += 1
    return count


def rotate_keys(*, actor: Any, keep_old: bool = False) -> RotationResult:
    """Add a new primary key, re-encrypt every value with it and (unless asked not to) retire
    the old keys. Until re-encryption commits, the old keys stay in the ring, so a failure at
    any point leaves every value readable.

    Other processes (the web server, the task worker) read the key file again as soon as it
    changes, so from the moment the new ring is saved they encrypt with the new key. A value one
    of them encrypted just before and committed after the rows were read is found and rewritten
    twice: before the old keys are retired, and again after (with the old keys still held here).
    """
    old = keyring()
    new = old.with_new_primary()
    install_keyring(new)
    count = 0
    with transaction.atomic():
        for model, names in encrypted_fields():
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                rows = list(
                    model._default_manager.filter(pk__in=pks[start : start + BATCH]).only(
                        "pk", *names
                    )
                )
                model._default_manager.bulk_update(rows, names)
                count += len(rows) * len(names)
        count += _rewrite_stragglers(new)
        Auditor.record(
            actor=actor,
            action=AuditAction.ROTATE_KEYS,
            target_type="keyring",
            target_id=new.primary,
        )
    retired = [] if keep_old else [key for key in old.keys if key != new.primary]
    if not keep_old:
        install_keyring(new.only_primary())
        count += _rewrite_stragglers(new)
    return RotationResult(new_key=new.primary, retired=retired, values=count)
