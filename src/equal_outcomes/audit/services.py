"""The Auditor: called explicitly by services that read or change personal data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from equal_outcomes.audit.actions import Actor, AuditAction
from equal_outcomes.audit.models import AuditEvent, AuditHead
from equal_outcomes.core.bulk import insert_rows

GENESIS = "0" * 64
BULK_FIELDS = ("target_id", "previous_hash", "entry_hash")  # the rest is the same in each
# Every column an entry has is hashed. Entries written before ``actor_id`` was (up to the row an
# upgrade marks with MARKER_ACTION) are checked against the fields they were hashed with.
HASHED_FIELDS = (
    "at", "actor_id", "actor_label", "action", "target_type", "target_id", "section", "purpose"
)  # fmt: skip
EARLIER_FIELDS = tuple(name for name in HASHED_FIELDS if name != "actor_id")
MARKER_ACTION = AuditAction.AUDIT_HASHES_ACTOR


_TARGET = "\x00target\x00"


class AuditActorRequired(ValueError):
    """The Auditor refuses to record an event without an actor."""


def _digest(previous: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous}|{payload}".encode()).hexdigest()


def _event_digest(event: Any, names: tuple[str, ...] = HASHED_FIELDS) -> str:
    fields = {name: getattr(event, name) for name in names}
    fields["at"] = event.at.isoformat()
    return _digest(event.previous_hash, fields)


def _head() -> AuditHead:
    """The chain's head row, locked until the end of the transaction."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"entry_hash": GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


class Auditor:
    """Records reads and changes of personal data in a hash-chained, append-only log.

    ``actor`` is a user, or a string naming a system process (``"system:import"``); ``None`` is
    refused, so nothing can touch sensitive data anonymously. Values are never recorded: only
    who, what record, which section, when and why.
    """

    @staticmethod
    @transaction.atomic
    def record(
        *,
        actor: Actor,
        action: AuditAction,
        target_type: str,
        target_id: object,
        section: str = "",
        purpose: str = "",
    ) -> AuditEvent:
        if actor is None or actor == "" or getattr(actor, "is_anonymous", False):
            raise AuditActorRequired("an audit event needs an actor")
        action = AuditAction(action)  # a verb outside the vocabulary is refused
        user: Any = None if isinstance(actor, str) else actor
        label = actor if isinstance(actor, str) else actor.get_username()
        head = _head()
        event = AuditEvent(
            at=timezone.now(),
            actor=user,
            actor_label=label,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            section=section,
            purpose=purpose[:200],
            previous_hash=head.entry_hash,
        )
        event.entry_hash = _event_digest(event)
        event.save()
        head.entry_hash = event.entry_hash
        head.entries += 1
        head.save(update_fields=["entry_hash", "entries"])
        return event


@transaction.atomic
def record_many(
    *,
    actor: Actor,
    action: AuditAction,
    target_type: str,
    target_ids: Sequence[object],
    section: str = "",
    purpose: str = "",
) -> int:
    """One event per target, chained and written in bulk (imports touch many records at once).
    Call inside the transaction that makes the changes."""
    if actor is None or actor == "" or getattr(actor, "is_anonymous", False):
        raise AuditActorRequired("an audit event needs an actor")
    action = AuditAction(action)
    user: Any = None if isinstance(actor, str) else actor
    label = actor if isinstance(actor, str) else actor.get_username()
    head = _head()
    previous = head.entry_hash
    at = timezone.now()
    fields = {
        "at": at.isoformat(),
        "actor_id": user.pk if user else None,
        "actor_label": label,
        "action": action,
        "target_type": target_type,
        "section": section,
        "purpose": purpose[:200],
    }
    # The same bytes ``_digest`` hashes, with the JSON around the target serialised once.
    before, after = json.dumps(
        {**fields, "target_id": _TARGET}, sort_keys=True, separators=(",", ":"), default=str
    ).split(json.dumps(_TARGET))
    sha256, dumps = hashlib.sha256, json.dumps

    def rows() -> Iterator[tuple[str, str, str]]:
        """Each target's row, hashed onto the chain as the rows before are being written."""
        nonlocal previous
        for target in target_ids:
            entry = sha256(f"{previous}|{before}{dumps(str(target))}{after}".encode()).hexdigest()
            yield str(target), previous, entry
            previous = entry

    written = insert_rows(
        AuditEvent,
        BULK_FIELDS,
        rows(),
        constants={
            "at": at,
            "actor": user.pk if user else None,
            "actor_label": label,
            "action": action,
            "target_type": target_type,
            "section": section,
            "purpose": purpose[:200],
        },
    )
    head.entry_hash = previous
    head.entries += written
    head.save(update_fields=["entry_hash", "entries"])
    return written


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"row {self.event_id}" if self.event_id is not None else "end of log"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class Verification:
    entries: int
    head: str
    problems: list[ChainProblem]

    @property
    def intact(self) -> bool:
        return not self.problems


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=5000)


def verify_chain() -> Verification:
    """Walks the log in order and says which rows were edited, deleted or reordered."""
    owners = dict(AuditEvent.objects.values_list("entry_hash", "id"))
    # Rows before an upgrade's marker were hashed without the actor's id; every row from the
    # marker on (every row, in a log begun since) with it.
    marker = AuditEvent.objects.filter(action=MARKER_ACTION).order_by("id").first()
    problems: list[ChainProblem] = []
    expected = GENESIS
    count = 0
    for event in _events():
        count += 1
        earlier = marker is not None and event.id < marker.id
        if _event_digest(event, EARLIER_FIELDS if earlier else HASHED_FIELDS) != event.entry_hash:
            problems.append(ChainProblem(event.id, "edited: its contents do not match its hash"))
        if event.previous_hash != expected:
            if event.previous_hash in owners:
                problems.append(
                    ChainProblem(
                        event.id,
                        f"out of order: it was written after row {owners[event.previous_hash]}",
                    )
                )
            else:
                problems.append(
                    ChainProblem(event.id, "a row written just before it has been deleted")
                )
        expected = event.entry_hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.entry_hash != expected:
        problems.append(
            ChainProblem(
                None,
                "rows were added without the Auditor after the last recorded entry"
                if head.entry_hash in owners
                else f"{head.entries - count} row(s) missing from the end of the log",
            )
        )
    return Verification(entries=count, head=expected, problems=problems)
