from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class CustomerSearchForm(forms.Form):
    query = forms.CharField(
        label=_("Customer reference or name"),
        max_length=100,
        error_messages={"required": _("Enter a customer reference or name")},
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
