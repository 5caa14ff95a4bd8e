from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.analysis.options import add_not_known_argument
from equal_outcomes.core.commands import ProjectCommand

FIELDS = (
    "characteristic",
    "group",
    "people",
    "answered",
    "prefer_not_to_say",
    "not_asked",
    "response_rate",
    "known_rate",
    "level",
)


class Command(ProjectCommand):
    help = (
        "Profile coverage per characteristic: answered, prefer not to say, not asked, response "
        "and known rates, and the framework level reached (Achieving 60 %, Excellent 90 %)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--by",
            help="group by customer_type, customer_group (residents, leaseholders...) or area",
        )
        parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
        parser.add_argument("--people", type=Path, help="people extract (CSV or Parquet)")
        add_not_known_argument(parser)

    def handle(
        self, *args: Any, by: str | None, format: str, people: Path | None, **options: Any
    ) -> None:
        # The engine and the stores are imported when the command runs, not for --help.
        from equal_outcomes.analysis.engine import PERSON, coverage
        from equal_outcomes.analysis.files import ExtractError, connect, read_people
        from equal_outcomes.insight.snapshot import open_people
        from equal_outcomes.standards.codelists import characteristics as profile_questions

        if people is None:
            table = open_people()
            if table is None:
                raise CommandError(
                    "no snapshot yet: run 'equal-outcomes snapshot' first", returncode=1
                )
            # Follow-up questions apply only to some people, so they are not coverage measures.
            characteristics = [
                item.id
                for item in profile_questions()
                if not item.asked_when and item.id in table.columns
            ]
            if "age_band" in table.columns:  # age, from the date of birth
                characteristics.insert(0, "age_band")
        else:
            try:
                table = read_people(connect(), people, not_known=options["not_known"])
            except ExtractError as error:
                raise CommandError(str(error), returncode=1) from None
            characteristics = [c for c in table.columns if c not in {PERSON, by}]
        if by and by not in table.columns:
            raise CommandError(f"there is no column {by!r} to group by", returncode=1)
        rows = coverage(table, characteristics, by=by)
        if format == "json":
            self.stdout.write(json.dumps({"rows": rows}, indent=2))
        elif format == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            for row in rows:
                self.stdout.write(
                    f"{row['characteristic']:<24} {row['group']:<20} {row['people']:>8} "
                    f"response {row['response_rate']:6.1%}  known {row['known_rate']:6.1%}  {row['level']}"
                )
