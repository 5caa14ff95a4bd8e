"""Template filters that name the landlord's areas and customer groups as records show them,
wherever a breakdown or a filter holds their codes."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from equal_outcomes.customers.models import Area
from equal_outcomes.standards.codelists import code_list

register = template.Library()


@register.filter
def area_name(code: str) -> str:
    """An area's name for its code (``CHA`` → "Chapel Fields"); the code where none is held."""
    if not code:
        return str(_("Not known"))
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


@register.filter
def customer_group(code: str) -> str:
    """A customer group's label (``owner`` → "Leaseholders and shared owners")."""
    if not code:
        return str(_("Not known"))
    groups = code_list("customer_type")
    return groups.label(code) if code in groups else code
