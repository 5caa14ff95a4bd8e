from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Replace the database, analytics stores and uploads with a backup's, after checking it "
        "(checksums, database integrity, row counts afterwards). Stop the web app and workers "
        "first. Needs the key file the backup was made with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask: everything held now is replaced"
        )

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        from equal_outcomes.operations.backups import BackupError, restore

        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(
                    "restore replaces everything held: pass --yes to confirm when there is no "
                    "terminal to ask at",
                    returncode=2,
                )
            answer = input("Everything held now will be replaced by the backup. Type 'restore': ")
            if answer.strip() != "restore":
                raise CommandError("not restored", returncode=1)
        try:
            manifest = restore(path, actor="system:restore")
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created']}: {sum(manifest['rows'].values()):,} "
            f"rows in {len(manifest['rows'])} tables and {len(manifest['files'])} files, checked."
        )
