"""No lost updates: optimistic locking for every record people edit.

Each editable model has a ``version`` (django-concurrency's ``AutoIncVersionField``): saving
writes ``UPDATE ... WHERE pk = %s AND version = <the version the editor started from>`` and
increments it, so of two people saving edits made from the same version exactly one succeeds,
on SQLite and PostgreSQL alike. Edit forms carry the version they were drawn with in a hidden
field; a save from a stale version raises ``StaleEdit`` naming each field whose stored value
now differs from what the editor entered, which the page shows in its error summary. The form
then carries the new version, so saving again (having seen the other change) is deliberate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from concurrency.exceptions import RecordModifiedError
from concurrency.fields import AutoIncVersionField
from django import forms
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["RecordModifiedError", "StaleEdit", "VersionField", "stale_message", "versioned_save"]


def VersionField() -> Any:
    return AutoIncVersionField(gettext_lazy("version"), default=0)


class StaleEdit(Exception):
    """Someone saved the record after this editor opened it."""

    def __init__(self, changes: list[tuple[str, str]], version: int) -> None:
        super().__init__("the record was changed by someone else")
        self.changes = changes
        self.version = version


def _shown(instance: models.Model, name: str) -> str:
    display = getattr(instance, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(instance, name)
    return "—" if value in (None, "") else str(value)


def versioned_save(
    instance: models.Model, seen: int | None, fields: Iterable[str] | None = None
) -> None:
    """Saves ``instance`` (only ``fields``, if given) if nobody has saved it since version
    ``seen``; otherwise raises ``StaleEdit``. ``seen`` None (no version in the request, as from
    the API or a command) saves against the version loaded."""
    if seen is not None:
        instance.version = seen  # type: ignore[attr-defined]
    names = list(fields) if fields is not None else None
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            instance.save(update_fields=[*names, "version"] if names is not None else None)
    except RecordModifiedError:
        fresh = type(instance)._default_manager.get(pk=instance.pk)
        compared = names or [
            f.name for f in instance._meta.concrete_fields
            if f.editable and not f.primary_key and f.name != "version"
        ]  # fmt: skip
        changes = [
            (
                str(getattr(instance._meta.get_field(name), "verbose_name", name)).capitalize(),
                _shown(fresh, name),
            )
            for name in compared
            if getattr(fresh, name) != getattr(instance, name)
        ]
        raise StaleEdit(changes, fresh.version) from None  # type: ignore[attr-defined]


class VersionedForm(forms.Form):
    """A form carrying the version of the record it was drawn from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def stale_message(error: StaleEdit) -> str:
    changed = "; ".join(
        _("%(label)s: now “%(value)s”") % {"label": label, "value": value}
        for label, value in error.changes
    )
    return _(
        "Someone else saved this record after you opened it, so your changes were not saved. "
        "%(changed)s Check what is held now and save again if your changes should stand."
    ) % {"changed": (changed + ".") if changed else ""}


def redraw(form: forms.Form, error: StaleEdit) -> forms.Form:
    """The submitted form again, with the error and the record's current version."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix("version")] = str(error.version)
    form.data = data
    form.add_error(None, stale_message(error))
    return form
