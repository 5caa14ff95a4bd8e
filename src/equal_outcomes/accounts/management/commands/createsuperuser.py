from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = "Use 'equal-outcomes users add' instead: every account here has a role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--database")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            "every account has a role: make the first administrator with "
            "'equal-outcomes users add USERNAME --role administrator --email EMAIL' "
            "(add --password-stdin to type a password instead of emailing a link)",
            returncode=2,
        )
