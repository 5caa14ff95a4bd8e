"""Running an uploaded import as a background task, and reporting its progress.

Progress is written to a small file beside the upload, not to the database: on SQLite the
import's own transaction holds the only write lock until it commits, so a progress row could
not be written (or seen) until the end.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.core.tuning import bulk_work
from equal_outcomes.imports.customers import import_customers
from equal_outcomes.imports.models import ImportJob, JobStatus
from equal_outcomes.imports.values import BadValue

STAGES = {"checking": 1, "customers": 2, "answers": 3, "saving": 4, "preferences": 5}


def job_start(
    *, actor: Any, file_name: str, stored_path: Path, mapping_path: Path | None,
    default_type: str, dry_run: bool,
) -> ImportJob:  # fmt: skip
    """Queue the import of an uploaded customer file (already saved at ``stored_path``)."""
    job = ImportJob.objects.create(
        file_name=file_name[:200], stored_path=str(stored_path),
        mapping_path=str(mapping_path) if mapping_path else "", default_type=default_type,
        dry_run=dry_run, created_by=actor,
    )  # fmt: skip
    run_import.enqueue(str(job.public_id))
    return job


def jobs_of(actor: Any, *, limit: int = 5) -> list[ImportJob]:
    """The imports ``actor`` started, newest first."""
    return list(ImportJob.objects.filter(created_by=actor.pk)[:limit])


def job_of(actor: Any, public_id: Any) -> ImportJob | None:
    """One import ``actor`` started (nobody else's: its report quotes rows of the file)."""
    return ImportJob.objects.filter(public_id=public_id, created_by=actor.pk).first()


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _progress_file(job: ImportJob) -> Path:
    return folder() / f"{job.public_id}.progress.json"


def progress_of(job: ImportJob) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(_progress_file(job).read_text())
        return data
    except (OSError, ValueError):
        return {"stage": "", "done": 0, "total": 0}


def _writer(job: ImportJob) -> Any:
    path = _progress_file(job)
    last = [0.0]

    def write(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done != total:
            return
        last[0] = now
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
        os.replace(temporary, path)

    return write


@task()
def run_import(job_id: str) -> None:
    job = ImportJob.objects.select_related("created_by").get(public_id=job_id)
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        with bulk_work():  # a task runs in the worker process, one at a time
            report = import_customers(
                Path(job.stored_path),
                actor=job.created_by,
                mapping_path=Path(job.mapping_path) if job.mapping_path else None,
                default_type=job.default_type,
                dry_run=job.dry_run,
                progress=_writer(job),
            )
        report.file = job.file_name
        job.report = json.dumps(report.as_json())
        job.status = JobStatus.DONE
    except (UnreadableFile, BadValue) as error:
        job.report = json.dumps({"error": str(error)})
        job.status = JobStatus.FAILED
    finally:
        for path in (job.stored_path, job.mapping_path):
            if path:
                Path(path).unlink(missing_ok=True)
        _progress_file(job).unlink(missing_ok=True)
        job.finished_at = timezone.now()
        job.save(update_fields=["report", "status", "finished_at"])
