from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Refresh the analytics store: a pseudonymised people table (no names or references; "
        "objectors left out), replaced atomically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-warm",
            action="store_true",
            help="do not work out the dashboards' results now (the first viewer will wait)",
        )

    def handle(self, *args: Any, no_warm: bool, **options: Any) -> None:
        from equal_outcomes.assessment.services import record_progress
        from equal_outcomes.insight.results import warm
        from equal_outcomes.insight.snapshot import build_snapshot
        from equal_outcomes.sharing.referrals import load_referral_events
        from equal_outcomes.sharing.visits import load_visit_events

        result = build_snapshot(actor="system:snapshot")
        self.stdout.write(
            f"Snapshot of {result.people} people written to {result.path} in {result.seconds:.1f} s."
        )
        if referrals := load_referral_events(actor="system:snapshot"):
            self.stdout.write(f"Referral events from the referral record: {referrals}.")
        if visits := load_visit_events(actor="system:snapshot"):
            self.stdout.write(f"Visit events from contractors' closed jobs: {visits}.")
        if not no_warm:
            seconds = warm()
            self.stdout.write(f"Dashboard results worked out in {seconds:.1f} s.")
            readings = record_progress()
            self.stdout.write(f"Action plan: {readings} measures read from this snapshot.")
