from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from equal_outcomes.analysis import coverage
from equal_outcomes.analysis.engine import PERSON
from equal_outcomes.analysis.files import ExtractError, connect, read_people

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


class Command(BaseCommand):
    help = (
        "Profile coverage per characteristic: answered, prefer not to say, not asked, response "
        "and known rates, and the framework level reached (Achieving 60 %, Excellent 90 %)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", help="a column to group by, such as customer_type or area")
        parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
        parser.add_argument("--people", type=Path, help="people extract (CSV or Parquet)")

    def handle(
        self, *args: Any, by: str | None, format: str, people: Path | None, **options: Any
    ) -> None:
        if people is None:
            raise CommandError(
                "give --people FILE (coverage of the database's snapshot arrives with the "
                "snapshot command)",
                returncode=2,
            )
        try:
            table = read_people(connect(), people)
        except ExtractError as error:
            raise CommandError(str(error), returncode=1) from None
        if by and by not in table.columns:
            raise CommandError(f"the people file has no column {by!r}", returncode=1)
        characteristics = [c for c in table.columns if c not in {PERSON, by}]
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
