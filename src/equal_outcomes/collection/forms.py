"""Profile questions as a form, built from the code lists, following the GOV.UK
equality-information pattern: every question optional, why we ask shown as a hint, and
"Prefer not to say" offered everywhere."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from equal_outcomes.customers.models import AnswerState
from equal_outcomes.customers.services import MULTIPLE_SEPARATOR
from equal_outcomes.standards.codelists import Characteristic, characteristics, code_list

PREFER_NOT_TO_SAY = "prefer_not_to_say"


def _choices(item: Characteristic) -> list[tuple[str, str]]:
    pnts = characteristics().prefer_not_to_say.label.text()
    return [*item.codes.choices(), (PREFER_NOT_TO_SAY, pnts)]


def answer_of(item: Characteristic, data: Any) -> tuple[str, list[str]] | None:
    """The (state, codes) a cleaned field value means; None when left blank."""
    if not data:
        return None
    values = list(data) if isinstance(data, (list, tuple)) else [data]
    if PREFER_NOT_TO_SAY in values:
        return (AnswerState.PREFER_NOT_TO_SAY, [])
    return (AnswerState.ANSWERED, sorted(values))


class ProfileForm(forms.Form):
    """One optional field per profile question. Blank means "leave as it is"."""

    touchpoint = forms.ChoiceField(
        label=_("Where did these answers come from?"),
        choices=[],
        error_messages={"required": _("Say where these answers came from")},
    )

    def __init__(self, *args: Any, current: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        touchpoints = self.fields["touchpoint"]
        assert isinstance(touchpoints, forms.ChoiceField)
        touchpoints.choices = code_list("touchpoint").choices()
        layout: list[Any] = [Field.select("touchpoint")]
        for item in characteristics():
            listing = item.codes
            label = (listing.question or listing.title).text()
            hint = listing.hint.text() if listing.hint else ""
            if item.asked_when:
                hint = f"{hint} {_('Only if the answer to the question before was yes.')}".strip()
            field: forms.Field
            if listing.multiple:
                field = forms.MultipleChoiceField(
                    label=label,
                    help_text=hint,
                    required=False,
                    choices=_choices(item),
                    widget=forms.CheckboxSelectMultiple,
                )
                layout.append(Field.checkboxes(item.id, legend_size=Size.SMALL, small=True))
            else:
                field = forms.ChoiceField(
                    label=label,
                    help_text=hint,
                    required=False,
                    choices=_choices(item),
                    widget=forms.RadioSelect,
                )
                layout.append(Field.radios(item.id, legend_size=Size.SMALL, small=True))
            self.fields[item.id] = field
            if current and item.id in current:
                state, value = current[item.id]
                if state == AnswerState.PREFER_NOT_TO_SAY:
                    self.initial[item.id] = (
                        [PREFER_NOT_TO_SAY] if listing.multiple else PREFER_NOT_TO_SAY
                    )
                elif value:
                    codes = value.split(MULTIPLE_SEPARATOR)
                    self.initial[item.id] = codes if listing.multiple else codes[0]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for item in characteristics():
            values = cleaned.get(item.id)
            if isinstance(values, list) and PREFER_NOT_TO_SAY in values and len(values) > 1:
                self.add_error(item.id, _("Choose answers, or 'Prefer not to say', but not both"))
        return cleaned

    def answers(self) -> dict[str, tuple[str, list[str]]]:
        """Each question given an answer: {question: (state, codes)}."""
        result = {}
        for item in characteristics():
            answer = answer_of(item, self.cleaned_data.get(item.id))
            if answer is not None:
                result[item.id] = answer
        return result
