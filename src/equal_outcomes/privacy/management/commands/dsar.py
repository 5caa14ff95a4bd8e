from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Subject access: write everything held about one person (and nothing about anyone "
        "else) to a JSON or PDF file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ref", help="the customer reference")
        parser.add_argument("--out", required=True, type=Path, help="file to write")
        parser.add_argument(
            "--format",
            choices=("json", "pdf"),  # privacy.dsar.FORMATS, known here without the models
            help="json or pdf (default: from the --out file's extension, else json)",
        )

    def handle(self, *args: Any, ref: str, out: Path, **options: Any) -> None:
        from equal_outcomes.customers.models import Customer
        from equal_outcomes.privacy.dsar import subject_access_export

        file_format = options["format"] or (
            out.suffix.lstrip(".").lower() if out.suffix.lower() in (".json", ".pdf") else "json"
        )
        customer = Customer.objects.filter(landlord_ref=ref, erased_at__isnull=True).first()
        if customer is None:
            raise CommandError(f"no customer with reference {ref!r}", returncode=1)
        content = subject_access_export(
            actor="system:dsar", customer=customer, file_format=file_format
        )
        out.write_bytes(content)
        out.chmod(0o600)
        self.stdout.write(f"Wrote the subject access export of {ref} to {out} ({file_format}).")
