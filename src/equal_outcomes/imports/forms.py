from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from equal_outcomes.standards.codelists import code_list

MAX_UPLOAD_MB = 50


class CustomerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export from your housing management system"),
        # Worked out when the form is drawn, in the reader's language (see __init__).
        help_text="",
        error_messages={"required": _("Choose a CSV or XLSX file")},
    )
    mapping = forms.FileField(
        label=_("Mapping file (optional)"),
        help_text=_("A YAML file saying how your system's columns and values map to ours"),
        required=False,
    )
    customer_type = forms.ChoiceField(
        label=_("Customer type for rows that do not give one"),
        required=False,
        choices=[],
    )
    dry_run = forms.BooleanField(
        label=_("Check the file only: do not import anything"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV or XLSX file, up to %(mb)d MB. Larger files: use the command line."
        ) % {"mb": MAX_UPLOAD_MB}
        types = self.fields["customer_type"]
        assert isinstance(types, forms.ChoiceField)
        types.choices = [
            ("", _("None: every row gives its type")),
            *code_list("customer_type").choices(),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field("file"),
            Field("mapping"),
            Field.select("customer_type"),
            Field.checkbox("dry_run"),
            Submit("submit", _("Check and import")),
        )

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data["file"])


def checked_upload(upload: Any) -> Any:
    """An uploaded CSV or XLSX file within the size limit, or the reason it is not."""
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB: use the command line") % {"mb": MAX_UPLOAD_MB}
        )
    if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise forms.ValidationError(_("The file must be CSV or XLSX"))
    return upload


class MappedUploadForm(forms.Form):
    """A file to import, an optional mapping file, and whether only to check it: what every
    upload page asks (each adds its own fields and says what the file holds)."""

    mapping = forms.FileField(
        label=_("Mapping file (optional)"),
        help_text=_("A YAML file saying how your system's columns and values map to ours"),
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Check the file only: do not import anything"), required=False
    )

    def layout(self, *fields: Any) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            *fields, Field("file"), Field("mapping"), Field.checkbox("dry_run"),
            Submit("submit", _("Check and import")),
        )  # fmt: skip

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data["file"])


class PlacesImportForm(MappedUploadForm):
    file = forms.FileField(
        label=_("Export of your areas, estates and properties"),
        help_text=_("A CSV or XLSX file with the columns area, area_name, estate, estate_name, block, property_ref, uprn, address_line_1, address_line_2, town, postcode, lsoa and local_authority (only area is needed)."),
        error_messages={"required": _("Choose a CSV or XLSX file")},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout()
