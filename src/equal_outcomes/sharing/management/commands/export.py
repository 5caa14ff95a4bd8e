from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand
from equal_outcomes.core.spreadsheets import FORMATS


class Command(ProjectCommand):
    help = (
        "Export customers and their current profile answers as CSV or XLSX (audited), or the "
        "benchmarking extract: publishable breakdowns as CSV and Parquet for pooling."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["customers", "benchmark"])
        parser.add_argument("--format", choices=FORMATS, help="customers: csv or xlsx")
        parser.add_argument(
            "--out", type=Path, required=True, help="a file; for benchmark, a folder"
        )
        parser.add_argument("--landlord", default="", help="benchmark: the name to pool under")

    def handle(self, *args: Any, kind: str, out: Path, **options: Any) -> None:
        from equal_outcomes.insight.results import NoSnapshot
        from equal_outcomes.sharing.benchmark import write_extract
        from equal_outcomes.sharing.exports import customer_export

        if kind == "benchmark":
            if not options["landlord"]:
                raise CommandError("give --landlord, the name to pool under", returncode=2)
            try:
                written = write_extract(
                    actor="system:export", folder=out, landlord=options["landlord"]
                )
            except NoSnapshot:
                raise CommandError(
                    "no snapshot yet: run 'equal-outcomes snapshot'", returncode=1
                ) from None
            self.stdout.write("Wrote " + " and ".join(str(p) for p in written) + ".")
            return
        if not options["format"]:
            raise CommandError("give --format csv or xlsx", returncode=2)
        out.write_bytes(customer_export(actor="system:export", file_format=options["format"]))
        out.chmod(0o600)
        self.stdout.write(f"Wrote customers to {out} ({options['format']}).")
