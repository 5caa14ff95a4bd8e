from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from equal_outcomes.insight import reports, results


class Command(BaseCommand):
    help = (
        "Write a report from the last snapshot: 'equality' (coverage, outcomes, who we serve "
        "and method notes) as HTML, PDF or XLSX. --publishable applies disclosure control."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=("equality",), help="which report")
        parser.add_argument("--format", choices=reports.FORMATS, required=True)
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument(
            "--publishable", action="store_true", help="apply disclosure control for publishing"
        )
        parser.add_argument("--area", default="", help="only customers in this area")
        parser.add_argument("--customer-group", default="", help="only this customer group")
        parser.add_argument("--period", default="", help="only events in this year or quarter")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = results.Filters(
                area=options["area"],
                customer_group=options["customer_group"],
                period=options["period"],
            )
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        try:
            content = reports.equality_report(
                actor="system:command",
                file_format=options["format"],
                publishable=options["publishable"],
                filters=filters,
            )
        except results.NoSnapshot:
            raise CommandError(
                "no snapshot yet: run 'equal-outcomes snapshot'", returncode=1
            ) from None
        out: Path = options["out"]
        out.write_bytes(content)
        edition = "publishable" if options["publishable"] else "internal (not for publication)"
        self.stdout.write(f"wrote {out} ({options['format']}, {edition}, {len(content)} bytes)")
