"""The equality monitoring report: coverage, outcomes, representation and how they were
worked out, as HTML, PDF (WeasyPrint) or XLSX (openpyxl).

A publishable report is built only from publishable results (disclosure control applied): it
holds aggregates, never source rows, and no count under the threshold. Coverage is published as
the number of people in each group (withheld under 10) and rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.accounts.organisation import coverage_levels
from equal_outcomes.analysis.disclosure import LOW, RELIABLE, SUPPRESSED, THRESHOLD
from equal_outcomes.analysis.engine import ROW_FIELDS
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.spreadsheets import workbook_bytes
from equal_outcomes.core.templatetags.codes import (
    category_label,
    humanise,
    indicator_name,
    measured,
    percent,
)
from equal_outcomes.customers.templatetags.places import area_name, customer_group
from equal_outcomes.insight import results
from equal_outcomes.insight.charts import Bar, bar_chart

FORMATS = ("html", "pdf", "xlsx")
COVERAGE_COUNTS = ("answered", "prefer_not_to_say", "not_asked", "stale")


@dataclass
class EqualityReport:
    publishable: bool
    filters: results.Filters
    data_as_at: str
    generated_at: dt.datetime
    coverage: list[dict[str, Any]]
    by_group: list[dict[str, Any]]
    by_area: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    tables: list[dict[str, Any]]
    findings: list[dict[str, Any]] = field(default_factory=list)
    representation: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _published_coverage(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Coverage for publishing: people and rates; a group of under 10 people withheld."""
    published = []
    for row in rows:
        row = {k: v for k, v in row.items() if k not in COVERAGE_COUNTS}
        if row["people"] < THRESHOLD:
            for name in ("people", "response_rate", "known_rate", "stale_share", "level"):
                if name in row:
                    row[name] = SUPPRESSED
        published.append(row)
    return published


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def build(filters: results.Filters | None = None, *, publishable: bool) -> EqualityReport:
    filters = filters or results.Filters()
    knowing = results.knowing_our_customers(filters)
    outcomes = results.equal_outcomes(filters, publishable=publishable)
    serve = results.who_we_serve(filters, publishable=publishable)
    coverage, by_group, by_area = (
        knowing["overall"],
        knowing["by_customer_group"],
        knowing["by_area"],
    )
    if publishable:
        coverage, by_group, by_area = map(_published_coverage, (coverage, by_group, by_area))
    by_group = [{**row, "name": customer_group(row["group"])} for row in by_group]
    by_area = [{**row, "name": area_name(row["group"])} for row in by_area]
    findings = [
        {
            "indicator": indicator_name(table["indicator"]),
            "measure": table["measure"],
            "characteristic": table["characteristic"],
            **row,
        }
        for table in outcomes["tables"]
        for row in table["rows"]
        if row["flag"] in {"worse", "better"}
    ]
    findings.sort(key=lambda f: (f["flag"] != "worse", f["indicator"], f["characteristic"]))
    return EqualityReport(
        publishable=publishable,
        filters=filters,
        data_as_at=knowing["data_as_at"],
        generated_at=timezone.now(),
        coverage=coverage,
        by_group=by_group,
        by_area=by_area,
        indicators=outcomes["indicators"],
        tables=outcomes["tables"],
        findings=findings,
        representation=serve["characteristics"],
    )


def html(report: EqualityReport) -> str:
    chart = bar_chart(
        _("Response rate by characteristic"),
        _("Share of customers who answered or chose 'prefer not to say', for each characteristic."),
        [
            Bar(
                humanise(row["characteristic"]),
                row["response_rate"],
                text=percent(row["response_rate"]),
            )
            for row in report.coverage
        ],
        maximum=1.0,
        marks=[
            (level, label % {"n": round(level * 100)})
            for level, label in zip(
                coverage_levels(), (_("Achieving %(n)d%%"), _("Excellent %(n)d%%")), strict=True
            )
        ],
    )
    findings = [
        {
            **f,
            "group": category_label(f["category"], f["characteristic"]),
            "value_shown": measured(f["value"], f["measure"]),
            "comparator_shown": measured(f["comparator_value"], f["measure"]),
        }
        for f in report.findings
    ]
    context = {
        "report": report,
        "chart": chart,
        "findings": findings,
        "threshold": THRESHOLD,
        "reliable": RELIABLE,
        "suppressed": SUPPRESSED,
        "low": LOW,
    }
    return render_to_string("reports/equality.html", context)


def pdf(report: EqualityReport) -> bytes:
    from weasyprint import HTML  # imported late: it loads system libraries

    return bytes(HTML(string=html(report)).write_pdf())


def xlsx(report: EqualityReport) -> bytes:
    """One sheet per table of the report; values only."""
    coverage_headers = [
        "characteristic",
        "group",
        "people",
        *([] if report.publishable else COVERAGE_COUNTS),
        "response_rate",
        "known_rate",
        "level",
    ]

    def coverage_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [[row.get(name, "") for name in coverage_headers] for row in rows]

    outcome_headers = [
        "indicator",
        "characteristic",
        *ROW_FIELDS[:-1],
    ]  # all shown, none "suppressed"
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            "About",
            ["item", "value"],
            [
                ["report", "Equality monitoring report"],
                ["data as at", report.data_as_at],
                ["generated", report.generated_at.isoformat(timespec="seconds")],
                ["publishable", "yes" if report.publishable else "no (internal)"],
                ["suppression", f"{SUPPRESSED} under {THRESHOLD}; {LOW} under {RELIABLE}"],
            ],
        ),
        ("Coverage", coverage_headers, coverage_rows(report.coverage)),
        ("Coverage by group", coverage_headers, coverage_rows(report.by_group)),
        ("Coverage by area", coverage_headers, coverage_rows(report.by_area)),
        (
            "Findings",
            outcome_headers,
            [
                [f["indicator"], *[f.get(name) for name in outcome_headers[1:]]]
                for f in report.findings
            ],
        ),
        (
            "Outcomes",
            outcome_headers,
            [
                [
                    t["indicator"],
                    t["characteristic"],
                    *[row.get(name) for name in outcome_headers[2:]],
                ]
                for t in report.tables
                for row in t["rows"]
            ],
        ),
    ]
    for characteristic, rows in report.representation.items():
        headers = ["category", "customers", "share", "benchmark_share", "ratio", "q_value", "flag"]
        sheets.append(
            (
                f"Who we serve {humanise(characteristic)}"[:31],
                headers,
                [[row.get(name) for name in headers] for row in rows],
            )
        )
    return workbook_bytes(sheets)


def render(report: EqualityReport, file_format: str) -> bytes:
    if file_format == "html":
        return html(report).encode()
    if file_format == "pdf":
        return pdf(report)
    if file_format == "xlsx":
        return xlsx(report)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


def audit(*, actor: Any, file_format: str, publishable: bool) -> None:
    Auditor.record(
        actor=actor,
        action=AuditAction.REPORT,
        target_type="analytics",
        target_id="equality",
        purpose=f"{'publishable' if publishable else 'internal'} {file_format}",
    )


def equality_report(
    *, actor: Any, file_format: str, publishable: bool, filters: results.Filters | None = None
) -> bytes:
    """The report as bytes, its making audited (it holds aggregates only)."""
    content = render(build(filters, publishable=publishable), file_format)
    audit(actor=actor, file_format=file_format, publishable=publishable)
    return content
