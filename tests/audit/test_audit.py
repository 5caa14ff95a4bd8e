"""The audit log: written by services, holds no values, and tampering is detected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.audit.services import Auditor, verify_chain
from equal_outcomes.customers.selectors import customer_record
from equal_outcomes.privacy import rights
from tests.factories import CustomerFactory, SupportNeedFactory, record_answer

pytestmark = pytest.mark.django_db


def some_events(n: int = 5) -> list[AuditEvent]:
    return [
        Auditor.record(actor="system:test", action="view", target_type="customer", target_id=i)
        for i in range(n)
    ]


def tamper(sql: str, params: list[Any]) -> None:
    """What someone with direct database access might do: lift the append-only guard, edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only_update")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run pending foreign-key checks
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)


def test_an_untouched_log_verifies() -> None:
    some_events()
    result = verify_chain()
    assert result.intact
    assert result.entries == 5


def test_the_database_refuses_to_edit_an_audit_row() -> None:
    event = some_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing")


def test_verify_names_an_edited_row() -> None:
    events = some_events()
    tamper("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["someone", events[2].id])
    problems = verify_chain().problems
    assert [(p.event_id, p.problem.split(":")[0]) for p in problems] == [(events[2].id, "edited")]


def test_verify_names_the_row_after_a_deleted_one() -> None:
    events = some_events()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    problems = verify_chain().problems
    assert [p.event_id for p in problems] == [events[2].id]
    assert "deleted" in problems[0].problem


def test_verify_notices_the_newest_rows_deleted() -> None:
    events = some_events()
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].id])
    problems = verify_chain().problems
    assert len(problems) == 1
    assert "2 row(s) missing from the end" in str(problems[0])


def test_verify_names_reordered_rows() -> None:
    events = some_events()
    a, b = events[1], events[3]
    columns = [
        "at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "previous_hash",
        "entry_hash",
    ]
    tamper("UPDATE audit_auditevent SET entry_hash = %s WHERE id = %s", ["x" * 64, a.id])
    tamper("UPDATE audit_auditevent SET entry_hash = %s WHERE id = %s", ["y" * 64, b.id])
    for source, target in ((b, a), (a, b)):
        values = [getattr(source, c) for c in columns]
        sets = ", ".join(f"{c} = %s" for c in columns)
        tamper(f"UPDATE audit_auditevent SET {sets} WHERE id = %s", [*values, target.id])  # noqa: S608
    problems = verify_chain().problems
    assert any(p.event_id == a.id and "out of order" in p.problem for p in problems)


def test_the_verify_command_exits_1_and_says_which_row(capsys: Any) -> None:
    events = some_events()
    call_command("audit", "verify")
    assert "intact: 5 entries" in capsys.readouterr().out
    tamper("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["edited", events[0].id])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"row {events[0].id}: edited" in capsys.readouterr().err


def test_sensitive_reads_and_changes_are_audited_without_their_values(
    lead: Any, officer: Any
) -> None:
    customer = CustomerFactory(first_name="Aisha", last_name="Okafor")
    record_answer(lead, customer, "sexual_orientation", "bisexual")
    record_answer(lead, customer, "religion", "muslim")
    SupportNeedFactory(customer=customer, need="domestic_abuse", details="Fled partner in May")
    rights.customer_correct(
        actor=lead,
        customer=customer,
        changes={"last_name": "Okafor-Bello"},
        reason="customer asked us to correct the spelling",
    )
    rights.restricted_details_record(
        actor=officer, customer=customer, safe_address="Refuge, 1 Hidden Lane", gender_history=""
    )
    customer_record(user=lead, customer=customer, purpose="test")
    sections = set(
        AuditEvent.objects.filter(target_id=str(customer.public_id)).values_list(
            "action", "section"
        )
    )
    assert {
        ("change", "profile.sexual_orientation"),
        ("change", "profile.religion"),
        ("correct", "last_name"),
        ("change", "restricted"),
        ("view", "profile"),
        ("view", "support_needs"),
    } <= sections
    everything = " ".join(
        " ".join(str(v) for v in row)
        for row in AuditEvent.objects.values_list(
            "actor_label", "action", "target_type", "target_id", "section", "purpose"
        )
    ).lower()
    for secret in ("bisexual", "muslim", "domestic_abuse", "fled", "okafor", "refuge", "hidden"):
        assert secret not in everything


def test_the_chain_stays_whole_across_many_writers_in_turn() -> None:
    some_events(50)
    for _ in range(3):
        with transaction.atomic():
            Auditor.record(actor="system:test", action="view", target_type="t", target_id=1)
    assert verify_chain().intact
    assert AuditEvent.objects.filter(at__gte=timezone.now() - dt.timedelta(minutes=1)).count() == 53


def test_verify_names_a_row_whose_actor_was_changed(lead: Any, advisor: Any) -> None:
    """Issue 25, finding 13: the hash left the acting user's id out, so an entry could be moved
    from one member of staff to another unnoticed."""
    events = [
        Auditor.record(actor=lead, action="view", target_type="customer", target_id=n)
        for n in range(3)
    ]
    tamper("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [advisor.pk, events[1].id])
    problems = verify_chain().problems
    assert [(p.event_id, p.problem.split(":")[0]) for p in problems] == [(events[1].id, "edited")]


def test_entries_hashed_before_the_upgrade_still_verify(lead: Any) -> None:
    """A log written before hashes covered the actor: its entries verify as they were written,
    and every entry from the upgrade's marker on is checked with the actor's id."""
    from equal_outcomes.audit.services import EARLIER_FIELDS, MARKER_ACTION, _digest

    earlier = Auditor.record(actor=lead, action="view", target_type="customer", target_id=1)
    fields = {name: getattr(earlier, name) for name in EARLIER_FIELDS}
    fields["at"] = earlier.at.isoformat()
    tamper(
        "UPDATE audit_auditevent SET entry_hash = %s WHERE id = %s",
        [_digest(earlier.previous_hash, fields), earlier.id],
    )
    tamper("UPDATE audit_audithead SET entry_hash = %s", [_digest(earlier.previous_hash, fields)])
    assert not verify_chain().intact, "without the upgrade's marker, every entry needs the actor"
    marker_migration = __import__(
        "equal_outcomes.audit.migrations.0006_hash_the_actor", fromlist=["mark"]
    )
    from django.apps import apps

    marker_migration.mark(apps, None)
    Auditor.record(actor=lead, action="view", target_type="customer", target_id=2)
    assert verify_chain().intact
    assert AuditEvent.objects.filter(action=MARKER_ACTION).count() == 1


@pytest.mark.django_db
def test_a_verb_outside_the_audit_vocabulary_is_refused_and_nothing_is_written() -> None:
    """Issue 29, item 6: actions are an ``AuditAction``, not free strings."""
    from equal_outcomes.audit.actions import AuditAction

    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="AuditAction"):
        Auditor.record(actor="system:test", action="viewed", target_type="customer", target_id=1)  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == before
    event = Auditor.record(actor="system:test", action=AuditAction.VIEW, target_type="customer",
                           target_id=1)  # fmt: skip
    assert event.action == "view"
