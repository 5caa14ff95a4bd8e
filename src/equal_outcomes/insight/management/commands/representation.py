from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Who we serve: each group's share of customers (from the snapshot) against its share of "
        "the population benchmark loaded with 'import population'; or, with --among, each "
        "group's share of a service's users (survey respondents, say) against its share of "
        "the customer base."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="the characteristic, e.g. ethnicity")
        parser.add_argument(
            "--among",
            metavar="EVENT_TYPE",
            help="compare the people with events of this type with the whole customer base",
        )
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args: Any, by: str, format: str, among: str | None, **options: Any) -> None:
        # The engine and the stores are imported when the command runs, not for --help.
        from equal_outcomes.analysis.engine import (
            category_counts,
            representation,
            who_could_respond,
        )
        from equal_outcomes.insight.population import benchmark
        from equal_outcomes.insight.snapshot import open_people

        people = open_people()
        if people is None:
            raise CommandError("no snapshot yet: run 'equal-outcomes snapshot'", returncode=1)
        if by not in people.columns:
            raise CommandError(f"the snapshot has no characteristic {by!r}", returncode=1)
        if among:
            base = who_could_respond(people)
            rows = representation(
                who_could_respond(*self._users(people, among)), by, category_counts(base, by)
            )
            self._write(by, rows, format, "customers", among)
            return
        population = benchmark(by)
        if not population:
            raise CommandError(
                f"no population benchmark for {by}: run 'equal-outcomes import population FILE "
                f"--characteristic {by}'",
                returncode=1,
            )
        rows = representation(people, by, population)
        self._write(by, rows, format, "population", "")

    def _users(self, people: Any, event_type: str) -> tuple[Any]:
        from equal_outcomes.analysis.engine import service_users
        from equal_outcomes.analysis.files import connect
        from equal_outcomes.insight.events import events_path
        from equal_outcomes.insight.snapshot import store_path
        from equal_outcomes.insight.stores import attach

        if not events_path().exists():
            raise CommandError(
                "no events yet: run 'equal-outcomes import events FILE'", returncode=1
            )
        events = connect()
        attach(events, store_path(), "snapshot", read_only=True)
        attach(events, events_path(), "store", read_only=True)
        people = events.table("people", database="snapshot")
        table = events.table("events", database="store")
        if not table.filter(table.event_type == event_type).count().execute():
            raise CommandError(f"no events of type {event_type!r}", returncode=1)
        return (service_users(people, table, event_type),)

    def _write(
        self, by: str, rows: list[dict[str, Any]], format: str, base: str, among: str
    ) -> None:
        if format == "json":
            document: dict[str, Any] = {"characteristic": by, "benchmark": base}
            if among:
                document["among"] = among
            from equal_outcomes.analysis.engine import json_text

            self.stdout.write(json_text({**document, "rows": rows}))
            return
        label = f"{among} " if among else "customers "
        for row in rows:
            self.stdout.write(
                f"{row['category']:<28} {label}{row['share']:6.1%}  {base} "
                f"{row['benchmark_share']:6.1%}  ratio {row['ratio']:5.2f}  {row['flag']}"
            )
