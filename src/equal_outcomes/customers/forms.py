from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.versions import VersionedForm


class CustomerSearchForm(forms.Form):
    query = forms.CharField(
        label=_("Customer reference, name, postcode, address or date of birth"),
        help_text=_("For example, 00077, Jones, CF10 1AA, 12 High Street or 4/7/1961"),
        max_length=100,
        error_messages={"required": _("Enter a customer reference, name, postcode or address")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.text("query", field_width=20),
            Submit("search", _("Search")),
        )


def _helper(*fields: Any, submit: Any, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.render_hidden_fields = True  # the record's version (core.versions)
    helper.label_size = Size.SMALL
    button = Submit("submit", submit, css_class="govuk-button--warning" if warning else "")
    helper.layout = Layout(*fields, button)
    return helper


REASON_ERROR = _("Give the reason in at least 10 characters")


def _reason_field(label: Any, hint: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_ERROR, "min_length": REASON_ERROR},
    )


class EmergencyAccessForm(forms.Form):
    landlord_ref = forms.CharField(
        label=_("Customer reference"),
        max_length=32,
        error_messages={"required": _("Enter the customer reference")},
    )
    reason = _reason_field(
        _("Why do you need this record now?"),
        _("For example, an out-of-hours repair emergency. Do not include health details."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("landlord_ref", field_width=10),
            Field.textarea("reason"),
            submit=_("Open the record"),
        )


class CorrectionForm(VersionedForm):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("For example, 27/3/1987"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y"),
        error_messages={"invalid": _("Enter the date of birth as day/month/year")},
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    reason = _reason_field(
        _("Why are these details being corrected?"),
        _("For example, the customer told us their name is spelt differently."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("date_of_birth", field_width=10),
            Field.text("email", field_width=30),
            Field.text("phone", field_width=20),
            Field.textarea("reason"),
            submit=_("Save corrections"),
        )

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data.get("date_of_birth")
        if born and born > dt.date.today():
            raise forms.ValidationError(_("Date of birth must be in the past"))
        return born


class RestrictedDetailsForm(VersionedForm):
    safe_address = forms.CharField(
        label=_("Safe address"),
        help_text=_("Where to write or visit instead of the home. Never shared."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    gender_history = forms.CharField(
        label=_("Gender history"),
        help_text=_("Only what the customer asked us to record. Never shared."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("safe_address"),
            Field.textarea("gender_history"),
            submit=_("Save restricted details"),
        )


class ErasureForm(forms.Form):
    reason = _reason_field(
        _("Why is this person's data being erased?"),
        _("For example, a request under Article 17 received on 3 March, reference DP-123."),
    )
    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone"),
        error_messages={"required": _("Confirm that you understand this cannot be undone")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason"),
            Field.checkbox("confirm"),
            submit=_("Erase this person's data"),
            warning=True,
        )
