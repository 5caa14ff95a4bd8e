from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from equal_outcomes.core.spreadsheets import FORMATS
from equal_outcomes.sharing.exports import customer_export


class Command(BaseCommand):
    help = "Export customers and their current profile answers as CSV or XLSX (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["customers"])
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, kind: str, format: str, out: Path, **options: Any) -> None:
        out.write_bytes(customer_export(actor="system:export", file_format=format))
        out.chmod(0o600)
        self.stdout.write(f"Wrote customers to {out} ({format}).")
