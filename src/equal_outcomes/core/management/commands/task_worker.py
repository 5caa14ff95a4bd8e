from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from equal_outcomes.core.commands import ProjectCommand
from equal_outcomes.core.setup import migrated
from equal_outcomes.core.worker import Supervisor


class Command(ProjectCommand):
    help = (
        "Run the background task worker (imports, dashboards, reports, emails), starting it "
        "again whenever it stops, until stopped. 'serve' runs this beside the web server."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not migrated():
            raise CommandError("the database is not set up yet: run 'equal-outcomes migrate'")
        Supervisor().run()
