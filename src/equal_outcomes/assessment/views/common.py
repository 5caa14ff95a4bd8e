"""What the assessment pages share: the form page they draw."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest, form: Any, context: dict[str, Any], status: int | None = None
) -> HttpResponse:
    """The shared form page: error summary, caption, heading, intro and the form."""
    if status is None:
        status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessment/form.html", {"form": form, **context}, status=status)
