from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.core.tuning import bulk_work
from equal_outcomes.imports.values import BadValue

if TYPE_CHECKING:
    from equal_outcomes.imports.customers import ImportReport
    from equal_outcomes.workforce.imports import WorkforceImportReport

SHOWN_PROBLEMS = 50
# The HR records (workforce.imports.KINDS), named here so that --help does not load the models.
WORKFORCE_KINDS = ("staff", "board", "applications", "training", "survey", "cases", "benchmarks")


class Command(ProjectCommand):
    help = (
        "Import customers and their profiles from a CSV or XLSX export. Every row is checked "
        "first; nothing is written unless every row passes (or --valid-only is given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=[
                "customers",
                "places",
                "postcode-lookup",
                "events",
                "population",
                "deprivation",
                "core",
                "jobs",
                *WORKFORCE_KINDS,
            ],
            help=(
                "customers, the landlord's stock (places: area, area_name, estate, estate_name, "
                "block, property_ref, uprn, address_line_1, address_line_2, town, postcode, lsoa, "
                "local_authority), the ONS postcode lookup (ONSPD or NSPL CSV), "
                "service events (CSV), a census table (Nomis CSV), the Indices of Deprivation by LSOA "
                "(England's IoD or the Welsh WIMD, CSV or XLSX), CORE lettings logs (labels or codes "
                "export) as letting events, contractors' jobs "
                "(CSV or XLSX: job_ref, property_ref, contractor, work, opened_on, due_on, "
                "closed_on), or HR records: " + ", ".join(WORKFORCE_KINDS)
            ),
        )
        parser.add_argument(
            "--characteristic",
            help="for population: the characteristic the table counts (ethnicity, religion ..., "
            "or age_band for an age table such as TS007A)",
        )
        parser.add_argument(
            "--geography",
            action="append",
            default=[],
            metavar="AREA",
            help="for population: the areas to load, by code (W06000022) or, for a table of "
            "small areas, the local authority's name (repeatable, or a comma-separated list)",
        )
        parser.add_argument("path", type=Path, help="the CSV or XLSX file")
        parser.add_argument("--type", default="", help="customer type for rows without one")
        parser.add_argument("--mapping", type=Path, help="YAML mapping of other columns and values")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--report", type=Path, help="write the full report here as JSON")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="import the valid rows even if others fail (needs --rejected)",
        )
        parser.add_argument("--rejected", type=Path, help="CSV file for the rejected rows")

    def _progress(self, stage: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if total:
            filled = int(30 * done / total)
            bar = "#" * filled + "-" * (30 - filled)
            sys.stderr.write(f"\r{stage:<10} [{bar}] {done:>9,}/{total:,}")
        else:
            sys.stderr.write(f"\r{stage:<10} {done:>9,} rows")
        sys.stderr.flush()

    def handle(self, *args: Any, kind: str, path: Path, **options: Any) -> None:
        if kind == "events":
            self._events(path, dry_run=options["dry_run"])
            return
        if kind == "core":
            self._events(path, dry_run=options["dry_run"], core=True)
            return
        if kind == "population":
            self._population(path, options["characteristic"], options["geography"])
            return
        if kind == "deprivation":
            from equal_outcomes.insight.deprivation import import_deprivation

            try:
                loaded = import_deprivation(path, actor="system:import")
            except UnreadableFile as error:
                raise CommandError(str(error), returncode=1) from None
            self.stdout.write(
                f"Loaded the deprivation deciles of {loaded.areas} small areas "
                f"({', '.join(loaded.nations)}). Run 'equal-outcomes snapshot' to use them."
            )
            return
        if kind == "jobs":
            self._jobs(path, dry_run=options["dry_run"])
            return
        if kind == "places":
            self._places(path, options)
            return
        if kind == "postcode-lookup":
            from equal_outcomes.imports.postcodes import import_postcodes

            try:
                found = import_postcodes(path)
            except UnreadableFile as error:
                raise CommandError(str(error), returncode=1) from None
            self.stdout.write(f"Loaded {found.kept:,} postcodes in England and Wales "
                              f"(of {found.rows:,} rows).")  # fmt: skip
            return
        if options["valid_only"] and not options["rejected"]:
            raise CommandError(
                "--valid-only needs --rejected FILE for the rows left out", returncode=2
            )
        if kind in WORKFORCE_KINDS:
            self._workforce(kind, path, options)
            return
        from equal_outcomes.imports.customers import import_customers

        try:
            with bulk_work():
                report = import_customers(
                    path,
                    actor="system:import",
                    mapping_path=options["mapping"],
                    default_type=options["type"],
                    dry_run=options["dry_run"],
                    valid_only=options["valid_only"],
                    progress=self._progress,
                )
        except (UnreadableFile, BadValue) as error:
            raise CommandError(str(error), returncode=1) from None
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        if options["report"]:
            options["report"].write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
            options["report"].chmod(0o600)
        self._write_rejected(path, report, options["rejected"])
        self._summary(report)
        if (
            report.problems
            and not report.written
            and not (options["valid_only"] and options["dry_run"])
        ):
            raise SystemExit(1)

    def _write_rejected(
        self, path: Path, report: ImportReport | WorkforceImportReport, rejected: Path | None
    ) -> None:
        if rejected and report.problems:
            from equal_outcomes.imports.customers import rejected_rows

            headers, rows = rejected_rows(path, report.problems)
            with rejected.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows(rows)
            rejected.chmod(0o600)

    def _problems(self, report: ImportReport | WorkforceImportReport) -> None:
        if report.ignored_columns:
            self.stdout.write(f"Columns not imported: {', '.join(report.ignored_columns)}")
        if not report.problems:
            return
        rows = len({p.row for p in report.problems})
        self.stderr.write(f"{len(report.problems)} problem(s) in {rows} row(s):")
        for problem in report.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(
                f"  row {problem.row}, {problem.column}: {problem.reason}"
                + (f" ({problem.value!r})" if problem.value else "")
            )
        if len(report.problems) > SHOWN_PROBLEMS:
            self.stderr.write(
                f"  … and {len(report.problems) - SHOWN_PROBLEMS} more (see --report)"
            )

    def _workforce(self, kind: str, path: Path, options: dict[str, Any]) -> None:
        from equal_outcomes.workforce.imports import import_workforce

        try:
            report = import_workforce(
                path,
                kind,
                actor="system:import",
                mapping_path=options["mapping"],
                dry_run=options["dry_run"],
                valid_only=options["valid_only"],
            )
        except (UnreadableFile, BadValue) as error:
            raise CommandError(str(error), returncode=1) from None
        if options["report"]:
            options["report"].write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
            options["report"].chmod(0o600)
        self._write_rejected(path, report, options["rejected"])
        self._problems(report)
        if not report.written and not report.dry_run:
            self.stderr.write("Nothing was imported: correct the file, or use --valid-only.")
            raise SystemExit(1)
        verb = "Would import" if report.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.valid_rows} of {report.rows} {kind} rows ({report.encoding}): "
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )

    def _population(self, path: Path, characteristic: str | None, geography: list[str]) -> None:
        if not characteristic:
            raise CommandError("population needs --characteristic, e.g. ethnicity", returncode=2)
        areas = [part.strip() for item in geography for part in item.split(",") if part.strip()]
        from equal_outcomes.insight.population import import_population

        try:
            report = import_population(
                path, characteristic=characteristic, actor="system:import", geography=areas
            )
        except UnreadableFile as error:
            raise CommandError(str(error), returncode=1) from None
        if not report.written:
            self.stderr.write("These column headings match no category; nothing was loaded:")
            for heading in report.unmatched:
                self.stderr.write(f"  {heading}")
            raise SystemExit(1)
        total = sum(report.categories.values())
        loaded = (
            characteristic
            if report.loaded_as == characteristic
            else f"{characteristic} (broad groups, as {report.loaded_as})"
        )
        self.stdout.write(
            f"Loaded {loaded} for {report.areas} area(s): {total} people in "
            f"{len(report.categories)} categories."
        )

    def _places(self, path: Path, options: dict[str, Any]) -> None:
        from equal_outcomes.imports.places import import_places

        try:
            report = import_places(path, actor="system:import", mapping_path=options["mapping"],
                                   dry_run=options["dry_run"])  # fmt: skip
        except UnreadableFile as error:
            raise CommandError(str(error), returncode=1) from None
        if options["report"]:
            options["report"].write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        if report.ignored_columns:
            self.stdout.write(f"Columns not imported: {', '.join(report.ignored_columns)}")
        if report.problems:
            lines = [f"row {p.row}, {p.column}: {p.reason}" + (f" ({p.value!r})" if p.value else "")
                     for p in report.problems]  # fmt: skip
            self._refuse(len(lines), lines, "Nothing was imported: correct the file.")
        made = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n) or "nothing new"
        changed = ", ".join(f"{n} {kind}" for kind, n in report.updated.items() if n) or "none"
        verb = "Checked" if report.dry_run else "Imported"
        self.stdout.write(f"{verb} {report.rows} rows ({report.encoding}): created {made}; "
                          f"updated {changed}.")  # fmt: skip

    def _refuse(self, count: int, problems: list[str], ending: str) -> None:
        """Lists the first problems found in a file, says nothing was written, and stops."""
        self.stderr.write(f"{count} problem(s):")
        for line in problems[:SHOWN_PROBLEMS]:
            self.stderr.write(f"  {line}")
        self.stderr.write(ending)
        raise SystemExit(1)

    def _jobs(self, path: Path, *, dry_run: bool) -> None:
        from equal_outcomes.sharing.jobs import import_jobs

        try:
            report = import_jobs(path, actor="system:import", dry_run=dry_run)
        except UnreadableFile as error:
            raise CommandError(str(error), returncode=1) from None
        if report.problems:
            lines = [f"row {row}, {column}: {reason}" for row, column, reason in report.problems]
            self._refuse(len(lines), lines, "Nothing was imported: correct the file.")
        if dry_run:
            self.stdout.write(f"Would import {report.rows} jobs ({report.encoding}).")
            return
        self.stdout.write(
            f"Imported {report.rows} jobs ({report.encoding}): {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged."
        )

    def _events(self, path: Path, *, dry_run: bool, core: bool = False) -> None:
        from equal_outcomes.insight.events import import_events
        from equal_outcomes.insight.lettings import import_core

        load = import_core if core else import_events
        try:
            report = load(path, actor="system:import", dry_run=dry_run)
        except UnreadableFile as error:
            raise CommandError(str(error), returncode=1) from None
        if report.problems:
            lines = [f"row {p.row}, {p.column}: {p.reason} ({p.value!r})" for p in report.problems]
            self._refuse(report.problem_count, lines, "Nothing was loaded: correct the file.")
        kinds = ", ".join(f"{name} {count}" for name, count in report.event_types.items())
        verb = "Would load" if dry_run else "Loaded"
        self.stdout.write(
            f"{verb} {report.rows - report.left_out} events ({kinds}) in {report.seconds:.1f} s; "
            f"{report.left_out} left out because the person objects to equality monitoring."
        )

    def _summary(self, report: ImportReport) -> None:
        write = self.stdout.write
        self._problems(report)
        if not report.written and not report.dry_run:
            self.stderr.write("Nothing was imported: correct the file, or use --valid-only.")
            return
        verb = "Would import" if report.dry_run else "Imported"
        write(
            f"{verb} {report.valid_rows} of {report.rows} rows ({report.encoding}): "
            f"{report.created} customers created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {report.answers_added} answers added, "
            f"{report.answers_confirmed} confirmed, {report.answers_older_skipped} older than "
            "those held and skipped."
        )
