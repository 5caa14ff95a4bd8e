"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from equal_outcomes.audit.models import AuditEvent


def record_history(
    target_type: str, target_id: object, *, limit: int = 500
) -> QuerySet[AuditEvent]:
    """Who viewed or changed one record, newest first."""
    return AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id)).order_by(
        "-id"
    )[:limit]
