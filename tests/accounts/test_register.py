"""The data register covers every stored field, and its sensitive classes are encrypted."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command

from equal_outcomes.accounts.register import ENCRYPTED_CLASSES, FIELDS, register
from equal_outcomes.core.fields import EncryptedTextField


def stored_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]
    }


def test_every_stored_field_is_in_the_data_register() -> None:
    missing = stored_fields() - {entry.label for entry in register()}
    assert not missing, f"add these fields to accounts/register.py: {sorted(missing)}"


def test_the_register_names_no_field_that_does_not_exist() -> None:
    stale = {entry.label for entry in register()} - stored_fields()
    assert not stale


def test_no_field_is_registered_twice() -> None:
    labels = [entry.label for entry in register()]
    assert len(labels) == len(set(labels))


def test_every_special_category_vulnerability_and_restricted_field_is_encrypted() -> None:
    for entry in register():
        if entry.data_class in ENCRYPTED_CLASSES:
            field = apps.get_model(entry.model)._meta.get_field(entry.field)
            assert isinstance(field, EncryptedTextField), entry.label


def test_contractors_and_boards_may_read_nothing_special_or_vulnerable() -> None:
    for entry in register():
        if entry.data_class in ENCRYPTED_CLASSES:
            assert not {"contractor", "board", "partner", "administrator"} & entry.policy.read


def test_special_category_fields_name_an_article_9_condition() -> None:
    for entry in register():
        if entry.data_class in ENCRYPTED_CLASSES:
            assert "Art. 9(2)" in entry.policy.condition, entry.label
        assert entry.policy.retention, entry.label


def test_the_register_command_prints_every_field(capsys: object) -> None:
    call_command("register", format="csv")
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "customers.SupportNeed.need,vulnerability" in out
    assert len(out.strip().splitlines()) == len(register()) + 1
    assert set(FIELDS) == {model._meta.label for model in apps.get_models()}
