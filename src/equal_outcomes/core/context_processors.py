"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equal_outcomes.accounts import roles
from equal_outcomes.accounts.organisation import organisation

NAVIGATION = [
    ("customers:search", _("Find a customer"), roles.can_browse_customers),
    ("collection:ask_next", _("Who to ask next"), roles.can_record_needs),
    ("imports:customers", _("Import customers"), roles.can_import),
    ("sharing:export_customers", _("Export profiles"), roles.can_export_profiles),
    ("insight:knowing", _("Knowing our customers"), roles.can_view_dashboards),
    ("insight:outcomes", _("Equal outcomes"), roles.can_view_dashboards),
    ("insight:serve", _("Who we serve"), roles.can_view_dashboards),
    ("insight:reports", _("Reports"), roles.can_view_dashboards),
    ("sharing:reports", _("Reports from visits"), roles.can_confirm_reports),
    ("sharing:jobs", _("Contractors' jobs"), roles.can_raise_jobs),
    ("sharing:referrals", _("Referrals"), roles.can_see_vulnerabilities),
    ("sharing:agreements", _("Sharing agreements"), roles.can_manage_agreements),
    ("sharing:job_packs", _("Job packs"), roles.can_receive_job_packs),
    ("assessment:index", _("Self-assessment"), roles.can_assess),
    ("assessment:actions", _("Action plan"), roles.can_assess),
    ("workforce:dashboard", _("Workforce and board"), roles.can_view_workforce),
    ("workforce:records", _("Workforce records"), roles.can_manage_workforce),
    ("accounts:users", _("Users"), roles.can_manage_users),
    ("accounts:organisation", _("Settings"), roles.can_manage_users),
    ("imports:places", _("Areas and properties"), roles.can_import_places),
]


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # Before the second step of signing in, nothing to go to (issue 27: the two-factor page
    # showed the whole menu, every link of which led back to it).
    if roles.requires_two_factor(user.role) and not getattr(user, "is_verified", lambda: True)():
        return []
    return [
        {"url": reverse(name), "label": label}
        for name, label, allowed in NAVIGATION
        if allowed(user.role)
    ]


def _organisation() -> dict[str, str]:
    found = organisation()
    return {"landlord_name": found.name, "privacy_contact": found.privacy_contact}


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name and the environment, for the header and the phase banner."""
    return {
        # The service's own name reads in Welsh on Welsh pages; a name the landlord set is theirs.
        "service_name": gettext(settings.OTP_TOTP_ISSUER),
        **_organisation(),
        "environment": settings.ENVIRONMENT,
        "navigation": _navigation(request),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
