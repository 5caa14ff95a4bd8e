"""Template filters that turn stored codes into labels in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from equal_outcomes.standards.codelists import CodeListError, characteristics, code_list

register = template.Library()
# Words that keep their capital inside a sentence, in either language.
PROPER_NOUNS = {"Welsh", "English", "Cymraeg", "Saesneg"}
# Other names a characteristic is held under: the workforce's records call ethnicity
# ``ethnic_group``.
ALIASES = {"ethnic_group": "ethnicity"}
# Characteristics worked out from a record rather than asked, and the code list they use.
DERIVED = {
    "age_band": "age_band",
    "deprivation_decile": "deprivation_decile",
    "rural_urban": "rural_urban",
    "has_support_need": "has_support_need",
    "has_communication_need": "has_communication_need",
    "support_need_kind": "support_need",
}


@register.filter
def code_label(code: str, list_id: str) -> str:
    """``{{ need.need|code_label:"support_need" }}``: the label, or the code if it is unknown."""
    if not code:
        return ""
    listing = code_list(list_id)
    return listing.label(code) if code in listing else code


@register.filter
def humanise(key: str) -> str:
    """The one name of a thing held under a key, in the active language: a characteristic by its
    code list's title (``digital_inclusion`` → "Internet use", everywhere), a crossing of two as
    "Ethnicity and sex", and any other key made readable (``date_of_birth`` → "Date of birth"),
    translated where the catalogue has it."""

    if "*" in key:
        first, second = key.split("*", 1)
        then = humanise(second)
        if then.split(" ")[0] not in PROPER_NOUNS:
            then = then[:1].lower() + then[1:]
        return _("%(first)s and %(second)s") % {"first": humanise(first), "second": then}
    if key == "ethnic_group":  # ethnicity's five groups, beside ethnicity itself
        return str(_("Broad ethnic group"))
    key = ALIASES.get(key, key)
    if key in characteristics().ids():
        return characteristics().get(key).codes.title.text()
    try:
        return code_list(key).title.text()
    except CodeListError:
        pass
    return _(key.replace("_", " ").capitalize())


@register.filter
def indicator_name(indicator_id: str) -> str:
    """An indicator's title in the active language (``TP09`` → "Satisfaction with the
    landlord's approach to handling complaints"); the id where no indicator has it."""
    from django.utils.translation import get_language

    from equal_outcomes.analysis.indicators import default_indicators

    for indicator in default_indicators():
        if indicator.id == indicator_id:
            return indicator.title_in((get_language() or "en")[:2])
    return indicator_id


def gap_size(difference: object, measure: str) -> float | None:
    """How far a group is from everyone else, in the measure's own units: points for rates."""
    if not _is_number(difference):
        return None
    return abs(float(difference)) * (100 if measure == "rate" else 1)  # type: ignore[arg-type]


@register.filter
def shown(value: object) -> str:
    """A value for a reader: Yes or No for booleans, a dash for nothing held."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value is None or value == "":
        return "—"
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


@register.filter
def figure(value: object, digits: int = 3) -> str:
    """A number to ``digits`` decimal places; a positive number too small to show at that
    precision as "<0.001" (a p-value is never 0), and never "-0.0"; disclosure markers ([c],
    [low]) as they are; a dash for no figure."""
    if _is_number(value):
        number, places = float(value), int(digits)  # type: ignore[arg-type]
        smallest = 10.0**-places
        if 0 < number < smallest / 2:
            return f"<{smallest:.{places}f}"
        shown = f"{number:,.{places}f}"
        return shown[1:] if shown.startswith("-") and float(shown.replace(",", "")) == 0 else shown
    return "—" if value is None or value == "" else str(value)


@register.filter
def percent(value: object) -> str:
    """A share as a whole percentage; markers as they are; a dash for no figure."""
    if _is_number(value):
        return f"{float(value):.0%}"  # type: ignore[arg-type]
    return "—" if value is None or value == "" else str(value)


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    """``{{ row|get:name }}``: a dictionary's value by a key held in a variable."""
    return mapping.get(key, "—") if isinstance(mapping, dict) else "—"


@register.filter
def category_label(category: str, characteristic: str) -> str:
    """A category of a breakdown in words: the code list's label for a characteristic's code,
    both labels for a two-way category (``a & b``), else the category made readable."""

    if category in {"not_known", "prefer_not_to_say"}:
        return str(_("Not known") if category == "not_known" else _("Prefer not to say"))
    names = [ALIASES.get(name, name) for name in characteristic.split("*")]
    parts = category.split(" & ") if len(names) == 2 else [category]
    labels = []
    for name, part in zip(names, parts, strict=False):
        item = characteristics().get(name) if name in characteristics().ids() else None
        listing = item.codes if item is not None else None
        if name in DERIVED:
            listing = code_list(DERIVED[name])
        labels.append(
            listing.group_name(part) if listing is not None and part in listing else humanise(part)
        )
    return " & ".join(labels)


@register.filter
def as_at(value: object) -> str:
    """An ISO 8601 time stamp (as stored with a snapshot) as a reader's date and time."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.formats import date_format

    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if len(str(value)) == 10:  # a day, not a moment
        return date_format(when.date(), "j F Y")
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return date_format(when, "j F Y, H:i")


@register.filter
def measured(value: object, measure: str) -> str:
    """A breakdown's value as its measure reads: a rate as a percentage, else one decimal."""
    return percent(value) if measure == "rate" else figure(value, 1)
