from __future__ import annotations

import csv
import io
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.analysis.options import PERIODS, add_not_known_argument
from equal_outcomes.core.commands import ProjectCommand

if TYPE_CHECKING:
    from equal_outcomes.analysis.engine import ResultTable

# The engine, the stores and the models are imported when the command runs, not for --help.


def _json(tables: list[ResultTable]) -> str:
    from equal_outcomes.analysis.engine import json_text

    return json_text([t.as_json() for t in tables])


def _flat(tables: list[ResultTable]) -> tuple[list[str], list[list[Any]]]:
    from equal_outcomes.analysis.engine import ROW_FIELDS as COLUMNS
    from equal_outcomes.analysis.engine import plain

    periods = any(t.period for t in tables)
    headers = ["indicator", "characteristic", "comparison", *(["period"] if periods else [])]
    headers += COLUMNS
    rows = [
        [
            t.indicator,
            t.characteristic,
            t.comparison,
            *([t.period] if periods else []),
            *(plain(row[c]) for c in COLUMNS),
        ]
        for t in tables
        for row in t.rows
    ]
    return headers, rows


def _text(tables: list[ResultTable]) -> str:
    lines = []
    for t in tables:
        when = f" in {t.period}" if t.period else ""
        lines.append(f"{t.indicator} by {t.characteristic}{when} (compared with {t.comparison})")
        for row in t.rows:
            value = row["value"]
            shown = value if isinstance(value, str) else f"{value:.3f}"
            lines.append(
                f"  {row['category']:<28} n={row['n']!s:>7}  value={shown:>7}  {row['flag']}"
            )
    return "\n".join(lines) + "\n"


class Command(ProjectCommand):
    help = (
        "Break indicators down by characteristic: rates with Wilson intervals, comparisons with "
        "tests, Benjamini-Hochberg q-values and flags. File mode needs no database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            help="indicator id (repeatable; default all)",
        )
        parser.add_argument(
            "--by",
            action="append",
            default=[],
            help="characteristic, or two joined by * for an intersection such as ethnicity*sex "
            "(repeatable; default all)",
        )
        parser.add_argument(
            "--compare", default="rest", help="rest | largest | overall | reference:CODE"
        )
        parser.add_argument(
            "--period",
            choices=PERIODS,
            help="a table per month, quarter or year of the events' event_date, for trends",
        )
        parser.add_argument("--publishable", action="store_true", help="apply disclosure control")
        parser.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table")
        parser.add_argument("--out", type=Path, help="write here instead of standard output")
        parser.add_argument("--people", type=Path, help="people extract (CSV or Parquet)")
        parser.add_argument("--events", type=Path, help="events extract (CSV or Parquet)")
        add_not_known_argument(parser)
        parser.add_argument(
            "--indicators", type=Path, help="indicator definitions (YAML; default the shipped set)"
        )
        parser.add_argument(
            "--min-effect",
            type=float,
            default=0.05,
            help="smallest difference in a rate worth flagging (default 0.05)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from equal_outcomes.analysis.disclosure import suppress_linked
        from equal_outcomes.analysis.engine import PERSON, analyse_all, with_communication_match
        from equal_outcomes.analysis.files import ExtractError, connect, read_events, read_people
        from equal_outcomes.analysis.indicators import (
            IndicatorError,
            default_indicators,
            load_indicators,
        )

        compare = options["compare"]
        if compare not in {"rest", "largest", "overall"} and not compare.startswith("reference:"):
            raise CommandError(
                "--compare must be rest, largest, overall or reference:CODE", returncode=2
            )
        file_mode = bool(options["people"] or options["events"])
        if file_mode and not all([options["people"], options["events"], options["indicators"]]):
            raise CommandError(
                "file mode needs --people, --events and --indicators together", returncode=2
            )
        try:
            if file_mode:
                con = connect()
                people = read_people(con, options["people"], not_known=options["not_known"])
                events = read_events(con, options["events"])
                indicators = load_indicators(options["indicators"])
            else:
                people, events = self._stores()
                indicators = (
                    load_indicators(options["indicators"])
                    if options["indicators"]
                    else default_indicators()
                )
        except (ExtractError, IndicatorError) as error:
            raise CommandError(str(error), returncode=1) from None
        # Letters are checked against preferences per event type, inside the query (Prepare).
        prepare = partial(with_communication_match, people)
        columns = set(with_communication_match(people, events).columns)
        wanted = options["indicator"]
        unknown = set(wanted) - {i.id for i in indicators}
        if file_mode:
            default_by = [c for c in people.columns if c != PERSON]
        else:  # the dashboards' characteristics (their module is not needed in file mode)
            from equal_outcomes.insight.results import profile_characteristics

            default_by = profile_characteristics(people.columns)
        characteristics = options["by"] or default_by
        named = {part for c in characteristics for part in c.split("*")}
        missing = named - set(people.columns)
        if unknown or missing:
            raise CommandError(
                f"unknown indicator(s) {sorted(unknown)} or characteristic(s) {sorted(missing)}",
                returncode=1,
            )
        if compare.startswith("reference:") and len(characteristics) != 1:
            raise CommandError("reference:CODE needs exactly one --by", returncode=2)
        present = set(events.select("event_type").distinct().to_pyarrow().column(0).to_pylist())
        runnable = []
        for indicator in indicators:
            if wanted and indicator.id not in wanted:
                continue
            needed = {indicator.value, *indicator.filter} - {""}
            if needed - columns or indicator.event_type not in present:
                if file_mode or wanted:
                    raise CommandError(
                        f"{indicator.id}: no {indicator.event_type!r} events with the "
                        f"column(s) {', '.join(sorted(needed))}",
                        returncode=1,
                    )
                continue  # default indicators whose events have not been imported
            runnable.append(indicator)
        if options["period"] and "event_date" not in events.columns:
            raise CommandError("--period needs an event_date column in the events", returncode=1)
        tables = analyse_all(
            people,
            events,
            runnable,
            characteristics,
            compare=compare,
            min_effect=options["min_effect"],
            period=options["period"],
            prepare=prepare,
        )
        if options["publishable"]:
            tables = suppress_linked(tables)
        self._write(tables, options["format"], options["out"])

    def _stores(self) -> tuple[Any, Any]:
        """The snapshot's people and the imported events, in one DuckDB session."""
        from equal_outcomes.analysis.files import connect
        from equal_outcomes.insight.events import events_path
        from equal_outcomes.insight.snapshot import store_path
        from equal_outcomes.insight.stores import attach

        if not store_path().exists():
            raise CommandError("no snapshot yet: run 'equal-outcomes snapshot'", returncode=1)
        if not events_path().exists():
            raise CommandError(
                "no events yet: run 'equal-outcomes import events FILE'", returncode=1
            )
        con = connect()
        attach(con, store_path(), "snapshot", read_only=True)
        attach(con, events_path(), "store", read_only=True)
        return con.table("people", database="snapshot"), con.table("events", database="store")

    def _write(self, tables: list[ResultTable], file_format: str, out: Path | None) -> None:
        if file_format == "xlsx":
            from equal_outcomes.core.spreadsheets import table_bytes

            if out is None:
                raise CommandError("--format xlsx needs --out FILE", returncode=2)
            out.write_bytes(table_bytes(*_flat(tables), "xlsx", title="Breakdowns"))
            return
        if file_format == "json":
            text = _json(tables)
        elif file_format == "csv":
            buffer = io.StringIO()
            headers, rows = _flat(tables)
            writer = csv.writer(buffer)
            writer.writerow(headers)
            writer.writerows(rows)
            text = buffer.getvalue()
        else:
            text = _text(tables)
        if out is None:
            self.stdout.write(text, ending="")
        else:
            out.write_text(text)
