from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Write a report as HTML, PDF or XLSX: 'equality' (coverage, outcomes, who we serve and "
        "method notes, from the last snapshot; --publishable applies disclosure control) or "
        "'self-assessment' (framework levels, evidence, live figures and the action plan of the "
        "latest assessment, or the one given by --assessment) or 'workforce' (the staff profile, "
        "recruitment, pay gaps, training, staff survey, cases, leavers and the board, from the HR "
        "records; --publishable applies disclosure control)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", choices=("equality", "self-assessment", "workforce"), help="which report"
        )
        # Each report's FORMATS, known here without loading the reports and their models.
        parser.add_argument("--format", choices=("html", "pdf", "xlsx"), required=True)
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument(
            "--publishable", action="store_true", help="apply disclosure control for publishing"
        )
        parser.add_argument("--area", default="", help="only customers in this area")
        parser.add_argument("--customer-group", default="", help="only this customer group")
        parser.add_argument("--period", default="", help="only events in this year or quarter")
        parser.add_argument(
            "--assessment", default="", help="self-assessment: the assessment's id (default latest)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from equal_outcomes.insight import reports, results
        from equal_outcomes.workforce.reports import workforce_report

        if options["kind"] == "self-assessment":
            self._self_assessment(options)
            return
        if options["kind"] == "workforce":
            content = workforce_report(
                actor="system:command",
                file_format=options["format"],
                publishable=options["publishable"],
            )
            options["out"].write_bytes(content)
            edition = "publishable" if options["publishable"] else "internal (not for publication)"
            self.stdout.write(
                f"wrote {options['out']} (workforce, {options['format']}, {edition}, "
                f"{len(content)} bytes)"
            )
            return
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

    def _self_assessment(self, options: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from equal_outcomes.assessment import reports as assessment_reports
        from equal_outcomes.assessment.models import Assessment

        runs = Assessment.objects.all()
        try:
            found = runs.filter(public_id=options["assessment"]) if options["assessment"] else runs
            assessment = found.first()
        except ValidationError:
            raise CommandError(
                f"{options['assessment']!r} is not an assessment id", returncode=2
            ) from None
        if assessment is None:
            raise CommandError(
                "no such assessment: start one in the web app (Self-assessment)", returncode=1
            )
        content = assessment_reports.self_assessment_report(
            actor="system:command", assessment=assessment, file_format=options["format"]
        )
        out: Path = options["out"]
        out.write_bytes(content)
        self.stdout.write(
            f"wrote {out} ({options['format']}, self-assessment '{assessment.title}' of "
            f"{assessment.assessed_on}, {len(content)} bytes)"
        )
