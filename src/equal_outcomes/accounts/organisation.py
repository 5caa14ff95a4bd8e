"""The landlord's settings (``Organisation``), as the rest of the code reads them: each falls
back to the installation's environment setting until the administrator sets it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equal_outcomes.accounts.models import Nation, Organisation
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor


def organisation() -> Organisation:
    """The one row of settings (unsaved defaults when there is none yet)."""
    return Organisation.objects.order_by("pk").first() or Organisation()


def landlord_name() -> str:
    return organisation().name or str(_("Equal Outcomes"))


def welsh_first() -> bool:
    """In Wales the questionnaire, letters and emails offer Welsh first."""
    return organisation().nation == Nation.WALES


def coverage_levels() -> tuple[float, float]:
    """The achieving and excellent levels of coverage, as shares (0.6, 0.9)."""
    found = organisation()
    return found.coverage_achieving / 100, found.coverage_excellent / 100


def stale_after_days() -> int:
    return organisation().stale_after_days or int(settings.EQUAL_OUTCOMES_STALE_AFTER_DAYS)


def retention_days() -> dict[str, int]:
    """Every retention rule's days: the environment's, with the administrator's changes."""
    days = dict(settings.EQUAL_OUTCOMES_RETENTION)
    days.update({k: int(v) for k, v in organisation().retention_days.items() if k in days})
    return days


@transaction.atomic
def organisation_save(*, actor: Any, **values: Any) -> Organisation:
    """Saves the settings given, checked; audited with what changed."""
    found = organisation()
    achieving = values.get("coverage_achieving", found.coverage_achieving)
    excellent = values.get("coverage_excellent", found.coverage_excellent)
    if not 0 < achieving < excellent <= 100:
        raise ValidationError(
            {"coverage_excellent": _("The excellent level must be above the achieving level, and at most 100")}
        )  # fmt: skip
    retention = values.get("retention_days", found.retention_days) or {}
    unknown = set(retention) - set(settings.EQUAL_OUTCOMES_RETENTION)
    if unknown or any(int(v) < 0 for v in retention.values()):
        raise ValidationError(
            {"retention_days": _("Give whole numbers of days for the rules listed")}
        )
    changed = sorted(name for name, value in values.items() if getattr(found, name) != value)
    for name, value in values.items():
        setattr(found, name, value)
    found.save()
    Auditor.record(actor=actor, action=AuditAction.SETTINGS, target_type="organisation", target_id=1,
                   purpose=f"changed: {', '.join(changed) or 'nothing'}"[:200])  # fmt: skip
    return found
