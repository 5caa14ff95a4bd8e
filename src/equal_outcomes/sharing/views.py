"""Downloads of profile data for the equality and data lead."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.roles import can_export_profiles
from equal_outcomes.accounts.services import require
from equal_outcomes.core.spreadsheets import FORMATS
from equal_outcomes.sharing.exports import customer_export

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_http_methods(["GET", "POST"])
def export_customers(request: HttpRequest) -> HttpResponse:
    require(request, can_export_profiles(request.user.role))  # type: ignore[union-attr]
    if request.method == "POST":
        file_format = request.POST.get("format", "")
        if file_format not in FORMATS:
            context = {"error": _("Choose CSV or XLSX")}
            return render(request, "sharing/export.html", context, status=400)
        response = HttpResponse(
            customer_export(actor=request.user, file_format=file_format),
            content_type=CONTENT_TYPES[file_format],
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="customers-{stamp}.{file_format}"'
        return response
    return render(request, "sharing/export.html", {})
