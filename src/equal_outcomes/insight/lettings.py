"""MHCLG CORE lettings logs as ``letting`` events, so who is housed can be broken down by
characteristic (``representation --by ethnicity --among letting``) (issue 28, item 14).

CORE (the Continuous Recording of social housing lettings) exports each log as a row, either
with labels ("General needs") or with codes (1), and since 2026 under two heading rows: the
questions, then the field names. Each log names the landlord's tenancy code (``tenancycode``),
which is matched to a tenancy here and so to its lead tenant; a log whose tenancy is not found
stops the load, reported by its line in the CORE file. The tenancy start date is the event's
date; the letting's needs type, rent type, renewal, referral and allocation route go with it,
in words whichever export was used.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from equal_outcomes.core.readers import UnreadableFile, read_table
from equal_outcomes.customers.models import Customer
from equal_outcomes.insight.events import EventReport, import_events

EVENT_TYPE = "letting"
LEAD = ("tenant", "joint_tenant")
#: CORE field: the outcome column it becomes, and (for the codes export) its codes in words.
FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "needstype": ("needs_type", {"1": "General needs", "2": "Supported housing"}),
    "renewal": ("renewal", {"1": "Yes", "0": "No"}),
    "renttype_detail": (
        "rent_type",
        {
            "1": "Social rent",
            "2": "Affordable rent",
            "3": "London Affordable Rent",
            "4": "Rent to Buy",
            "5": "London Living Rent",
            "6": "Other intermediate rent product",
        },
    ),
    "lettype": ("letting_type", {}),
    "referral": ("referral", {}),
    "referral_register": ("referral", {}),
    "reasonpref": ("reasonable_preference", {}),
    "cbl": ("choice_based_lettings", {}),
    "accessible_register": ("accessible_register", {}),
    "homeless": ("homeless", {}),
    "wchair": ("wheelchair_standard", {}),
}
REQUIRED = ("tenancycode", "startdate")


def _logs(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The field names and the logs, past a first row of questions where there is one."""
    table = read_table(path)
    headers = [h.strip() for h in table.headers]
    rows = list(table.rows)
    if "tenancycode" not in headers and rows and "tenancycode" in rows[0][1]:
        headers, rows = [h.strip() for h in rows[0][1]], rows[1:]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise UnreadableFile(
            f"this is not a CORE lettings log export: it has no {' or '.join(missing)} column"
        )
    return headers, rows


def _lead_tenants(codes: set[str]) -> dict[str, str]:
    """Tenancy code to the reference of the tenancy's lead tenant."""
    found: dict[str, str] = {}
    for tenancy_ref, ref in (
        Customer.objects.filter(household__tenancies__tenancy_ref__in=codes, customer_type__in=LEAD)
        .order_by("pk")
        .values_list("household__tenancies__tenancy_ref", "landlord_ref")
    ):
        found.setdefault(tenancy_ref, ref)
    return found


def import_core(path: Path, *, actor: Any, dry_run: bool = False) -> EventReport:
    """Checks every log, then replaces the ``letting`` events with them (all or nothing)."""
    headers, rows = _logs(path)
    at = {name: headers.index(name) for name in headers if name}
    columns = {name: FIELDS[name] for name in FIELDS if name in at}
    outcome_names = list(dict.fromkeys(name for name, _ in columns.values()))

    def cell(cells: list[str], name: str) -> str:
        index = at.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    leads = _lead_tenants({cell(cells, "tenancycode") for _, cells in rows})
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "lettings.csv"
        with events.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["customer_ref", "event_type", "event_date", *outcome_names])
            for number, cells in rows:
                code = cell(cells, "tenancycode")
                outcomes: dict[str, str] = {}
                for field, (name, words) in columns.items():
                    value = cell(cells, field)
                    if value and not outcomes.get(name):
                        outcomes[name] = words.get(value, value)
                # A tenancy not found keeps its code, which the events check reports.
                writer.writerow([leads.get(code, code or "(no tenancy code)"), EVENT_TYPE,
                                 cell(cells, "startdate")[:10],
                                 *(outcomes.get(name, "") for name in outcome_names)])  # fmt: skip
                lines.append(number)
        report = import_events(events, actor=actor, dry_run=dry_run)
    # Problems by the CORE file's own lines, its columns by CORE's names.
    names = {"customer_ref": "tenancycode", "event_date": "startdate"}
    report.problems = [
        replace(p, row=lines[p.row - 2], column=names.get(p.column, p.column))
        for p in report.problems
        if 0 <= p.row - 2 < len(lines)
    ]
    report.file = path.name
    return report
