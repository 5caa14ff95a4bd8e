"""The background task worker, kept running, and its health.

``serve`` runs Django Tasks' ``db_worker`` beside the web server, through ``equal-outcomes
task_worker``: a process of its own, so the web server's process (which reaps any child of its
own and forks its web workers) neither collects the worker's exit nor forks beside a thread. A worker can stop: a write
that waits longer than SQLite's busy timeout behind a large import raises "database is locked"
out of the worker's loop, and a process can be killed. The supervisor here starts it again,
waiting longer after each quick stop (one second, doubling to a minute, and back to one second
once a worker has run for a minute), logs each restart (a worker that exits cleanly was asked
to stop, with the server, and is not started again), and keeps a small status file in the
data folder that the start pages read.

Health is judged from the queue, so it also holds for a worker run by the host's own service
manager (``serve --no-task-worker``): jobs ready to run that have waited more than a few
minutes mean no worker is taking them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger("equal_outcomes.worker")

FIRST_WAIT = 1.0
LONGEST_WAIT = 60.0
SETTLED_AFTER = 60.0  # seconds a worker must run for its next restart to be quick again
STALLED_AFTER = dt.timedelta(minutes=5)
# The worker waits longer than the web processes for a write lock: a page should answer or
# fail quickly, a background job would rather wait behind an import than stop.
WORKER_BUSY_SECONDS = 120
RESTARTS_KEPT = 20


PR_SET_PDEATHSIG = 1  # prctl(2)


def stop_with_parent() -> None:
    """In a child between fork and exec (``preexec_fn``): on Linux, ask the kernel to send the
    child SIGTERM when the process that started it dies, however it dies. A supervisor killed
    with SIGKILL (or by the out-of-memory killer) then leaves no worker behind, running on
    with nobody to stop it and holding the server's output open. Elsewhere, nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only where prctl exists

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def worker_command() -> list[str]:
    return [sys.executable, "-m", "equal_outcomes.cli", "db_worker", "--interval", "1"]


def requeue_abandoned(worker_id: str) -> int:
    """Puts back on the queue the jobs a stopped worker was running when it stopped: a worker
    killed in the middle of a job (or stopped by "database is locked") leaves it "running" for
    ever, and a dashboard waiting on it said "being worked out" until someone restarted the
    server. Running a job again from the start is safe: an import is all or nothing, figures and
    reports are worked out afresh (an email being sent at that very moment may go twice).
    Returns how many were put back."""
    from django_tasks.base import TaskResultStatus  # models and choices: after set-up
    from django_tasks_db.models import DBTaskResult

    abandoned = [
        job.pk
        for job in DBTaskResult.objects.running().only("pk", "worker_ids")
        if job.worker_ids and job.worker_ids[-1] == worker_id
    ]
    return DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def status_path() -> Path:
    return Path(settings.HOME) / "task-worker.json"


def _write_status(status: dict[str, object]) -> None:
    path = status_path()
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(status))
    partial.chmod(0o600)
    partial.replace(path)


def read_status() -> dict[str, object]:
    try:
        status = json.loads(status_path().read_text())
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


class Supervisor:
    """Runs ``command`` and starts it again whenever it stops, until ``stop()``."""

    def __init__(
        self,
        command: Sequence[str] | None = None,
        *,
        first_wait: float = FIRST_WAIT,
        longest_wait: float = LONGEST_WAIT,
        settled_after: float = SETTLED_AFTER,
        requeue: Callable[[str], int] | None = None,
    ) -> None:
        # The project's worker is told its id, so that what it was running when it stopped can
        # be found and put back on the queue (``requeue``).
        self.own_worker = command is None
        self.command = list(command or worker_command())
        self.requeue = requeue or (requeue_abandoned if self.own_worker else None)
        self.worker_id = ""
        self.first_wait, self.longest_wait = first_wait, longest_wait
        self.settled_after = settled_after
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts: list[str] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="task-worker", daemon=True)

    def start(self) -> None:
        """Supervise in a thread of this process (for tests; ``serve`` uses ``run``)."""
        self._thread.start()

    def run(self) -> None:
        """Supervise in this process's main thread until SIGTERM or SIGINT, which stop the
        worker too."""

        def stop(signum: int, frame: object) -> None:
            self._stopping.set()
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self._run()
        if self.process is not None and self.process.poll() is None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def stop(self, timeout: float = 30) -> None:
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    def _launch(self) -> subprocess.Popen[bytes]:
        environment = dict(os.environ, EQUAL_OUTCOMES_SQLITE_BUSY_SECONDS=str(WORKER_BUSY_SECONDS))
        self.worker_id = f"supervised-{uuid.uuid4().hex}"
        command = (
            [*self.command, "--worker-id", self.worker_id] if self.own_worker else self.command
        )
        process = subprocess.Popen(  # noqa: S603 (our own command)
            command, env=environment, preexec_fn=stop_with_parent
        )
        self.process = process
        if self._stopping.is_set():
            # Asked to stop while this one was starting: the signal handler saw the previous
            # (finished) process, so this one is stopped here rather than waited on for ever.
            process.terminate()
        _write_status(
            {"pid": process.pid, "started": timezone.now().isoformat(), "restarts": self.restarts}
        )
        return process

    def _run(self) -> None:
        wait = self.first_wait
        while not self._stopping.is_set():
            started = timezone.now()
            code = self._launch().wait()
            if self._stopping.is_set():
                return
            if code == 0:
                # Asked to stop (SIGTERM or SIGINT to the whole service, as a service manager
                # or Ctrl+C sends): the server is stopping too, so the worker is not started
                # again.
                log.info("the task worker stopped as asked")
                return
            ran = (timezone.now() - started).total_seconds()
            if self.requeue is not None:
                try:
                    if again := self.requeue(self.worker_id):
                        log.warning("%s job(s) the stopped worker was running queued again", again)
                except DatabaseError:
                    # The database that stopped the worker may still be busy: the jobs stay
                    # as they are, and the log says so.
                    log.exception("could not queue the stopped worker's jobs again")
                finally:
                    connections.close_all()  # a supervisor holds no connection while it waits
            if ran >= self.settled_after:
                wait = self.first_wait
            log.warning(
                "the task worker stopped (exit code %s after %.0f s); starting it again in %.3g s",
                code, ran, wait,
            )  # fmt: skip
            self.restarts = [*self.restarts, timezone.now().isoformat()][-RESTARTS_KEPT:]
            if self._stopping.wait(wait):
                return
            wait = min(wait * 2, self.longest_wait)


@dataclass(frozen=True)
class Health:
    """What a start page says about background work."""

    stalled: int  # jobs ready to run that have waited longer than STALLED_AFTER
    restarts_last_day: int
    last_restart: dt.datetime | None

    @property
    def ok(self) -> bool:
        return not self.stalled and not self.restarts_last_day


def health() -> Health:
    from django_tasks_db.models import DBTaskResult, get_date_max  # a model: after set-up

    now = timezone.now()
    due_long_ago = now - STALLED_AFTER
    stalled = (
        DBTaskResult.objects.ready()
        .filter(
            Q(run_after=get_date_max(), enqueued_at__lt=due_long_ago)
            | Q(run_after__lt=due_long_ago)
        )
        .count()
    )
    restarts: list[dt.datetime] = []
    stamps = read_status().get("restarts")
    for stamp in stamps if isinstance(stamps, list) else []:
        try:
            restarts.append(dt.datetime.fromisoformat(str(stamp)))
        except ValueError:
            continue
    recent = [stamp for stamp in restarts if stamp > now - dt.timedelta(days=1)]
    return Health(
        stalled=stalled, restarts_last_day=len(recent), last_restart=max(recent, default=None)
    )
