from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import CommandParser

from equal_outcomes.accounts.register import register
from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Print the data register: every stored field with its data class, lawful basis, "
        "Article 9 condition, retention and the roles that may read or write it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("table", "csv"), default="table")

    def handle(self, *args: Any, format: str, **options: Any) -> None:
        entries = register()
        if format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(
                [
                    "field",
                    "data_class",
                    "lawful_basis",
                    "article_9_condition",
                    "retention",
                    "read",
                    "write",
                ]
            )
            for e in entries:
                writer.writerow(
                    [
                        e.label,
                        e.data_class.value,
                        e.policy.lawful_basis,
                        e.policy.condition,
                        e.policy.retention,
                        " ".join(sorted(e.policy.read)),
                        " ".join(sorted(e.policy.write)),
                    ]
                )
            return
        width = max(len(e.label) for e in entries)
        for e in entries:
            self.stdout.write(
                f"{e.label:<{width}}  {e.data_class.value:<16}  read: {', '.join(sorted(e.policy.read)) or '-'}"
            )
