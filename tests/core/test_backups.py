"""Backup and restore, on whichever database the suite runs on (SQLite and PostgreSQL in CI):
every record and every encrypted value comes back equal, and damaged or foreign backups are
refused without touching what is held."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from equal_outcomes.core.crypto import KeyRing, install_keyring, keyring
from equal_outcomes.customers.models import Customer, ProfileAnswer
from equal_outcomes.insight.snapshot import build_snapshot, store_path
from equal_outcomes.operations.backups import BackupError, backup, restore, verify
from equal_outcomes.operations.keys import encrypted_fields
from equal_outcomes.workforce.models import StaffMember
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db(transaction=True)


def everything() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, with encrypted fields decrypted, in a comparable form."""
    found = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        found[model._meta.label] = sorted(
            (tuple(str(v) for v in row) for row in model._default_manager.values_list(*names)),
        )
    return found


@pytest.fixture
def held(db: Any) -> None:
    for number in range(5):
        customer = CustomerFactory(landlord_ref=f"C{number:03d}")
        record_answer(
            "system:test", customer, "ethnicity", "asian_indian" if number % 2 else "white_british"
        )
        record_answer("system:test", customer, "religion", "sikh")
    member = StaffMember(reference="E001", body="staff", started_on=dt.date(2020, 1, 1))
    member.set_answers({"sex": "female", "disability": "yes"})
    member.save()
    build_snapshot(actor="system:test")


def test_a_backup_restores_every_record_and_encrypted_value(held: None, tmp_path: Path) -> None:
    before = everything()
    assert sum(len(rows) for rows in before.values()) > 20
    assert any(names for _model, names in encrypted_fields())
    snapshot = store_path().read_bytes()
    report = backup(tmp_path / "backups", actor="system:test")
    assert report.path.exists()
    assert "white_british" not in report.path.read_bytes().decode("latin-1")

    # Things change (and go wrong) after the backup ...
    Customer.objects.filter(landlord_ref="C000").delete()
    for answer in ProfileAnswer.objects.filter(characteristic="religion"):
        answer.value = "christian"
        answer.save()
    StaffMember.objects.all().delete()
    store_path().unlink()

    restore(report.path, actor="system:test")
    after = everything()
    audit = "audit.AuditEvent", "audit.AuditHead"
    assert {k: v for k, v in after.items() if k not in audit} == {
        k: v for k, v in before.items() if k not in audit
    }
    assert ProfileAnswer.objects.filter(characteristic="religion").first().value == "sikh"
    assert StaffMember.objects.get().answers == {"disability": "yes", "sex": "female"}
    assert store_path().read_bytes() == snapshot
    # ... and the app still writes afterwards.
    CustomerFactory(landlord_ref="C999")
    assert Customer.objects.filter(landlord_ref="C999").exists()


def test_a_damaged_or_truncated_backup_is_refused_and_nothing_changes(
    held: None, tmp_path: Path
) -> None:
    report = backup(tmp_path / "b.backup", actor="system:test")
    data = bytearray(report.path.read_bytes())
    damaged = tmp_path / "damaged.backup"
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(report.path.read_bytes()[:-100])
    customers = Customer.objects.count()
    for bad in (damaged, truncated):
        with pytest.raises(BackupError, match="damaged"):
            restore(bad, actor="system:test")
    assert Customer.objects.count() == customers
    assert verify(report.path)["rows"]["customers.Customer"] == customers


def test_a_backup_needs_the_key_it_was_made_with(held: None, tmp_path: Path) -> None:
    report = backup(tmp_path / "b.backup", actor="system:test")
    original = keyring()
    install_keyring(KeyRing.generate())
    try:
        with pytest.raises(BackupError, match=f"made with key {original.primary}"):
            verify(report.path)
    finally:
        install_keyring(original)


def test_the_commands_write_check_and_restore(held: None, tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "night.backup"
    call_command("backup", str(target))
    assert "read it back and checked it" in capsys.readouterr().out
    call_command("backup", str(target), "--check")
    assert "a good" in capsys.readouterr().out
    call_command("restore", str(target), "--yes")
    assert "Restored the backup" in capsys.readouterr().out
