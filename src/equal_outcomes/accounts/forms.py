from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field("password", autocomplete="current-password"),
            Submit("submit", _("Sign in")),
        )


class TwoFactorForm(forms.Form):
    """A six-digit code from the user's authenticator app. Each code works once."""

    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code, for example 123456"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "invalid": _("The code must be 6 digits, for example 123456"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("code", field_width=5, autocomplete="one-time-code", inputmode="numeric"),
            Submit("submit", _("Continue")),
        )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


def _helper(*layout: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Setting a password from an invitation or reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. A few unrelated words make a strong one."
        )
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""
        self.helper = _helper(
            Field("new_password1", autocomplete="new-password"),
            Field("new_password2", autocomplete="new-password"),
            Submit("submit", _("Set password")),
        )


class ResetRequestForm(PasswordResetForm):
    """Asking for a link to set a new password. Sends it with the service's own email (kept and
    retried if the server is down), to active accounts, including those invited who never set
    one; says the same whether or not the address is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.helper = _helper(Field.text("email"), Submit("submit", _("Send the link")))

    def get_users(self, email: str) -> Any:
        from equal_outcomes.accounts.models import User

        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        from equal_outcomes.accounts.users import invitation_email

        site = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
        for user in self.get_users(self.cleaned_data["email"]):
            invitation_email(user=user, site=site, reset=True)


class UserForm(forms.Form):
    """An account as an administrator sees it: who, what role, which areas."""

    username = forms.CharField(label=_("Username"), max_length=150,
                               error_messages={"required": _("Enter a username")})  # fmt: skip
    name = forms.CharField(label=_("Full name"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email address"),
                             error_messages={"required": _("Enter their email address"),
                                             "invalid": _("Enter an email address like name@example.org")})  # fmt: skip
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect,
                             error_messages={"required": _("Choose a role")})  # fmt: skip
    areas = forms.MultipleChoiceField(
        label=_("Areas (housing officers only)"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        from django.apps import apps

        from equal_outcomes.accounts.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices  # type: ignore[attr-defined]
        area_model = apps.get_model("customers", "Area")
        self.fields["areas"].choices = [  # type: ignore[attr-defined]
            (area.code, f"{area.name} ({area.code})")
            for area in area_model.objects.order_by("name")
        ]
        if editing:
            self.fields["username"].disabled = True
        submit = _("Save changes") if editing else _("Invite by email")
        self.helper = _helper(
            Field.text("username", field_width=20), Field.text("name"), Field.text("email"),
            Field.radios("role", legend_size=Size.SMALL, small=True),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Submit("submit", submit),
        )  # fmt: skip


# Whole numbers as the GOV.UK Design System asks: a text input that brings up the number pad.
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})

RETENTION_LABELS = {
    "expired_answers": _("Pregnancy and maternity answers, after they expire"),
    "ended_needs": _("Support and communication needs, after they end"),
    "emergency_access": _("Reasons given for emergency access, after it ends"),
    "invitations": _("Questionnaire invitations, after they expire"),
    "drafts": _("Unfinished questionnaire answers, after they were last saved"),
    "closed_referrals": _("What closed referrals said, after they closed"),
    "decided_reports": _("Notes of reports from visits, after they were decided"),
    "import_reports": _("Import reports, after the import"),
    "former_customers": _("Former customers' data but their names, after the tenancy ends"),
    "applications": _("Job applications, after they were made"),
    "survey_responses": _("Staff survey responses, after they were given"),
    "former_staff": _("Former staff and board members' records, after they left"),
}


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Landlord's name"), max_length=200, required=False,
                           help_text=_("Shown on every page and report"))  # fmt: skip
    nation = forms.ChoiceField(
        label=_("Nation"), widget=forms.RadioSelect,
        help_text=_("In Wales, the questionnaire, letters and emails offer Welsh first"),
    )  # fmt: skip
    coverage_achieving = forms.IntegerField(label=_("Achieving level of coverage (%)"),
                                            min_value=1, max_value=99, widget=NUMBER)  # fmt: skip
    coverage_excellent = forms.IntegerField(label=_("Excellent level of coverage (%)"),
                                            min_value=2, max_value=100, widget=NUMBER)  # fmt: skip
    stale_after_days = forms.IntegerField(
        label=_("Days before an answer needs confirming"), min_value=30, max_value=3650,
        widget=NUMBER,
    )  # fmt: skip
    privacy_contact = forms.CharField(
        label=_("Privacy contact"), max_length=300, required=False,
        help_text=_("Shown to tenants on the questionnaire: an email address, phone or address"),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        from equal_outcomes.accounts.models import Nation

        super().__init__(*args, **kwargs)
        self.fields["nation"].choices = Nation.choices  # type: ignore[attr-defined]
        retention = []
        for rule in settings.EQUAL_OUTCOMES_RETENTION:
            name = f"retain_{rule}"
            self.fields[name] = forms.IntegerField(
                label=RETENTION_LABELS.get(rule, rule), min_value=0, max_value=36500,
                help_text=_("Days"), widget=NUMBER,
            )  # fmt: skip
            retention.append(Field.text(name, field_width=4))
        self.helper = _helper(
            Field.text("name"), Field.radios("nation", legend_size=Size.SMALL, inline=True),
            Field.text("coverage_achieving", field_width=3),
            Field.text("coverage_excellent", field_width=3),
            Field.text("stale_after_days", field_width=4), Field.text("privacy_contact"),
            *retention, Submit("submit", _("Save settings")),
        )  # fmt: skip
