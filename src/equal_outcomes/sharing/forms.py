"""Forms for agreements, finding a job pack and reporting back from a visit."""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from equal_outcomes.accounts.models import User
from equal_outcomes.accounts.roles import Role
from equal_outcomes.core.dates import DateField
from equal_outcomes.core.versions import VersionedForm
from equal_outcomes.sharing.jobs import contractor_agreements
from equal_outcomes.sharing.models import (
    Consent,
    Direction,
    PartnerKind,
    ReferralStatus,
    ReportKind,
    ShareField,
)
from equal_outcomes.standards.codelists import code_list


def _date(label: Any) -> DateField:
    return DateField(label=label)


def _helper(*layout: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.render_hidden_fields = True  # the record's version (core.versions)
    helper.label_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class AgreementForm(VersionedForm):
    partner = forms.CharField(
        label=_("Partner"),
        max_length=200,
        error_messages={"required": _("Enter the partner's name")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of partner"), choices=PartnerKind.choices, widget=forms.RadioSelect
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what the data is shared for")},
    )  # fmt: skip
    lawful_basis = forms.CharField(
        label=_("Lawful basis"), max_length=300,
        help_text=_("For example, UK GDPR Art. 6(1)(b) contract, for the repairs contract"),
        error_messages={"required": _("Enter the lawful basis")},
    )  # fmt: skip
    shared_fields = forms.MultipleChoiceField(
        label=_("What may be shared"), choices=ShareField.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Protected characteristics and support needs can never be shared."),
        error_messages={"required": _("Choose at least one thing that may be shared")},
    )  # fmt: skip
    starts_on = _date(_("Starts"))
    expires_on = _date(_("Expires"))
    review_on = _date(_("Review by"))
    users = forms.MultipleChoiceField(
        label=_("Partner staff who use it"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = [  # type: ignore[attr-defined]
            (str(user.pk), f"{user.get_full_name() or user.username} ({user.username})")
            for user in User.objects.filter(
                role__in=[Role.CONTRACTOR, Role.PARTNER], is_active=True
            )
        ]
        self.helper = _helper(
            Field.text("partner"), Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.textarea("purpose"), Field.text("lawful_basis"),
            Field.checkboxes("shared_fields", legend_size=Size.SMALL, small=True),
            Field("starts_on"), Field("expires_on"), Field("review_on"),
            Field.checkboxes("users", legend_size=Size.SMALL, small=True),
            Submit("submit", _("Save agreement")),
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, expires, review = (cleaned.get(n) for n in ("starts_on", "expires_on", "review_on"))
        if starts and expires and expires < starts:
            self.add_error("expires_on", _("The agreement must expire after it starts"))
        if starts and review and review < starts:
            self.add_error("review_on", _("The review must be after the agreement starts"))
        return cleaned


class FindForm(forms.Form):
    query = forms.CharField(
        label=_("Property reference, address or postcode"), max_length=100,
        help_text=_("As on the work order: for example, P00042, 12 Heol y Frenhines or CF10 1AB"),
        error_messages={"required": _("Enter the property reference, address or postcode")},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("query", field_width=20), Submit("submit", _("Find the job"))
        )


class ReportBackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to report?"), choices=ReportKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are reporting")},
    )  # fmt: skip
    visit_on = _date(_("Date of the visit"))
    suggested_need = forms.ChoiceField(label=_("The need you noticed"), required=False)
    note = forms.CharField(
        label=_("What you noticed (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What would help next time, in a few words. Do not guess at anyone's health or background."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = code_list("communication_need").choices()
        self.fields["suggested_need"].choices = [("", _("Choose a need")), *needs]  # type: ignore[attr-defined]
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, small=True), Field("visit_on"),
            Field.select("suggested_need"), Field.textarea("note"), Submit("submit", _("Send the report")),
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == ReportKind.NEED and not cleaned.get("suggested_need"):
            self.add_error("suggested_need", _("Choose the need you noticed"))
        return cleaned


class ReferralForm(forms.Form):
    customer_ref = forms.CharField(
        label=_("Customer reference"), max_length=32,
        error_messages={"required": _("Enter the customer's reference")},
    )  # fmt: skip
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, widget=forms.RadioSelect
    )
    agreement = forms.ChoiceField(
        label=_("Partner"), error_messages={"required": _("Choose the partner")}
    )
    need = forms.ChoiceField(
        label=_("Support asked for"), error_messages={"required": _("Choose the support asked for")}
    )
    consent = forms.ChoiceField(
        label=_("Consent"), choices=Consent.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the customer agreed")},
    )  # fmt: skip
    consent_on = DateField(label=_("Date the customer agreed"), required=False)
    safeguarding_reason = forms.CharField(
        label=_("Safeguarding reason (without consent only)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    referred_on = _date(_("Date referred"))

    def __init__(self, *args: Any, agreements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [("", _("Choose the partner")), *agreements]  # type: ignore[attr-defined]
        needs = code_list("support_need").choices()
        self.fields["need"].choices = [("", _("Choose the support asked for")), *needs]  # type: ignore[attr-defined]
        self.helper = _helper(
            Field.text("customer_ref", field_width=10), Field.radios("direction", legend_size=Size.SMALL, small=True),
            Field.select("agreement"), Field.select("need"),
            Field.radios("consent", legend_size=Size.SMALL, small=True), Field("consent_on"),
            Field.textarea("safeguarding_reason"), Field("referred_on"), Submit("submit", _("Record the referral")),
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("consent") == Consent.GIVEN and not cleaned.get("consent_on"):
            self.add_error("consent_on", _("Enter the date the customer agreed"))
        if (
            cleaned.get("consent") == Consent.SAFEGUARDING
            and not cleaned.get("safeguarding_reason", "").strip()
        ):
            self.add_error(
                "safeguarding_reason",
                _("Give the safeguarding reason for referring without consent"),
            )
        return cleaned


class ReferralUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=ReferralStatus.choices, widget=forms.RadioSelect
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, small=True), Field.textarea("outcome"),
            Submit("submit", _("Save")),
        )  # fmt: skip


class JobForm(forms.Form):
    """Raising a job for a contractor by hand (most come from the housing system)."""

    property_ref = forms.CharField(
        label=_("Property reference"), max_length=32,
        error_messages={"required": _("Enter the property reference")},
    )  # fmt: skip
    contractor = forms.ChoiceField(
        label=_("Contractor"), error_messages={"required": _("Choose the contractor")}
    )
    work = forms.CharField(
        label=_("The work"), max_length=200, required=False,
        help_text=_("For example, boiler service. Nothing about the people who live there."),
    )  # fmt: skip
    job_ref = forms.CharField(
        label=_("Job reference (optional)"), max_length=40, required=False,
        help_text=_("The work order number, if it has one; otherwise one is made up."),
    )  # fmt: skip
    due_on = _date(_("Due by (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].required = False
        self.fields["contractor"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a contractor")),
            *((str(a.pk), a.partner) for a in contractor_agreements()),
        ]
        self.helper = _helper(
            Field.text("property_ref", field_width=10), "contractor",
            Field.text("work"), Field.text("job_ref", field_width=20), "due_on",
            Submit("submit", _("Raise the job")),
        )  # fmt: skip

    def cells(self) -> dict[str, str]:
        """The job's values as text, as a file row or the API gives them."""
        data = self.cleaned_data
        due = data.get("due_on")
        return {
            "job_ref": data["job_ref"].strip() or f"EO-{uuid.uuid4().hex[:8].upper()}",
            "property_ref": data["property_ref"],
            "contractor": data["contractor"],
            "work": data["work"],
            "due_on": due.isoformat() if due else "",
        }
