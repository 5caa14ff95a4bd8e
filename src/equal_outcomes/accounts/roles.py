"""Roles, as DESIGN.md section 1 names them, and the data classes each may read or write.

Every access rule is a small function of the role, so views, services and tests ask the same
question the same way. Scoping to records (a housing officer's areas, a tenant's own record,
break-the-glass grants) is in ``customers.selectors.customers_visible_to``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TENANT = "tenant", _("Tenant or service user")
    ADVISOR = "advisor", _("Customer service advisor")
    HOUSING_OFFICER = "housing_officer", _("Housing officer")
    EQUALITY_LEAD = "equality_lead", _("Equality and data lead")
    CONTRACTOR = "contractor", _("Contractor operative")
    PARTNER = "partner", _("Partner agency worker")
    HR = "hr", _("HR officer")
    BOARD = "board", _("Board or report viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


class DataClass(models.TextChoices):
    """How sensitive a stored field is. The data register gives every field one class."""

    IDENTITY = "identity", _("Identity and contact")
    SPECIAL_CATEGORY = "special_category", _("Special category (protected characteristics)")
    VULNERABILITY = "vulnerability", _("Vulnerability (support needs and their reasons)")
    ADJUSTMENT = "adjustment", _("Shareable adjustments (what to do, not why)")
    RESTRICTED = "restricted", _("Most restricted (safe address, gender history)")
    OPERATIONAL = "operational", _("Record-keeping: references, dates, provenance")
    PLACE = "place", _("Places and tenancies")
    ACCOUNT = "account", _("Staff accounts and credentials")
    AUDIT = "audit", _("Audit and security records")
    STAFF_EQUALITY = "staff_equality", _("Staff, applicant and board equality data")
    EMPLOYMENT = "employment", _("Employment records: grade, pay, training, cases")


STAFF_WITH_RECORDS = frozenset({Role.ADVISOR, Role.HOUSING_OFFICER, Role.EQUALITY_LEAD})


def can_browse_customers(role: str) -> bool:
    """Staff who work with customers' records may search and open them."""
    return role in STAFF_WITH_RECORDS


def can_see_special_category(role: str) -> bool:
    """Who may read protected-characteristic answers on a customer's record."""
    return role in {Role.HOUSING_OFFICER, Role.EQUALITY_LEAD}


def can_record_special_category(role: str) -> bool:
    """Advisors record answers during a contact without being able to browse them."""
    return role in STAFF_WITH_RECORDS


def can_see_vulnerabilities(role: str) -> bool:
    """Who may read support needs and their details."""
    return role in {Role.HOUSING_OFFICER, Role.EQUALITY_LEAD}


def can_see_restricted(role: str) -> bool:
    """Safe addresses and gender history: the housing officer managing the tenancy only."""
    return role == Role.HOUSING_OFFICER


def can_break_glass(role: str) -> bool:
    """Housing officers may open a record outside their areas in an emergency, giving a reason
    (out-of-hours cover, say). Other staff roles already see every customer they may see."""
    return role == Role.HOUSING_OFFICER


def can_see_access_log(role: str) -> bool:
    """Who may see who viewed or changed a customer's record."""
    return role in {Role.HOUSING_OFFICER, Role.EQUALITY_LEAD}


def can_rectify(role: str) -> bool:
    """Correcting identity and contact details, or recording an objection to monitoring."""
    return role in STAFF_WITH_RECORDS


def can_import_places(role: str) -> bool:
    """The landlord's stock (areas, estates, properties) holds no one's personal data: the
    equality lead and the administrator load it."""
    return role in {Role.EQUALITY_LEAD, Role.ADMINISTRATOR}


def can_manage_users(role: str) -> bool:
    """Accounts (who may sign in, with what role and areas) are the administrator's; they
    never see equality or needs data."""
    return role == Role.ADMINISTRATOR


def can_raise_jobs(role: str) -> bool:
    """Staff who deal with repairs raise and close contractors' jobs (a housing officer, in
    their own areas); jobs also come from the housing system."""
    return role in STAFF_WITH_RECORDS


def can_handle_rights_requests(role: str) -> bool:
    """Subject access exports and erasure are the equality and data lead's job."""
    return role == Role.EQUALITY_LEAD


def requires_two_factor(role: str) -> bool:
    """Every staff role that can see special-category or vulnerability data, and administrators."""
    return role in STAFF_WITH_RECORDS | {Role.PARTNER, Role.HR, Role.ADMINISTRATOR}


def can_view_dashboards(role: str) -> bool:
    """Aggregate results: the equality lead, and the board (who see only what may be
    published)."""
    return role in {Role.EQUALITY_LEAD, Role.BOARD}


def sees_unsuppressed_results(role: str) -> bool:
    """Results without disclosure control (small groups shown) are for the equality lead."""
    return role == Role.EQUALITY_LEAD


def can_export_profiles(role: str) -> bool:
    """Bulk exports of profile data (special category) are for the equality and data lead."""
    return role == Role.EQUALITY_LEAD


def can_import(role: str) -> bool:
    """Imports write special-category data for many people at once: the equality lead only."""
    return role == Role.EQUALITY_LEAD


def can_record_needs(role: str) -> bool:
    """Staff in contact with customers record support and communication needs."""
    return role in STAFF_WITH_RECORDS


def can_assess(role: str) -> bool:
    """Self-assessment, the toolkit, the action plan, objectives, policies and impact
    assessments are the equality and data lead's work."""
    return role == Role.EQUALITY_LEAD


def can_manage_agreements(role: str) -> bool:
    """Data-sharing agreements are set up by the equality and data lead."""
    return role == Role.EQUALITY_LEAD


def can_receive_job_packs(role: str) -> bool:
    """Contractors and partner staff named on an active agreement get job packs and report
    back; what they see is limited to the agreement's fields."""
    return role in {Role.CONTRACTOR, Role.PARTNER}


def can_confirm_reports(role: str) -> bool:
    """Staff who keep records confirm what contractors and partners report."""
    return role in STAFF_WITH_RECORDS


def can_manage_workforce(role: str) -> bool:
    """Staff, applicant and board records, their equality data and HR imports belong to HR,
    a role separate from the equality lead's: colleagues' answers stay with HR."""
    return role == Role.HR


def can_view_workforce(role: str) -> bool:
    """The workforce dashboard and report: HR, the equality lead and the board. Only HR sees
    them without disclosure control; workforce groups are small and colleagues know each other."""
    return role in {Role.HR, Role.EQUALITY_LEAD, Role.BOARD}


def sees_unsuppressed_workforce(role: str) -> bool:
    return role == Role.HR
