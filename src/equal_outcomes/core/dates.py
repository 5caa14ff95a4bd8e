"""The one date field of every form: the GOV.UK date input (day, month and year boxes), with its
labels and errors in the reader's language, and errors that say which date is wrong, as the
Design System's date input pattern words them ("Due by must include a month")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The boxes' labels, which crispy-forms-gds asks the catalogue for: named here so that they are
# in ours, in Welsh.
BOXES = (_("Day"), _("Month"), _("Year"))


def _said(message: Any, label: Any) -> str:
    return gettext(str(message)) % {"date": str(label)}


_named = lazy(_said, str)


class DateField(DateInputField):
    """A date in three boxes. ``label`` names the date in every error about it."""

    def __init__(self, *, label: Any, example: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("require_all_fields", False)
        kwargs.setdefault("help_text", example or _("For example, 27 3 2026"))
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = _named(gettext_noop("Enter a date for “%(date)s”"), label)
        self.error_messages["incomplete"] = _named(
            gettext_noop("Enter a date for “%(date)s”"), label
        )
        missing = (
            _named(gettext_noop("“%(date)s” must include a day"), label),
            _named(gettext_noop("“%(date)s” must include a month"), label),
            _named(gettext_noop("“%(date)s” must include a year"), label),
        )
        real = RegexValidator(
            r"^[0-9]+$", _named(gettext_noop("“%(date)s” must be a real date"), label)
        )
        for box, message in zip(self.fields, missing, strict=True):
            box.error_messages["incomplete"] = message
            box.validators = [real]
        self.real = _named(gettext_noop("“%(date)s” must be a real date"), label)
        self.four_digits = _named(gettext_noop("The year of “%(date)s” must have 4 numbers"), label)

    def compress(self, data_list: Any) -> dt.date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year)) != 4:
            raise ValidationError(self.four_digits, code="invalid")
        try:
            return dt.date(day=int(day), month=int(month), year=int(year))
        except ValueError:
            raise ValidationError(self.real, code="invalid") from None
