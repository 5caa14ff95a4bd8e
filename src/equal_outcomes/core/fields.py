"""Model fields that encrypt their values at rest (see ``core.crypto``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from equal_outcomes.core.crypto import MIN_PADDED_BYTES, Bound, DecryptionError, keyring


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as an AES-GCM token bound to this column.

    Encrypted values cannot be searched or compared in SQL: only ``isnull`` lookups work. Empty
    strings are stored as empty strings, so "no value" stays distinguishable without decrypting.

    With ``bind`` (the attribute naming the row's owner, ``"customer_id"``), each value is also
    bound to its row's owner: written through the model (``save``, ``bulk_create``), it is sealed
    with the owner's id, and a model loaded with a value sealed for another owner raises
    ``DecryptionError``. A bound column cannot be set by ``QuerySet.update`` (there is no row
    to bind to), except to empty it.
    """

    description = "Text encrypted at rest"

    def __init__(
        self, *args: Any, pad_to: int = MIN_PADDED_BYTES, bind: str = "", **kwargs: Any
    ) -> None:
        """``pad_to``: the smallest padded size in bytes; a column of codes sets it above its
        longest value, so that every token in it has the same length. ``bind``: see above."""
        self.pad_to = pad_to
        self.bind = bind
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.pad_to != MIN_PADDED_BYTES:
            kwargs["pad_to"] = self.pad_to
        if self.bind:
            kwargs["bind"] = self.bind
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        if self.bind and value not in (None, ""):
            return Bound(str(value), getattr(model_instance, self.bind))
        return value

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"
        if self.bind and not cls._meta.abstract:
            bound = cls.__dict__.get("_bound_fields", ())
            cls._bound_fields = (*bound, self)  # type: ignore[attr-defined]
            models.signals.post_init.connect(check_bindings, sender=cls, weak=False)

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        bound = value if isinstance(value, Bound) else None
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        if self.bind and bound is None:
            raise ValueError(
                f"{self.context} is bound to its row's {self.bind}: write it through the model "
                "(save or bulk_create), not QuerySet.update"
            )
        return keyring().encrypt(bound if bound is not None else str(value), self.context,
                                 self.pad_to)  # fmt: skip

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            return value
        plain = keyring().decrypt(value, self.context)
        if self.bind and not isinstance(plain, Bound):
            raise DecryptionError(f"a value in {self.context} is not bound to its row")
        return plain

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"encrypted field {self.name} cannot be filtered with __{lookup_name}")
        return super().get_lookup(lookup_name)


def check_bindings(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """On every model instance made (``post_init``): a bound value read from the database
    belongs to this row's owner, or it was moved here from another row."""
    for field in getattr(sender, "_bound_fields", ()):
        value = instance.__dict__.get(field.attname)
        owner = instance.__dict__.get(field.bind)
        if isinstance(value, Bound) and field.bind in instance.__dict__ and value.to != str(owner):
            raise DecryptionError(f"a value in {field.context} belongs to another row")
