from __future__ import annotations

import json
import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from equal_outcomes.analysis.engine import representation
from equal_outcomes.insight.population import benchmark
from equal_outcomes.insight.snapshot import open_people


class Command(BaseCommand):
    help = (
        "Who we serve: each group's share of customers (from the snapshot) against its share of "
        "the population benchmark loaded with 'import population'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="the characteristic, e.g. ethnicity")
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args: Any, by: str, format: str, **options: Any) -> None:
        people = open_people()
        if people is None:
            raise CommandError("no snapshot yet: run 'equal-outcomes snapshot'", returncode=1)
        if by not in people.columns:
            raise CommandError(f"the snapshot has no characteristic {by!r}", returncode=1)
        population = benchmark(by)
        if not population:
            raise CommandError(
                f"no population benchmark for {by}: run 'equal-outcomes import population FILE "
                f"--characteristic {by}'",
                returncode=1,
            )
        rows = representation(people, by, population)
        if format == "json":
            plain = [
                {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
                for row in rows
            ]
            self.stdout.write(json.dumps({"characteristic": by, "rows": plain}, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['category']:<28} customers {row['share']:6.1%}  population "
                f"{row['benchmark_share']:6.1%}  ratio {row['ratio']:5.2f}  {row['flag']}"
            )
