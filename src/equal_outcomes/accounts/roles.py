"""Roles, as DESIGN.md section 1 names them. Access rules are functions of the role."""

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
    BOARD = "board", _("Board or report viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


def can_browse_customers(role: str) -> bool:
    """Staff who work with customers' records may search and open them."""
    return role in {Role.ADVISOR, Role.HOUSING_OFFICER, Role.EQUALITY_LEAD}


def can_see_special_category(role: str) -> bool:
    """Who may read protected-characteristic answers on a customer's record."""
    return role in {Role.HOUSING_OFFICER, Role.EQUALITY_LEAD}


def can_see_vulnerabilities(role: str) -> bool:
    """Who may read support needs and their details."""
    return role in {Role.HOUSING_OFFICER, Role.EQUALITY_LEAD}
