from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = "Check the audit log: every row unchanged, none deleted, none reordered."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="walk the hash chain and report any tampering")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from equal_outcomes.audit.services import verify_chain

        result = verify_chain()
        if result.intact:
            self.stdout.write(
                f"Audit log intact: {result.entries} entries. Head {result.head} "
                "(keep a copy elsewhere to detect a rewritten log)."
            )
            return
        self.stderr.write(f"Audit log TAMPERED: {len(result.problems)} problem(s).")
        for problem in result.problems:
            self.stderr.write(f"  {problem}")
        raise SystemExit(1)
