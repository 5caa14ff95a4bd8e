"""Model fields that encrypt their values at rest (see ``core.crypto``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from equal_outcomes.core.crypto import MIN_PADDED_BYTES, keyring


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as an AES-GCM token bound to this column.

    Encrypted values cannot be searched or compared in SQL: only ``isnull`` lookups work. Empty
    strings are stored as empty strings, so "no value" stays distinguishable without decrypting.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, pad_to: int = MIN_PADDED_BYTES, **kwargs: Any) -> None:
        """``pad_to``: the smallest padded size in bytes; a column of codes sets it above its
        longest value, so that every token in it has the same length."""
        self.pad_to = pad_to
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.pad_to != MIN_PADDED_BYTES:
            kwargs["pad_to"] = self.pad_to
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return keyring().encrypt(str(value), self.context, self.pad_to)

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            return value
        return keyring().decrypt(value, self.context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"encrypted field {self.name} cannot be filtered with __{lookup_name}")
        return super().get_lookup(lookup_name)
