from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Write an encrypted, verified backup of the database, analytics stores and uploads to "
        "PATH (a file, or a folder to name one in). Safe while the app runs. Keep the key file "
        "(EQUAL_OUTCOMES_KEY_FILE) apart from the backups: it is needed to read them. With "
        "--check, read an existing backup and check it instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="where to write the backup, or the one to check"
        )
        parser.add_argument("--check", action="store_true", help="check PATH, an existing backup")

    def handle(self, *args: Any, path: Path, check: bool, **options: Any) -> None:
        from equal_outcomes.operations.backups import BackupError, backup, verify

        try:
            if check:
                manifest = verify(path)
                self.stdout.write(
                    f"{path}: a good {manifest['vendor']} backup of {manifest['created']}, "
                    f"{len(manifest['files'])} files, {sum(manifest['rows'].values())} rows."
                )
                return
            report = backup(path, actor="system:backup")
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        size = report.path.stat().st_size
        self.stdout.write(
            f"Wrote {report.path} ({size:,} bytes, {report.vendor}, {len(report.files)} files, "
            f"{report.rows:,} rows), read it back and checked it. It is encrypted with key "
            f"{report.key_id}: keep the key file apart from the backup."
        )
