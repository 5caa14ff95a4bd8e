"""What an audit event did and to which part of a record, in words a customer or a lead reads
on an access log (the log keeps short keys: ``view``, ``support_needs``)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.templatetags.codes import humanise

register = template.Library()

ACTIONS = {
    "view": _("Viewed"),
    "create": _("Created"),
    "update": _("Changed"),
    "change": _("Changed"),
    "correct": _("Corrected"),
    "erase": _("Erased"),
    "export": _("Exported"),
    "download": _("Downloaded"),
    "disclose": _("Shared with a partner"),
    "share_refused": _("Sharing refused"),
    "refused": _("Refused"),
    "emergency_access": _("Emergency access"),
    "objection": _("Objection recorded"),
    "objection_withdrawn": _("Objection withdrawn"),
    "confirm": _("Confirmed as still right"),
    "subject_access": _("Subject access request"),
    "report_back": _("Report from a visit"),
    "import": _("Imported"),
    "invite": _("Questionnaire sent"),
    "retention": _("Removed at the end of its retention period"),
}
SECTIONS = {
    "all": _("The whole record"),
    "person": _("Name and contact details"),
    "profile": _("Equality profile"),
    "equality": _("Equality profile"),
    "support_needs": _("Support needs"),
    "adjustments": _("Reasonable adjustments"),
    "reasonable_adjustments": _("Reasonable adjustments"),
    "communication_needs": _("Communication needs"),
    "communication_preferences": _("Communication preferences"),
    "restricted": _("Most restricted details"),
    "restricted_details": _("Most restricted details"),
    "corrections": _("Corrections"),
    "disclosures": _("What was shared"),
    "emergency_access": _("Emergency access"),
    "invitations": _("Questionnaire invitations"),
    "note": _("Note"),
    "referrals": _("Referrals"),
    "reports_from_visits": _("Reports from visits"),
    "unfinished_answers": _("Unfinished questionnaire answers"),
}


@register.filter
def audit_action(key: str) -> str:
    return str(ACTIONS[key]) if key in ACTIONS else humanise(key)


@register.filter
def audit_section(keys: str) -> str:
    """One part, or several joined by commas (the fields a correction changed)."""
    if not keys:
        return "—"
    return ", ".join(
        str(SECTIONS[key]) if key in SECTIONS else humanise(key) for key in keys.split(",")
    )
