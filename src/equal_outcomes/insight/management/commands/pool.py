from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Sector-wide comparisons from a folder of landlords' benchmarking extracts (Parquet, "
        "from 'export benchmark'): each group's pooled rate against the rest of the sector. "
        "No person-level data is read. --engine spark runs it on PySpark (local mode)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args: Any, folder: Path, engine: str, format: str, **options: Any) -> None:
        # The engine is imported when the command runs, not for --help.
        from equal_outcomes.analysis.engine import json_text
        from equal_outcomes.analysis.pooled import pooled, read_extracts

        if not list(folder.glob("*.parquet")):
            raise CommandError(f"no .parquet extracts in {folder}", returncode=1)
        session = None
        try:
            if engine == "spark":
                import ibis
                from pyspark.sql import SparkSession

                session = (
                    SparkSession.builder.master("local[2]").appName("equal-outcomes-pool")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()
                )  # fmt: skip
                con = ibis.pyspark.connect(session)
            else:
                import ibis

                con = ibis.duckdb.connect()
            try:
                tables = pooled(read_extracts(con, str(folder.resolve())))
            except ValueError as error:
                raise CommandError(str(error), returncode=1) from None
        finally:
            if session is not None:
                session.stop()
        if format == "json":
            self.stdout.write(json_text(tables, indent=1))
            return
        for table in tables:
            self.stdout.write(
                f"{table['indicator']} by {table['characteristic']} "
                f"({table['landlords']} of {table['pool']} landlords)"
            )
            for row in table["rows"]:
                value = row["value"]
                shown = f"{value:.1%}" if isinstance(value, float) and value == value else "-"
                self.stdout.write(
                    f"  {row['category']:<24} n={row['n']:<8} {shown:>7}  {row['flag'] or ''}"
                )
