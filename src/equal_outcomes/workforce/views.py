"""The workforce pages: the dashboard and report (HR, the equality lead and the board), and
HR's records, imports and benchmarks."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.roles import (
    can_manage_workforce,
    can_view_workforce,
    sees_unsuppressed_workforce,
)
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.core.views import limit_exports
from equal_outcomes.imports.values import BadValue
from equal_outcomes.workforce import reports, selectors
from equal_outcomes.workforce.analysis import workforce_results
from equal_outcomes.workforce.forms import BenchmarkForm, WorkforceImportForm
from equal_outcomes.workforce.imports import import_workforce
from equal_outcomes.workforce.services import benchmark_save

SHOWN_PROBLEMS = 200
SHOWN_STAFF = 50


@role_required(can_view_workforce)
def dashboard(request: HttpRequest) -> HttpResponse:
    role = request.user.role  # type: ignore[union-attr]
    publishable = not sees_unsuppressed_workforce(role)
    results = workforce_results(actor=request.user, publishable=publishable)
    found = reports.sections(results)
    return render(
        request,
        "workforce/dashboard.html",
        {
            "results": results,
            "sections": found,
            "findings": reports.summary(found),
            "charts": [
                (f"staff-chart-{number}", chart)
                for number, chart in enumerate(reports.charts(results), start=1)
            ],
            "publishable": publishable,
        },
    )


@role_required(can_view_workforce)
@partial(limit_exports, methods=("GET",))
def report(request: HttpRequest) -> HttpResponse:
    role = request.user.role  # type: ignore[union-attr]
    file_format = request.GET.get("format", "html")
    if file_format not in reports.FORMATS:
        return HttpResponse(_("The format must be pdf, xlsx or html."), status=400)
    content = reports.workforce_report(
        actor=request.user,
        file_format=file_format,
        publishable=not sees_unsuppressed_workforce(role),
    )
    response = HttpResponse(content, content_type=reports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="workforce-{timezone.localdate()}.{file_format}"'
    )
    return response


@role_required(can_manage_workforce)
@require_http_methods(["GET", "POST"])
def records(request: AuthenticatedRequest) -> HttpResponse:
    """What HR holds, an upload for each kind of record, and the staff list."""
    user = request.user
    form = WorkforceImportForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    result = None
    if request.method == "POST" and form.is_valid():
        result = _import(form, user)
        if isinstance(result, str):
            form.add_error("file", result)
            result = None
        elif result.written:
            messages.success(
                request,
                _("Imported %(n)s rows: %(created)s created, %(updated)s updated, "
                  "%(unchanged)s unchanged.")
                % {"n": result.valid_rows, "created": result.created, "updated": result.updated,
                   "unchanged": result.unchanged},
            )  # fmt: skip
            return redirect("workforce:records")
    query = request.GET.get("q", "").strip()[:32]
    counts = selectors.records_held()
    return render(
        request,
        "workforce/records.html",
        {
            "form": form,
            "result": result,
            "problems": result.problems[:SHOWN_PROBLEMS] if result else [],
            "counts": counts,
            "staff": selectors.staff_list(query, limit=SHOWN_STAFF),
            "query": query,
        },
    )


def _import(form: WorkforceImportForm, user: Any) -> Any:
    """Runs the import on the uploaded file (HR files are small), removing it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="eo-hr-"))
    try:
        upload = form.cleaned_data["file"]
        path = folder / ("upload" + Path(upload.name).suffix.lower())
        path.write_bytes(b"".join(upload.chunks()))
        mapping_path = None
        if form.cleaned_data["mapping"]:
            mapping_path = folder / "mapping.yaml"
            mapping_path.write_bytes(b"".join(form.cleaned_data["mapping"].chunks()))
        return import_workforce(
            path,
            form.cleaned_data["kind"],
            actor=user,
            mapping_path=mapping_path,
            dry_run=form.cleaned_data["dry_run"],
        )
    except (UnreadableFile, BadValue) as error:
        return str(error)
    finally:
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()


@role_required(can_manage_workforce)
def staff_member(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """One member of staff or the board: their post, training, cases and equality answers (the
    read of which is audited)."""
    user = request.user
    record = selectors.staff_record(user=user, reference=reference)
    if record is None:
        raise Http404
    return render(
        request,
        "workforce/staff.html",
        {
            "member": record.member,
            "answers": record.answers,
            "training": record.training,
            "cases": record.cases,
        },
    )


@role_required(can_manage_workforce)
@require_http_methods(["GET", "POST"])
def benchmarks(request: AuthenticatedRequest) -> HttpResponse:
    """The local labour market's make-up and our targets, one category at a time. Saving a
    category that is already held replaces it."""
    form = BenchmarkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        benchmark_save(
            actor=request.user, comparison=data["comparison"], body=data["body"],
            characteristic=data["characteristic"], category=data["category"],
            share=data["share"], source=data["source"],
        )  # fmt: skip
        messages.success(request, _("Saved."))
        return redirect("workforce:benchmarks")
    return render(
        request,
        "workforce/benchmarks.html",
        {"form": form, "held": selectors.benchmarks_held()},
    )
