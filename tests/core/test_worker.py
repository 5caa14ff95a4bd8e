"""Issue 29, item 1: the background task worker is started again whenever it stops, and the
start pages say when background work is stuck."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from equal_outcomes.core import worker
from tests.auth import signed_in
from tests.factories import UserFactory


def _wait_for(check: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_killed_worker_is_started_again_and_the_next_job_is_done(tmp_path: Path) -> None:
    """``serve`` with its worker; the worker is killed; a job queued afterwards still runs."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(EQUAL_OUTCOMES_HOME=str(tmp_path), EQUAL_OUTCOMES_ENV="development",
               EQUAL_OUTCOMES_PLAIN_STATIC="1")  # fmt: skip
    command = [sys.executable, "-m", "equal_outcomes.cli"]
    subprocess.run([*command, "migrate", "--no-input", "-v0"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    server = subprocess.Popen(
        [*command, "serve", "--port", str(_free_port()), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    status_file = tmp_path / "task-worker.json"
    try:
        first = _wait_for(lambda: status_file.is_file() and json.loads(status_file.read_text()),
                          60, "the worker to start")  # fmt: skip
        os.kill(int(first["pid"]), signal.SIGKILL)
        second = _wait_for(
            lambda: (status := json.loads(status_file.read_text()))["pid"] != first["pid"]
            and status, 30, "the worker to be started again",
        )  # fmt: skip
        assert len(second["restarts"]) == 1
        queued = subprocess.run(
            [*command, "shell", "-c",
             "from equal_outcomes.accounts.mail import retry_email; "
             "print(retry_email.enqueue(0).id)"],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.split()[-1]  # fmt: skip

        def status() -> str:
            with sqlite3.connect(tmp_path / "equal-outcomes.sqlite3", timeout=10) as db:
                row = db.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                    (queued.replace("-", ""),),
                ).fetchone()
            return str(row[0]) if row and row[0] in {"SUCCESSFUL", "FAILED"} else ""

        assert _wait_for(status, 60, "the queued job to run") == "SUCCESSFUL"
    finally:
        server.send_signal(signal.SIGTERM)  # as a service manager stops it
        said, _ = server.communicate(timeout=60)
    assert "the task worker stopped (exit code -9" in said
    assert "Traceback" not in said
    # Every process stopped when asked: no web worker had to be killed (a supervisor thread in
    # gunicorn's own process once held it up for 30 s, until gunicorn sent SIGKILL).
    assert "SIGKILL" not in said


def test_a_worker_that_keeps_stopping_is_started_again_ever_more_slowly(
    tmp_path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.HOME = tmp_path
    supervisor = worker.Supervisor(
        [sys.executable, "-c", "raise SystemExit(3)"],
        first_wait=0.1, longest_wait=0.4, settled_after=60,
    )  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="equal_outcomes.worker"):
        supervisor.start()
        _wait_for(lambda: len(supervisor.restarts) >= 5, 30, "five restarts")
        supervisor.stop()
    waits = [
        record.getMessage().rsplit("again in ", 1)[1]
        for record in caplog.records
        if "again in" in record.getMessage()
    ]
    assert waits[:5] == ["0.1 s", "0.2 s", "0.4 s", "0.4 s", "0.4 s"]
    assert "exit code 3" in caplog.records[0].getMessage()
    assert worker.read_status()["restarts"]


@pytest.mark.django_db
def test_the_start_page_says_when_background_jobs_are_stuck(settings: Any, tmp_path: Path) -> None:
    settings.HOME = tmp_path
    client = signed_in(UserFactory(role="equality_lead"))
    assert b"worker-health" not in client.get("/").content
    late = DBTaskResult.objects.create(
        args_kwargs={"args": [0], "kwargs": {}}, task_path="equal_outcomes.accounts.mail.retry_email",
        backend_name="default", run_after=get_date_max(), queue_name="default",
    )  # fmt: skip
    DBTaskResult.objects.filter(pk=late.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=6)
    )
    page = client.get("/").content.decode()
    assert "1 background job (an import" in page
    assert "task worker may have stopped" in page


@pytest.mark.django_db
def test_the_start_page_says_when_the_worker_was_started_again(
    settings: Any, tmp_path: Path
) -> None:
    settings.HOME = tmp_path
    restarted = [(timezone.now() - dt.timedelta(hours=h)).isoformat() for h in (30, 2, 1)]
    (tmp_path / "task-worker.json").write_text(json.dumps({"pid": 1, "restarts": restarted}))
    page = signed_in(UserFactory(role="administrator")).get("/").content.decode()
    assert "stopped and was started again 2 times in the last day" in page
    officer = signed_in(UserFactory(role="housing_officer"))
    assert "worker-health" not in officer.get("/").content.decode()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of a killed process is reaped by init; until then it shows as a zombie.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_a_killed_supervisor_leaves_no_worker_running(tmp_path: Path) -> None:
    """A supervisor killed outright (SIGKILL, the out-of-memory killer) takes its worker with
    it: a worker left behind ran on with nobody to stop it and held the server's output open."""
    script = (
        "import sys; from equal_outcomes.core.worker import Supervisor; "
        "Supervisor([sys.executable, '-c', 'import time; time.sleep(120)']).run()"
    )
    env = dict(os.environ, EQUAL_OUTCOMES_HOME=str(tmp_path),
               DJANGO_SETTINGS_MODULE="equal_outcomes.settings")  # fmt: skip
    supervisor = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        status = tmp_path / "task-worker.json"
        started = _wait_for(lambda: status.is_file() and json.loads(status.read_text()), 30,
                            "the worker to start")  # fmt: skip
        assert _alive(started["pid"])
        supervisor.kill()
        supervisor.wait(timeout=10)
        _wait_for(lambda: not _alive(started["pid"]), 10, "the worker to stop with it")
    finally:
        supervisor.kill()


def test_a_stop_asked_for_while_a_worker_starts_stops_that_worker(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM between starting a worker and noting it: the new worker is stopped too, rather
    than waited on for ever."""
    settings.HOME = tmp_path
    supervisor = worker.Supervisor([sys.executable, "-c", "import time; time.sleep(120)"])
    start_process = subprocess.Popen

    def signalled_while_starting(*args: Any, **kwargs: Any) -> Any:
        process = start_process(*args, **kwargs)
        supervisor._stopping.set()  # what the SIGTERM handler does, at the worst moment
        return process

    monkeypatch.setattr(subprocess, "Popen", signalled_while_starting)
    supervision = threading.Thread(target=supervisor._run, daemon=True)
    supervision.start()
    supervision.join(timeout=10)
    try:
        assert not supervision.is_alive(), "the supervisor waited on a worker nobody stops"
    finally:
        if supervisor.process is not None:
            supervisor.process.kill()


@pytest.mark.django_db
def test_jobs_a_stopped_worker_was_running_go_back_on_the_queue() -> None:
    """A worker killed in the middle of a job left it "running" for ever, and the dashboard
    waiting on it said "being worked out" until the server was restarted."""

    def job(status: str, worker_ids: list[str]) -> DBTaskResult:
        return DBTaskResult.objects.create(
            args_kwargs={"args": [0], "kwargs": {}}, status=status, worker_ids=worker_ids,
            task_path="equal_outcomes.accounts.mail.retry_email", backend_name="default",
            run_after=get_date_max(), queue_name="default", started_at=timezone.now(),
        )  # fmt: skip

    abandoned = job("RUNNING", ["an-earlier-worker", "supervised-dead"])
    elsewhere = job("RUNNING", ["supervised-alive"])  # another worker's, still running
    finished = job("SUCCESSFUL", ["supervised-dead"])
    assert worker.requeue_abandoned("supervised-dead") == 1
    assert DBTaskResult.objects.get(pk=abandoned.pk).status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=abandoned.pk).exists()
    assert DBTaskResult.objects.get(pk=elsewhere.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=finished.pk).status == "SUCCESSFUL"


def test_the_supervisor_puts_back_what_a_stopped_worker_was_running(
    tmp_path: Path, settings: Any
) -> None:
    settings.HOME = tmp_path
    stopped: list[str] = []

    def requeue(worker_id: str) -> int:
        stopped.append(worker_id)
        return 0

    supervisor = worker.Supervisor(
        [sys.executable, "-c", "raise SystemExit(3)"], first_wait=0.1, requeue=requeue
    )
    supervisor.start()
    _wait_for(lambda: len(stopped) >= 2, 30, "two stopped workers")
    supervisor.stop()
    assert stopped[0] != stopped[1], "each worker started has an id of its own"
    assert all(name.startswith("supervised-") for name in stopped)
    clean = worker.Supervisor([sys.executable, "-c", "pass"], requeue=requeue)
    before = len(stopped)
    clean.start()
    clean._thread.join(timeout=30)
    assert len(stopped) == before, "a worker asked to stop had nothing to put back"
