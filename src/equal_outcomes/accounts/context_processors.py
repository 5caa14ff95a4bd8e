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

# Each page: its address, its name, who may open it, and whether it is in the menu when a role
# has more pages than the menu holds (the rest are listed on the start page).
NAVIGATION = [
    ("customers:search", _("Find a customer"), roles.can_browse_customers, True),
    ("collection:ask_next", _("Who to ask next"), roles.can_record_needs, False),
    ("imports:customers", _("Import customers"), roles.can_import, False),
    ("sharing:export_customers", _("Export profiles"), roles.can_export_profiles, False),
    ("insight:knowing", _("Knowing our customers"), roles.can_view_dashboards, True),
    ("insight:outcomes", _("Equal outcomes"), roles.can_view_dashboards, True),
    ("insight:services", _("Services"), roles.can_view_dashboards, False),
    ("insight:contractors", _("Contractors' scorecard"), roles.can_view_dashboards, False),
    ("insight:serve", _("Who we serve"), roles.can_view_dashboards, False),
    ("insight:reports", _("Reports"), roles.can_view_dashboards, True),
    ("sharing:reports", _("Reports from visits"), roles.can_confirm_reports, False),
    ("sharing:jobs", _("Contractors' jobs"), roles.can_raise_jobs, False),
    ("sharing:referrals", _("Referrals"), roles.can_see_vulnerabilities, False),
    ("sharing:agreements", _("Sharing agreements"), roles.can_manage_agreements, False),
    ("sharing:job_packs", _("Job packs"), roles.can_receive_job_packs, True),
    ("assessment:index", _("Self-assessment"), roles.can_assess, True),
    ("assessment:actions", _("Action plan"), roles.can_assess, True),
    ("workforce:dashboard", _("Workforce and board"), roles.can_view_workforce, False),
    ("workforce:records", _("Workforce records"), roles.can_manage_workforce, False),
    ("accounts:users", _("Users"), roles.can_manage_users, True),
    ("accounts:organisation", _("Settings"), roles.can_manage_users, True),
    ("imports:places", _("Areas and properties"), roles.can_import_places, False),
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
        {"url": reverse(name), "label": label, "primary": primary}
        for name, label, allowed, primary in NAVIGATION
        if allowed(user.role)
    ]


# A menu longer than this wraps to a second row at 1280 px: past it, the menu holds the main
# pages and a link to every page, listed on the start page (issue 27, item 1).
MENU_LENGTH = 7


def _menu(pages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    if len(pages) <= MENU_LENGTH:
        return pages, False
    return [page for page in pages if page["primary"]], True


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
        **dict(
            zip(
                ("navigation", "navigation_more"), _menu(pages := _navigation(request)), strict=True
            )
        ),
        "all_pages": pages,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
