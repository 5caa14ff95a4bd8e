from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

from equal_outcomes.core.setup import migrated, static_collected
from equal_outcomes.core.worker import stop_with_parent


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Made here, once the checks have passed: making it reads the static files.
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


class Command(BaseCommand):
    help = (
        "Serve the web application with gunicorn, a production-grade WSGI server, and run the "
        "background task worker (imports, dashboards, reports, emails) beside it, starting the "
        "worker again whenever it stops."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("EQUAL_OUTCOMES_WORKERS", "3")),
            help="worker processes (default 3, or EQUAL_OUTCOMES_WORKERS)",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="do not start the background task worker (run 'equal-outcomes db_worker' yourself)",
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        if not migrated():
            raise CommandError("the database is not set up yet: run 'equal-outcomes migrate'")
        if not static_collected():
            raise CommandError(
                "the page styles and scripts are not collected yet: run "
                "'equal-outcomes collectstatic --no-input' (make run does it)"
            )
        self.stdout.write(
            f"Equal Outcomes ({settings.ENVIRONMENT}) at http://{host}:{port}/ ; data in {settings.HOME}"
        )
        task_worker = None
        if not options["no_task_worker"]:
            # The worker shares this environment (EQUAL_OUTCOMES_HOME, DATABASE_URL...), and is
            # started again whenever it stops.
            # It stops with this process, however this one ends.
            task_worker = subprocess.Popen(
                [sys.executable, "-m", "equal_outcomes.cli", "task_worker"],
                preexec_fn=stop_with_parent,
            )
        try:
            self._serve(host, port, workers)
        finally:
            if task_worker is not None:
                task_worker.terminate()
                try:
                    task_worker.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    task_worker.kill()

    def _serve(self, host: str, port: int, workers: int) -> None:
        _Server(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "timeout": 60,
                # Access logs would record request paths only, but keep them off by default:
                # less personal data in logs is better.
                "accesslog": os.environ.get("EQUAL_OUTCOMES_ACCESS_LOG") or None,
                "errorlog": "-",
            }
        ).run()
