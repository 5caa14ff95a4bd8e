"""Profile questions as a form, built from the code lists, following the GOV.UK
equality-information pattern: every question optional, why we ask shown as a hint, and
"Prefer not to say" offered everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.dates import DateField
from equal_outcomes.customers.models import AdjustmentStatus, AnswerState, Confidentiality
from equal_outcomes.customers.services import MULTIPLE_SEPARATOR
from equal_outcomes.standards.codelists import Characteristic, characteristics, code_list

PREFER_NOT_TO_SAY = "prefer_not_to_say"


def _choices(item: Characteristic) -> list[tuple[str, str]]:
    pnts = characteristics().prefer_not_to_say.label.text()
    return [*item.codes.choices(), (PREFER_NOT_TO_SAY, pnts)]


# Lists longer than this are chosen from a select, not read through as radios.
LONG_LIST = 12


def _grouped_choices(item: Characteristic) -> list[Any]:
    """A list's choices under its groups' names (White: English, Welsh, ... Irish), as a
    select's option groups; "Prefer not to say" last."""
    listing = item.codes
    pnts = (PREFER_NOT_TO_SAY, characteristics().prefer_not_to_say.label.text())
    if not listing.groups:
        return [*listing.choices(), pnts]
    return [
        *(
            (group.label.text(), [(c.code, c.label.text()) for c in listing.children(group.code)])
            for group in listing.groups
        ),
        pnts,
    ]


def _autocomplete_attrs() -> dict[str, str]:
    return {
        "data-eo-autocomplete": "",
        "data-eo-no-results": str(_("No results found")),
        "data-eo-type-more": str(_("Type in {n} or more characters for results")),
    }


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
        touchpoints.choices = [
            ("", _("Choose where the answers came from")),
            *code_list("touchpoint").choices(),
        ]
        layout: list[Any] = [Field.select("touchpoint")]
        for item in characteristics():
            listing = item.codes
            label = (listing.question or listing.title).text()
            hint = listing.hint.text() if listing.hint else ""
            if item.asked_when:
                only = _("Only if the answer to the question before was yes.")
                hint = f"{hint} {only}".strip()
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
            elif len(listing.selectable) > LONG_LIST:
                # A long list is a select (its groups as headings), typed into with scripts on.
                field = forms.ChoiceField(
                    label=label,
                    help_text=hint,
                    required=False,
                    choices=[("", _("Not answered")), *_grouped_choices(item)],
                )
                if not listing.groups:
                    field.widget.attrs.update(_autocomplete_attrs())
                layout.append(Field.select(item.id))
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


def _today() -> dt.date:
    return timezone.localdate()


class _NeedForm(forms.Form):
    """A form recording one need or adjustment: a coded choice, its details, and its source."""

    code_field = ""  # the coded field's name
    code_list_id = ""  # the code list it chooses from
    submit_label: Any = ""

    source = forms.ChoiceField(label=_("Where did this come from?"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, self.code_field, code_list(self.code_list_id).choices())
        _set_choices(
            self,
            "source",
            [("", str(_("Choose where it came from"))), *code_list("touchpoint").choices()],
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            *self.layout_fields(), Field.select("source"), Submit("submit", self.submit_label)
        )

    def layout_fields(self) -> list[Any]:
        raise NotImplementedError


class SupportNeedForm(_NeedForm):
    need = forms.ChoiceField(
        label=_("What support does the customer need?"),
        choices=[],
        error_messages={"required": _("Choose the kind of support need")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        help_text=_("Only what staff need to know to help. This is encrypted and audited."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_date = DateField(
        label=_("When did this start?"),
    )
    review_date = DateField(
        label=_("Review by"),
        example=_("When someone must check this need is still right. For example, 27 9 2026"),
    )
    customer_told = forms.TypedChoiceField(
        label=_("Has the customer been told this is recorded?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the customer has been told")},
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Confidentiality.choices,
        initial=Confidentiality.STANDARD,
        widget=forms.RadioSelect,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams who may see it"),
        help_text=_("Only for a need restricted to named teams."),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    code_field, code_list_id, submit_label = "need", "support_need", _("Save support need")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Group.objects.exclude(  # type: ignore[attr-defined]
            name=settings.EQUAL_OUTCOMES_SAFEGUARDING_TEAM
        ).order_by("name")

    def layout_fields(self) -> list[Any]:
        return [
            Field.select("need"),
            Field.textarea("details"),
            Field("start_date"),
            Field("review_date"),
            Field.radios("customer_told", legend_size=Size.SMALL, inline=True),
            Field.radios("confidentiality", legend_size=Size.SMALL, small=True),
            Field.checkboxes("teams", legend_size=Size.SMALL, small=True),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, review = cleaned.get("start_date"), cleaned.get("review_date")
        if start and start > _today():
            self.add_error("start_date", _("The start date must be today or in the past"))
        if start and review and review < start:
            self.add_error("review_date", _("The review date must be on or after the start date"))
        if cleaned.get("confidentiality") == Confidentiality.RESTRICTED and not cleaned.get(
            "teams"
        ):
            self.add_error(
                "teams",
                _("Choose the teams who may see it")
                if self.fields["teams"].queryset.exists()  # type: ignore[attr-defined]
                else _("No teams are set up yet: ask an administrator to add them"),
            )
        return cleaned


class CommunicationNeedForm(_NeedForm):
    need = forms.ChoiceField(
        label=_("What does the customer need?"),
        choices=[],
        error_messages={"required": _("Choose the communication need")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        help_text=_("For example, which language, or how long to wait at the door"),
        required=False,
        max_length=500,
    )
    code_field, code_list_id = "need", "communication_need"
    submit_label = _("Save communication need")

    def layout_fields(self) -> list[Any]:
        return [Field.select("need"), Field.text("details")]


class AdjustmentForm(_NeedForm):
    adjustment = forms.ChoiceField(
        label=_("What will we do differently?"),
        choices=[],
        error_messages={"required": _("Choose the adjustment")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        help_text=_("What to do, not why: contractors may see this"),
        required=False,
        max_length=500,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=AdjustmentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status")},
    )
    refusal_reason = forms.CharField(
        label=_("Reason for refusing (if refused)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_date = DateField(
        label=_("Review by (optional)"), example=_("For example, 27 9 2026"), required=False
    )
    code_field, code_list_id, submit_label = "adjustment", "adjustment", _("Save adjustment")

    def layout_fields(self) -> list[Any]:
        return [
            Field.select("adjustment"),
            Field.text("details"),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.textarea("refusal_reason"),
            Field("review_date"),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") == AdjustmentStatus.REFUSED
            and not cleaned.get("refusal_reason", "").strip()
        ):
            self.add_error("refusal_reason", _("Give the reason the adjustment was refused"))
        return cleaned


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", _("Choose one")), *choices] if name != "source" else choices


class QuestionForm(forms.Form):
    """One profile question on its own page, as the GOV.UK pattern asks of the public."""

    def __init__(self, item: Characteristic, *args: Any, group: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listing = item.codes
        label = (listing.question or listing.title).text()
        hint = listing.hint.text() if listing.hint else ""
        # The GOV.UK ethnic group pattern: the group first, then the background within it.
        self.in_two_steps = bool(listing.groups) and not listing.multiple
        self.group = (
            group if self.in_two_steps and group in {g.code for g in listing.groups} else ""
        )
        if self.in_two_steps:
            if self.group:
                choices = [(c.code, c.label.text()) for c in listing.children(self.group)]
                label = str(_("Which of the following best describes your background?"))
                hint = listing.label(self.group)
            else:
                pnts = characteristics().prefer_not_to_say.label.text()
                choices = [
                    *((g.code, g.label.text()) for g in listing.groups),
                    (PREFER_NOT_TO_SAY, pnts),
                ]
            self.fields["answer"] = forms.ChoiceField(
                label=label, help_text=hint, required=False, choices=choices,
                widget=forms.RadioSelect,
            )  # fmt: skip
            self.helper = FormHelper()
            self.helper.form_tag = False
            self.helper.layout = Layout(
                Field.radios("answer", legend_size=Size.LARGE, legend_tag="h1")
            )
            return
        if listing.multiple:
            self.fields["answer"] = forms.MultipleChoiceField(
                label=label,
                help_text=hint or _("Select all that apply."),
                required=False,
                choices=_choices(item),
                widget=forms.CheckboxSelectMultiple,
            )
            field = Field.checkboxes("answer", legend_size=Size.LARGE, legend_tag="h1")
        else:
            self.fields["answer"] = forms.ChoiceField(
                label=label,
                help_text=hint,
                required=False,
                choices=_choices(item),
                widget=forms.RadioSelect,
            )
            field = Field.radios("answer", legend_size=Size.LARGE, legend_tag="h1")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(field)

    def clean_answer(self) -> list[str]:
        value = self.cleaned_data.get("answer")
        values = [value] if isinstance(value, str) and value else list(value or [])
        if PREFER_NOT_TO_SAY in values and len(values) > 1:
            raise forms.ValidationError(_("Choose answers, or 'Prefer not to say', but not both"))
        return values


class SendQuestionnaireForm(forms.Form):
    """How the questionnaire goes to the customer; the link or code itself is never shown."""

    channel = forms.ChoiceField(
        label=_("How should it reach them?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to send it")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = choices  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("channel", legend_size=Size.MEDIUM),
            Submit("submit", _("Send the questionnaire")),
        )


class LetterCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code from your letter"), max_length=40,
        help_text=_("Twelve letters and numbers, for example ABCD-EFGH-JK23"),
        error_messages={"required": _("Enter the code from your letter")},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("code", field_width=10), Submit("submit", _("Continue"))
        )
