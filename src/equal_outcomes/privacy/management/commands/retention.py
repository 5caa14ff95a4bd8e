from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = "Apply the retention schedule (EQUAL_OUTCOMES_RETAIN_* settings) and log what it did."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="delete what the schedule says is past its time")
        run.add_argument("--dry-run", action="store_true", help="count only; change nothing")

    def handle(self, *args: Any, action: str, dry_run: bool, **options: Any) -> None:
        from equal_outcomes.privacy.retention import retention_run

        verb = "Would delete" if dry_run else "Deleted"
        for result in retention_run(dry_run=dry_run):
            self.stdout.write(f"{verb} {result.deleted:>7} · {result.rule}: {result.description}")
