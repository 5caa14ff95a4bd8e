"""Forms for self-assessment, the toolkit, action plans, objectives, policies and impact
assessments, rendered with GOV.UK Frontend components (crispy-forms-gds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from equal_outcomes.analysis.indicators import default_indicators
from equal_outcomes.assessment.evidence import protected
from equal_outcomes.assessment.framework import editions
from equal_outcomes.assessment.models import (
    ActionStatus,
    Answer,
    ImpactKind,
    MeasureKind,
    ObjectiveStatus,
    PeopleKind,
    Rating,
)
from equal_outcomes.core.dates import DateField
from equal_outcomes.core.templatetags.codes import category_label, humanise, indicator_name
from equal_outcomes.core.versions import VersionedForm
from equal_outcomes.standards.codelists import characteristics

EVIDENCE_TYPES = {".pdf", ".docx", ".xlsx", ".odt", ".ods", ".csv", ".txt", ".png", ".jpg", ".jpeg"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _date(label: Any, required: bool = True) -> DateField:
    return DateField(label=label, required=required)


class _Form(VersionedForm):
    """Forms of this app carry the version of the record they change (core.versions)."""

    submit_label: Any = _("Save")
    layout: tuple[Any, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.fields_layout(), Submit("submit", self.submit_label))

    def fields_layout(self) -> list[Any]:
        return [Field(name) for name in self.fields if name != "version"]


class AssessmentForm(_Form):
    edition = forms.ChoiceField(
        label=_("Which edition of the framework?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the edition of the framework")},
    )
    areas = forms.MultipleChoiceField(
        label=_("Which areas are you assessing?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title, for example 'Knowing your customers 2026'")},
    )
    assessed_on = _date(_("Date of the assessment"))
    assessors = forms.CharField(
        label=_("Assessors"),
        help_text=_("Who is assessing: names or roles, and any peer reviewers"),
        max_length=500,
        error_messages={"required": _("Enter who is assessing")},
    )
    submit_label = _("Start the assessment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = editions()
        self.fields["edition"].choices = [(e.id, e.title) for e in found.values()]  # type: ignore[attr-defined]
        areas: dict[str, str] = {}
        for edition in found.values():
            for area in edition.areas:
                areas.setdefault(area.id, area.title)
        self.fields["areas"].choices = list(areas.items())  # type: ignore[attr-defined]

    def fields_layout(self) -> list[Any]:
        return [
            Field.radios("edition", legend_size=Size.SMALL),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field("assessed_on"),
            Field.text("assessors"),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = editions().get(cleaned.get("edition", ""))
        if chosen and cleaned.get("areas"):
            offered = {area.id for area in chosen.areas}
            if missing := [a for a in cleaned["areas"] if a not in offered]:
                titles = dict(self.fields["areas"].choices)  # type: ignore[attr-defined]
                names = ", ".join(str(titles[a]) for a in missing)
                self.add_error(
                    "areas",
                    _("The %(edition)s does not cover: %(areas)s")
                    % {"edition": chosen.short_title, "areas": names},
                )
        return cleaned


class ResponseForm(_Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Why does your answer differ from the live evidence?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("Evidence notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    links = forms.CharField(
        label=_("Links to evidence"),
        help_text=_("One web address per line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = forms.FileField(
        label=_("Upload a document (optional)"),
        help_text=_("PDF, Word, Excel, OpenDocument, CSV, text or an image; up to 10 MB"),
        required=False,
    )
    submit_label = _("Save answer")

    def __init__(self, *args: Any, live: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.live = live
        super().__init__(*args, **kwargs)

    def fields_layout(self) -> list[Any]:
        layout = [Field.radios("answer", legend_size=Size.MEDIUM, small=True)]
        if self.live:
            layout.append(Field.textarea("override_reason"))
        return [*layout, Field.textarea("notes"), Field.textarea("links"), Field("upload")]

    def clean_links(self) -> str:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validate = forms.URLField(assume_scheme="https").clean
        for link in links:
            try:
                validate(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("'%(link)s' is not a web address: start it with https://")
                    % {"link": link[:80]}
                ) from None
        return "\n".join(links)

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() not in EVIDENCE_TYPES:
            raise forms.ValidationError(
                _("The document must be a PDF, Word, Excel, OpenDocument, CSV, text or image file")
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The document must be smaller than 10 MB"))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answer = cleaned.get("answer")
        differs = self.live and answer and answer != self.live["suggested"]
        if differs and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason", _("Give the reason your answer differs from the live evidence")
            )
        return cleaned


class RatingForm(_Form):
    rating = forms.TypedChoiceField(
        label=_("How well is this in place?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 4")},
    )
    difference = forms.CharField(
        label=_("What difference has this made?"),
        help_text=_("The outcomes for customers or staff, with the evidence for them"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    submit_label = _("Save rating")

    def fields_layout(self) -> list[Any]:
        return [
            Field.radios("rating", legend_size=Size.MEDIUM, small=True),
            Field.textarea("difference"),
        ]


def indicator_choices() -> list[tuple[str, str]]:
    """Every indicator by its title in the reader's language."""
    return [(i.id, indicator_name(i.id)) for i in default_indicators()]


def service_indicator_choices() -> list[tuple[str, str]]:
    """Every indicator under its service's name, in the reader's language, service by service
    in the order of the services' pages."""
    from django.utils.translation import get_language

    from equal_outcomes.analysis.indicators import services

    language = (get_language() or "en")[:2]
    order = {service.id: place for place, service in enumerate(services())}
    names = {service.id: service.title_in(language) for service in services()}
    listed = sorted(default_indicators(), key=lambda i: order.get(i.service, len(order)))
    return [
        (
            i.id,
            f"{names[i.service]}: {indicator_name(i.id)}"
            if i.service in names
            else indicator_name(i.id),
        )
        for i in listed
    ]


def group_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every group a breakdown by a protected characteristic shows, in words under the
    characteristic's name: the value is ``characteristic:code``, so a measure names only a group
    the dashboards read."""
    return [
        (
            humanise(name),
            [
                (f"{name}:{code.code}", category_label(code.code, name))
                for code in characteristics().get(name).codes.selectable
            ],
        )
        for name in protected()
    ]


class ActionForm(_Form):
    title = forms.CharField(
        label=_("Action"),
        max_length=500,
        error_messages={"required": _("Say what will be done")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.CharField(
        label=_("Owner"), max_length=200, error_messages={"required": _("Enter who owns it")}
    )
    due_on = _date(_("Due by"))
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    risk = forms.ChoiceField(label=_("The risk it addresses (optional)"), required=False)
    objective = forms.ChoiceField(label=_("The objective it serves (optional)"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    group = forms.ChoiceField(
        label=_("Group"),
        help_text=_("The group whose outcome the action should improve"),
        required=False,
    )
    measure = forms.ChoiceField(
        label=_("Target"),
        choices=[("", _("No measure")), *MeasureKind.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    target = forms.FloatField(
        label=_("Target figure"),
        help_text=_("For rates, in percentage points or per cent: 5 means 5 points or 5%"),
        required=False,
    )
    # The adverse impact whose mitigation this action carries out (set from the policy page).
    impact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    submit_label = _("Save action")

    def __init__(
        self,
        *args: Any,
        risks: list[tuple[str, str]] | None = None,
        objectives: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        none = [("", _("None"))]
        self.fields["risk"].choices = none + (risks or [])  # type: ignore[attr-defined]
        self.fields["objective"].choices = none + (objectives or [])  # type: ignore[attr-defined]
        self.fields["indicator"].choices = none + indicator_choices()  # type: ignore[attr-defined]
        self.fields["group"].choices = [("", _("None")), *group_choices()]  # type: ignore[attr-defined]
        held = self.initial.get("characteristic"), self.initial.get("category")
        if all(held) and "group" not in self.initial:
            self.initial["group"] = f"{held[0]}:{held[1]}"

    def fields_layout(self) -> list[Any]:
        return [
            Field.textarea("title"),
            Field.text("owner"),
            Field("due_on"),
            Field.radios("status", legend_size=Size.SMALL, small=True, inline=True),
            Field.select("risk"),
            Field.select("objective"),
            Field.select("indicator"),
            Field.select("group"),
            Field.radios("measure", legend_size=Size.SMALL, small=True),
            Field.text("target", field_width=5),
            Field("impact"),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        characteristic, _colon, category = (cleaned.get("group") or "").partition(":")
        cleaned["characteristic"], cleaned["category"] = characteristic, category
        parts = ("indicator", "group", "measure")
        given = [name for name in parts if cleaned.get(name)]
        if given and len(given) < len(parts):
            for name in parts:
                if not cleaned.get(name):
                    self.add_error(name, _("A measure needs an indicator, a group and a target"))
        if cleaned.get("measure") and cleaned.get("target") is None:
            self.add_error("target", _("Enter the target figure"))
        return cleaned


class ObjectiveForm(_Form):
    title = forms.CharField(
        label=_("Objective"), max_length=300, error_messages={"required": _("Enter the objective")}
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.CharField(
        label=_("Owner"), max_length=200, error_messages={"required": _("Enter who owns it")}
    )
    set_on = _date(_("Date set"))
    last_reviewed_on = _date(_("Last reviewed (optional)"), required=False)
    review_every_years = forms.IntegerField(
        label=_("Review at least every (years)"), min_value=1, max_value=10, initial=3
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ObjectiveStatus.choices,
        widget=forms.RadioSelect,
        initial=ObjectiveStatus.ACTIVE,
    )
    submit_label = _("Save objective")

    def fields_layout(self) -> list[Any]:
        return [
            Field.text("title"),
            Field.textarea("description"),
            Field.text("owner"),
            Field("set_on"),
            Field("last_reviewed_on"),
            Field.text("review_every_years", field_width=2),
            Field.radios("status", legend_size=Size.SMALL, small=True, inline=True),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        set_on, reviewed = cleaned.get("set_on"), cleaned.get("last_reviewed_on")
        if set_on and reviewed and reviewed < set_on:
            self.add_error("last_reviewed_on", _("The review must be on or after the date set"))
        return cleaned


class PolicyForm(_Form):
    name = forms.CharField(
        label=_("Policy"), max_length=200, error_messages={"required": _("Enter the policy's name")}
    )
    owner = forms.CharField(
        label=_("Owner"), max_length=200, error_messages={"required": _("Enter who owns it")}
    )
    adopted_on = _date(_("Date adopted"))
    review_cycle_years = forms.IntegerField(
        label=_("Review cycle (years)"), min_value=1, max_value=10, initial=3
    )
    submit_label = _("Add policy")

    def fields_layout(self) -> list[Any]:
        return [Field.text("name"), Field.text("owner"), Field("adopted_on"),
                Field.text("review_cycle_years", field_width=2)]  # fmt: skip


class PolicyReviewForm(_Form):
    reviewed_on = _date(_("Date reviewed"))
    notes = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submit_label = _("Record review")

    def fields_layout(self) -> list[Any]:
        return [Field("reviewed_on"), Field.textarea("notes")]


class ImpactAssessmentForm(_Form):
    """An impact assessment: its date and author, then each protected characteristic's impact,
    evidence and mitigation."""

    completed_on = _date(_("Date completed"))
    assessor = forms.CharField(
        label=_("Assessed by"),
        max_length=200,
        error_messages={"required": _("Enter who assessed it")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Service indicators the policy bears on (optional)"),
        help_text=_(
            "Choose them, then Show their figures: each characteristic's evidence starts with "
            "the groups the outcome tables find worse or better served."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    submit_label = _("Save impact assessment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.characteristics = protected()
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = service_indicator_choices()  # type: ignore[attr-defined]

    def _add_fields(self) -> None:
        for name in self.characteristics:
            label = humanise(name)
            self.fields[f"impact_{name}"] = forms.ChoiceField(
                label=_("Impact on %(name)s") % {"name": label},
                choices=ImpactKind.choices,
                initial=ImpactKind.UNKNOWN,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{name}"] = forms.CharField(
                label=_("Evidence (%(name)s)") % {"name": label},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"mitigation_{name}"] = forms.CharField(
                label=_("Mitigation (%(name)s)") % {"name": label},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def fields_layout(self) -> list[Any]:
        self._add_fields()
        layout: list[Any] = [
            Field("completed_on"),
            Field.text("assessor"),
            Field.textarea("summary"),
            Field.checkboxes("indicators", legend_size=Size.SMALL, small=True),
            Submit("show", _("Show their figures"), css_class="govuk-button--secondary"),
        ]
        for name in self.characteristics:
            layout += [
                Field.radios(f"impact_{name}", legend_size=Size.SMALL, small=True, inline=True),
                Field.textarea(f"evidence_{name}"),
                Field.textarea(f"mitigation_{name}"),
            ]
        return layout

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.characteristics:
            if (
                cleaned.get(f"impact_{name}") == ImpactKind.NEGATIVE
                and not cleaned.get(f"mitigation_{name}", "").strip()
            ):
                self.add_error(
                    f"mitigation_{name}",
                    _("Say how the adverse impact on %(name)s will be mitigated")
                    % {"name": humanise(name)},
                )
        return cleaned

    def impacts(self) -> list[dict[str, str]]:
        return [
            {
                "characteristic": name,
                "impact": self.cleaned_data[f"impact_{name}"],
                "evidence": self.cleaned_data[f"evidence_{name}"],
                "mitigation": self.cleaned_data[f"mitigation_{name}"],
            }
            for name in self.characteristics
        ]


class PeopleEvidenceForm(_Form):
    kind = forms.ChoiceField(
        label=_("Kind of evidence"), choices=PeopleKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of evidence")},
    )  # fmt: skip
    recorded_on = _date(_("Date"))
    note = forms.CharField(
        label=_("What it showed"),
        help_text=_("Themes and findings, not people: no names or details of individuals"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what the evidence showed")},
    )
    submit_label = _("Add evidence")

    def fields_layout(self) -> list[Any]:
        return [Field.radios("kind", legend_size=Size.SMALL, small=True), Field("recorded_on"),
                Field.textarea("note")]  # fmt: skip


class StoryForm(_Form):
    """Every "story behind the data" question of one sub-outcome, answered together."""

    submit_label = _("Save answers")

    def __init__(self, *args: Any, questions: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.questions = questions
        super().__init__(*args, **kwargs)

    def fields_layout(self) -> list[Any]:
        for i, question in enumerate(self.questions):
            self.fields[f"q{i}"] = forms.CharField(
                label=question,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        return [Field.textarea(f"q{i}") for i in range(len(self.questions))]


class RiskForm(_Form):
    problem = forms.CharField(
        label=_("The problem"),
        max_length=500,
        error_messages={"required": _("Describe the problem")},
    )
    text = forms.CharField(
        label=_("The risk"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the risk")},
    )  # fmt: skip
    submit_label = _("Save risk")

    def fields_layout(self) -> list[Any]:
        return [Field.text("problem"), Field.textarea("text")]
