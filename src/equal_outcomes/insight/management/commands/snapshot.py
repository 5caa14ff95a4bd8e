from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from equal_outcomes.insight.snapshot import build_snapshot


class Command(BaseCommand):
    help = (
        "Refresh the analytics store: a pseudonymised people table (no names or references; "
        "objectors left out), replaced atomically."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_snapshot(actor="system:snapshot")
        self.stdout.write(
            f"Snapshot of {result.people} people written to {result.path} in {result.seconds:.1f} s."
        )
