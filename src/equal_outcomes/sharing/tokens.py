"""API tokens: made with a secret shown once, checked by hash, scoped to one agreement."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.sharing.models import Agreement, ApiToken, PartnerKind
from equal_outcomes.sharing.scopes import Scope

PREFIX_LENGTH = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(
    *, actor: Any, agreement: Agreement, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored)."""
    if not scopes or set(scopes) - set(Scope.values):
        raise ValueError(f"scopes must be some of {', '.join(Scope.values)}")
    if Scope.PROFILE_UPDATES in scopes and agreement.kind != PartnerKind.SYSTEM:
        raise ValueError("only the landlord's own systems may push profile updates")
    if not 1 <= days <= 366:
        raise ValueError("a token lasts between 1 and 366 days")
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agreement=agreement, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=_digest(secret),
        scopes=sorted(set(scopes)), expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=actor,
    )  # fmt: skip
    Auditor.record(
        actor=actor, action=AuditAction.CREATE, target_type="api_token", target_id=token.prefix,
        purpose=f"{agreement.partner}: {', '.join(token.scopes)}"[:200],
    )  # fmt: skip
    return token, secret


def token_revoke(*, actor: Any, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    Auditor.record(
        actor=actor, action=AuditAction.REVOKE, target_type="api_token", target_id=token.prefix
    )


def token_for(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, expired, revoked, or its agreement
    no longer in force)."""
    token = (
        ApiToken.objects.select_related("agreement")
        .filter(token_hash=_digest(secret), prefix=secret[:PREFIX_LENGTH])
        .first()
    )
    if token is None or not token.usable:
        return None
    return token
