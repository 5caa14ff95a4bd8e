from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from equal_outcomes.wsgi import application


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


class Command(BaseCommand):
    help = "Serve the web application with gunicorn, a production-grade WSGI server."

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

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        self.stdout.write(
            f"Equal Outcomes ({settings.ENVIRONMENT}) at http://{host}:{port}/ ; data in {settings.HOME}"
        )
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
