"""The staff upload screen for customer imports (the equality and data lead)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.roles import can_import
from equal_outcomes.accounts.services import refusal_recorded
from equal_outcomes.imports.customers import import_customers
from equal_outcomes.imports.forms import CustomerImportForm
from equal_outcomes.imports.readers import UnreadableFile
from equal_outcomes.imports.values import BadValue

SHOWN_PROBLEMS = 200


def _save(upload: UploadedFile, folder: Path, suffix: str) -> Path:
    """Uploads are written (mode 0600) under the installation's home and removed afterwards."""
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False)  # noqa: SIM115
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path = Path(handle.name)
    path.chmod(0o600)
    return path


@login_required
@require_http_methods(["GET", "POST"])
def import_customers_page(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user.role):  # type: ignore[union-attr]
        refusal_recorded(request=request, target_type="page", target_id="imports:customers")
        raise PermissionDenied
    form = CustomerImportForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        upload = form.cleaned_data["file"]
        saved = [_save(upload, folder, Path(upload.name).suffix.lower())]
        if form.cleaned_data["mapping"]:
            saved.append(_save(form.cleaned_data["mapping"], folder, ".yaml"))
        try:
            report = import_customers(
                saved[0],
                actor=request.user,
                mapping_path=saved[1] if len(saved) > 1 else None,
                default_type=form.cleaned_data["customer_type"],
                dry_run=form.cleaned_data["dry_run"],
            )
            report.file = upload.name
            context["report"] = report
            context["shown_problems"] = report.problems[:SHOWN_PROBLEMS]
        except (UnreadableFile, BadValue) as error:
            form.add_error("file", str(error))
        finally:
            for path in saved:
                path.unlink(missing_ok=True)
    return render(request, "imports/customers.html", context)
