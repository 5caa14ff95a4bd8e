"""Template filters that turn stored codes into labels in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from equal_outcomes.standards.codelists import code_list

register = template.Library()


@register.filter
def code_label(code: str, list_id: str) -> str:
    """``{{ need.need|code_label:"support_need" }}``: the label, or the code if it is unknown."""
    if not code:
        return ""
    listing = code_list(list_id)
    return listing.label(code) if code in listing else code


@register.filter
def humanise(key: str) -> str:
    """``date_of_birth`` → ``Date of birth``, for headings built from data keys."""
    return key.replace("_", " ").capitalize()


@register.filter
def shown(value: object) -> str:
    """A value for a reader: Yes or No for booleans, a dash for nothing held."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value is None or value == "":
        return "—"
    return str(value)
