"""The Auditor: called explicitly by services that read or change personal data."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from equal_outcomes.audit.models import AuditEvent

GENESIS = "0" * 64


class AuditActorRequired(ValueError):
    """The Auditor refuses to record an event without an actor."""


def _digest(previous: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous}|{payload}".encode()).hexdigest()


class Auditor:
    """Records reads and changes of personal data in a hash-chained, append-only log.

    ``actor`` is a user, or a string naming a system process (``"system:import"``); ``None`` is
    refused, so nothing can touch sensitive data anonymously.
    """

    @staticmethod
    @transaction.atomic
    def record(
        *,
        actor: Any,
        action: str,
        target_type: str,
        target_id: object,
        section: str = "",
        purpose: str = "",
    ) -> AuditEvent:
        if actor is None or actor == "" or getattr(actor, "is_anonymous", False):
            raise AuditActorRequired("an audit event needs an actor")
        user = None if isinstance(actor, str) else actor
        label = actor if isinstance(actor, str) else actor.get_username()
        last = AuditEvent.objects.select_for_update().order_by("-id").first()
        previous = last.entry_hash if last else GENESIS
        at = timezone.now()
        fields = {
            "at": at.isoformat(),
            "actor_label": label,
            "action": action,
            "target_type": target_type,
            "target_id": str(target_id),
            "section": section,
            "purpose": purpose,
        }
        return AuditEvent.objects.create(
            actor=user,
            previous_hash=previous,
            entry_hash=_digest(previous, fields),
            **{**fields, "at": at},
        )
