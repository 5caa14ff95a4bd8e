"""Sign-in events and refusals: recorded in the audit log and the security log, never with
passwords, typed usernames or any personal data about customers."""

from __future__ import annotations

import base64
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from equal_outcomes.accounts.models import Authenticator, User
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor

security_log = logging.getLogger("equal_outcomes.security")

SIGN_IN_PROCESS = "system:sign-in"


def _address(request: HttpRequest) -> str:
    return str(getattr(request, "axes_ip_address", "") or request.META.get("REMOTE_ADDR", ""))


def sign_in_recorded(*, request: HttpRequest, user: User) -> None:
    Auditor.record(actor=user, action=AuditAction.SIGN_IN, target_type="user", target_id=user.pk)
    security_log.info("sign-in user=%s address=%s", user.pk, _address(request))


def failed_sign_in_recorded(*, request: HttpRequest, username: str, locked_out: bool) -> None:
    """A failed or refused sign-in. The typed username is looked up, never stored: people
    sometimes type their password into it."""
    user = User.objects.filter(username=username).only("pk").first()
    target = str(user.pk) if user else "unknown"
    action = AuditAction.SIGN_IN_LOCKED_OUT if locked_out else AuditAction.SIGN_IN_FAILED
    Auditor.record(actor=SIGN_IN_PROCESS, action=action, target_type="user", target_id=target)
    security_log.warning("%s user=%s address=%s", action, target, _address(request))


def refusal_recorded(*, user: Any, target_type: str, target_id: object, path: str = "") -> None:
    """An authorization failure: a user asked for something their role or scope does not allow."""
    actor = user if getattr(user, "is_authenticated", False) else "anonymous"
    Auditor.record(
        actor=actor,
        action=AuditAction.REFUSED,
        target_type=target_type,
        target_id=target_id,
        purpose=path[:200],
    )
    security_log.warning(
        "refused user=%s target=%s:%s", getattr(user, "pk", None), target_type, target_id
    )


def require(request: HttpRequest, allowed: bool) -> None:
    """Refuses the page (403, recorded) when the user's role may not use it."""
    if not allowed:
        view = request.resolver_match.view_name if request.resolver_match else ""
        refusal_recorded(user=request.user, target_type="page", target_id=view, path=request.path)
        raise PermissionDenied


def totp_device(user: User) -> Authenticator:
    """The user's authenticator, creating an unconfirmed one to enrol when there is none."""
    device: Authenticator | None = (
        Authenticator.objects.filter(user=user).order_by("-confirmed", "id").first()
    )
    if device is None:
        device = Authenticator.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def totp_secret(device: Authenticator) -> str:
    """The shared secret in the base32 form authenticator apps accept when typed in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def two_factor_confirmed(*, user: User, device: Authenticator) -> None:
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        Authenticator.objects.filter(user=user, confirmed=False).delete()
        Auditor.record(
            actor=user,
            action=AuditAction.TWO_FACTOR_ENROLLED,
            target_type="user",
            target_id=user.pk,
        )
    Auditor.record(
        actor=user, action=AuditAction.TWO_FACTOR_VERIFIED, target_type="user", target_id=user.pk
    )


def two_factor_failed(*, request: HttpRequest, user: User) -> None:
    Auditor.record(
        actor=user, action=AuditAction.TWO_FACTOR_FAILED, target_type="user", target_id=user.pk
    )
    security_log.warning("two_factor_failed user=%s address=%s", user.pk, _address(request))
