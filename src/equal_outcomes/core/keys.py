"""Key rotation: re-encrypt every encrypted value with a new key, then retire the old ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

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


def rotate_keys(*, actor: Any, keep_old: bool = False) -> RotationResult:
    """Add a new primary key, re-encrypt every value with it and (unless asked not to) retire
    the old keys. Until re-encryption commits, the old keys stay in the ring, so a failure at
    any point leaves every value readable."""
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
        leftovers = [
            token
            for model, names in encrypted_fields()
            for name in names
            for token in raw_tokens(model, name)
            if KeyRing.key_id_of(token) != new.primary
        ]
        if leftovers:
            raise RuntimeError(f"{len(leftovers)} values were not re-encrypted; old keys kept")
        Auditor.record(
            actor=actor, action="rotate_keys", target_type="keyring", target_id=new.primary
        )
    retired = [] if keep_old else [key for key in old.keys if key != new.primary]
    if not keep_old:
        install_keyring(new.only_primary())
    return RotationResult(new_key=new.primary, retired=retired, values=count)
