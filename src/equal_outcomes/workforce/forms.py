from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.templatetags.codes import humanise
from equal_outcomes.imports.forms import MAX_UPLOAD_MB, MappedUploadForm
from equal_outcomes.workforce.analysis import category_choices
from equal_outcomes.workforce.imports import KINDS
from equal_outcomes.workforce.models import Benchmark

KIND_LABELS = {
    "staff": _("Staff in post and leavers"),
    "board": _("Board members"),
    "applications": _("Job applications"),
    "training": _("Training completed"),
    "survey": _("Staff survey responses"),
    "cases": _("Grievance, harassment, bullying and disciplinary cases"),
    "benchmarks": _("Labour-market benchmarks and targets"),
}


class WorkforceImportForm(MappedUploadForm):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(kind, KIND_LABELS[kind]) for kind in KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the file holds")},
    )
    file = forms.FileField(
        label=_("Export from your HR system"),
        help_text=_("A CSV or XLSX file, up to %(mb)d MB.") % {"mb": MAX_UPLOAD_MB},
        error_messages={"required": _("Choose a CSV or XLSX file")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout(Field.radios("kind"))


class BenchmarkForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Benchmark
        fields = ["comparison", "body", "characteristic", "category", "share", "source"]
        widgets = {"comparison": forms.RadioSelect, "body": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = category_choices()
        self.fields["characteristic"] = forms.ChoiceField(
            label=_("Characteristic"), choices=[(name, humanise(name)) for name in choices]
        )
        self.fields["category"].help_text = _(
            "A code from the characteristic's list, for example female, asian, yes or 25-34"
        )
        self.fields["share"].help_text = _("A percentage from 0 to 100")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("comparison", inline=True),
            Field.radios("body", inline=True),
            Field.select("characteristic"),
            Field.text("category", field_width=10),
            Field.text("share", field_width=5),
            Field.text("source"),
            Submit("submit", _("Save")),
        )

    def validate_unique(self) -> None:
        """A category already held is replaced, not refused (see ``views.benchmarks``)."""

    def clean_share(self) -> Any:
        share = self.cleaned_data["share"]
        if not 0 <= share <= 100:
            raise forms.ValidationError(_("The share must be a percentage from 0 to 100"))
        return share

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        characteristic, category = data.get("characteristic"), data.get("category")
        if characteristic and category and category not in category_choices()[characteristic]:
            self.add_error(
                "category",
                _("Not a category of %(name)s: use one of %(codes)s")
                % {
                    "name": humanise(characteristic),
                    "codes": ", ".join(category_choices()[characteristic]),
                },
            )
        return data
