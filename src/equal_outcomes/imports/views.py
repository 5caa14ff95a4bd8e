"""The staff upload screen for customer imports (the equality and data lead)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.guards import role_required
from equal_outcomes.accounts.roles import can_import, can_import_places
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.imports import jobs
from equal_outcomes.imports.customers import ImportReport, Problem
from equal_outcomes.imports.forms import CustomerImportForm, PlacesImportForm
from equal_outcomes.imports.models import JobStatus
from equal_outcomes.imports.places import import_places

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


@role_required(can_import)
@require_http_methods(["GET", "POST"])
def import_customers_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is checked and imported in the background while you watch."""
    form = CustomerImportForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data["mapping"]
        job = jobs.job_start(
            actor=request.user, file_name=upload.name,
            stored_path=_save(upload, jobs.folder(), Path(upload.name).suffix.lower()),
            mapping_path=_save(mapping, jobs.folder(), ".yaml") if mapping else None,
            default_type=form.cleaned_data["customer_type"], dry_run=form.cleaned_data["dry_run"],
        )  # fmt: skip
        return redirect("imports:job", public_id=job.public_id)
    recent = jobs.jobs_of(request.user)
    return render(request, "imports/customers.html", {"form": form, "recent": recent})


@role_required(can_import)
def job(request: HttpRequest, public_id: str) -> HttpResponse:
    """An import's progress while it runs (the page refreshes itself), then its report."""
    found = jobs.job_of(request.user, public_id)
    if found is None:
        raise Http404
    context: dict[str, Any] = {
        "job": found,
        "running": found.status in {JobStatus.QUEUED, JobStatus.RUNNING},
    }
    if context["running"]:
        progress = jobs.progress_of(found)
        context["progress"] = progress
        context["stage_number"] = jobs.STAGES.get(progress["stage"], 0)
        context["stages"] = len(jobs.STAGES)
    elif found.report:
        data = json.loads(found.report)
        if "error" in data:
            context["error"] = data["error"]
        else:
            report = ImportReport(**{**data, "problems": [Problem(**p) for p in data["problems"]]})
            context["report"] = report
            context["shown_problems"] = report.problems[:SHOWN_PROBLEMS]
    return render(request, "imports/job.html", context)


@role_required(can_import_places)
@require_http_methods(["GET", "POST"])
def import_places_page(request: HttpRequest) -> HttpResponse:
    """Upload the stock; it is checked and (all or nothing) imported at once, with a report by
    row and column."""
    form = PlacesImportForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload, mapping = form.cleaned_data["file"], form.cleaned_data["mapping"]
        stored = _save(upload, jobs.folder(), Path(upload.name).suffix.lower())
        mapped = _save(mapping, jobs.folder(), ".yaml") if mapping else None
        try:
            report = import_places(stored, actor=request.user, mapping_path=mapped,
                                   dry_run=form.cleaned_data["dry_run"])  # fmt: skip
            report.file = upload.name
        except UnreadableFile as error:
            form.add_error("file", str(error))
        finally:
            stored.unlink(missing_ok=True)
            if mapped is not None:
                mapped.unlink(missing_ok=True)
    status = 400 if form.errors or (report and report.problems) else 200
    labels = {"areas": _("Areas"), "estates": _("Estates"), "blocks": _("Blocks"),
              "properties": _("Properties")}  # fmt: skip
    context = {
        "form": form,
        "report": report,
        "problems": report.problems[:SHOWN_PROBLEMS] if report else [],
        "counts": [(label, report.created[kind], report.updated[kind])
                   for kind, label in labels.items()] if report else [],
    }  # fmt: skip
    return render(request, "imports/places.html", context, status=status)
