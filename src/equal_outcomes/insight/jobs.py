"""Making a report as a background task, with the stage it has reached kept on the job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from equal_outcomes.imports.models import JobStatus
from equal_outcomes.insight import reports, results
from equal_outcomes.insight.models import ReportJob


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def report_start(*, actor: Any, file_format: str, publishable: bool, filters: Any) -> ReportJob:
    """Queue a report of the dashboards' results for ``filters``."""
    job = ReportJob.objects.create(
        file_format=file_format, publishable=publishable, area=filters.area,
        customer_group=filters.customer_group, period=filters.period, created_by=actor,
    )  # fmt: skip
    run_report.enqueue(str(job.public_id))
    return job


def reports_of(actor: Any, *, limit: int = 5) -> list[ReportJob]:
    """The reports ``actor`` asked for, newest first."""
    return list(ReportJob.objects.filter(created_by=actor.pk)[:limit])


def report_of(actor: Any, public_id: Any) -> ReportJob | None:
    """One report ``actor`` asked for (nobody else's)."""
    return ReportJob.objects.filter(public_id=public_id, created_by=actor.pk).first()


@task()
def run_report(job_id: str) -> None:
    job = ReportJob.objects.select_related("created_by").get(public_id=job_id)

    def stage(name: str) -> None:
        job.stage = name
        job.save(update_fields=["stage", "status"])

    job.status = JobStatus.RUNNING
    stage("gathering")
    try:
        filters = results.Filters(job.area, job.customer_group, job.period)
        report = reports.build(filters, publishable=job.publishable)
        stage("rendering")
        content = reports.render(report, job.file_format)
        target = folder() / f"{job.public_id}.{job.file_format}"
        target.write_bytes(content)
        target.chmod(0o600)
        reports.audit(
            actor=job.created_by, file_format=job.file_format, publishable=job.publishable
        )
        job.stored_path, job.status = str(target), JobStatus.DONE
    except (results.NoSnapshot, ValueError) as error:
        job.error = str(error)[:300]
        job.status = JobStatus.FAILED
    finally:
        job.stage = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["stored_path", "status", "error", "stage", "finished_at"])


def result_name(kind: str, indicator: str = "", characteristic: str = "") -> str:
    return f"detail-{indicator}-{characteristic}" if kind == "detail" else kind


@task()
def work_out(
    kind: str,
    area: str,
    customer_group: str,
    period: str,
    publishable: bool,
    indicator: str = "",
    characteristic: str = "",
) -> None:
    """Works out (and caches) one dashboard's results, for a page that is waiting for them."""
    filters = results.Filters(area, customer_group, period)
    try:
        if kind == "knowing":
            results.knowing_our_customers(filters)
        elif kind == "outcomes":
            results.equal_outcomes(filters, publishable=publishable)
        elif kind == "engagement":
            results.engagement(filters, publishable=publishable)
        elif kind == "contractors":
            results.contractor_scorecard(filters, publishable=publishable)
        elif kind == "services":
            results.service_figures(filters, publishable=publishable)
        elif kind == "serve":
            results.who_we_serve(filters, publishable=publishable)
        elif kind == "detail":
            results.outcome_detail(filters, indicator, characteristic, publishable=publishable)
    finally:
        results.release(result_name(kind, indicator, characteristic), filters, publishable)
