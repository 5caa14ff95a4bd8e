"""The landlord's stock: areas, estates, blocks and properties, from a CSV or XLSX export.

Canonical columns (DESIGN.md section 6): ``area, area_name, estate, estate_name, block,
property_ref, uprn, address_line_1, address_line_2, town, postcode, lsoa, local_authority``.
Only ``area`` is required; a row with an area alone makes or renames the area; a property row
needs ``property_ref`` (and an estate: a property with none is put in an estate named after its
area). Every row is checked before anything is written, and all rows are written or none; the
same file again changes nothing. A mapping file renames other systems' headings. When a postcode
lookup has been imported (``import postcode-lookup``), a property's LSOA and rural-urban class
come from its postcode unless the file gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.readers import read_table
from equal_outcomes.customers.models import Area, Block, Estate, Property
from equal_outcomes.imports.customers import Problem
from equal_outcomes.imports.mapping import load_mapping
from equal_outcomes.imports.postcodes import lookup

COLUMNS = (
    "area", "area_name", "estate", "estate_name", "block", "property_ref", "uprn",
    "address_line_1", "address_line_2", "town", "postcode", "lsoa", "local_authority",
)  # fmt: skip
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
LSOA = re.compile(r"^[EW]010\d{5}$")
LIMITS = {"area": 32, "estate": 32, "block": 32, "property_ref": 32, "area_name": 120,
          "estate_name": 120, "uprn": 12, "local_authority": 120}  # fmt: skip


def heading(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def postcode(text: str) -> str | None:
    """A UK postcode in its usual form (``CF10 1AA``), or None."""
    match = POSTCODE.match(re.sub(r"\s+", " ", text.strip().upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


@dataclass
class PlacesReport:
    file: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("areas", "estates", "blocks", "properties"), 0)
    )
    updated: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("areas", "estates", "blocks", "properties"), 0)
    )
    unchanged: int = 0
    written: bool = False
    dry_run: bool = False
    encoding: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "rows": self.rows, "encoding": self.encoding,
            "written": self.written, "dry_run": self.dry_run,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "ignored_columns": self.ignored_columns,
            "problems": [p.__dict__ for p in self.problems],
        }  # fmt: skip


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


def _check(row: _Row, report: PlacesReport, postcodes: dict[str, tuple[str, str]]) -> None:
    cells = row.cells

    def fail(column: str, reason: str) -> None:
        report.problems.append(Problem(row.line, column, cells.get(column, ""), reason))

    if not cells.get("area"):
        fail("area", "every row needs the area it is in")
    for column, limit in LIMITS.items():
        if len(cells.get(column, "")) > limit:
            fail(column, f"at most {limit} characters")
    if cells.get("block") and not cells.get("property_ref"):
        fail("property_ref", "a block is given with a property")
    if not cells.get("property_ref"):
        return
    address = ", ".join(
        part for part in (cells.get("address_line_1", ""), cells.get("address_line_2", ""),
                          cells.get("town", "")) if part
    )  # fmt: skip
    if not address:
        fail("address_line_1", "a property needs its address")
    if len(address) > 200:
        fail("address_line_1", "the address is over 200 characters")
    code = postcode(cells.get("postcode", ""))
    if code is None:
        fail("postcode", "not a UK postcode, for example CF10 1AA")
    lsoa = cells.get("lsoa", "").upper()
    if lsoa and not LSOA.match(lsoa):
        fail("lsoa", "not an LSOA code, for example W01001234")
    if code:
        cells["postcode"] = code
        known = postcodes.get(code.replace(" ", ""))
        if not lsoa and known:
            cells["lsoa"] = known[0]
        cells["rural_urban"] = known[1] if known else ""
    cells["lsoa"] = cells.get("lsoa", "").upper()
    cells["address"] = address


def import_places(
    path: Path, *, actor: Any, mapping_path: Path | None = None, dry_run: bool = False
) -> PlacesReport:
    table = read_table(path)
    mapping = load_mapping(mapping_path)
    renamed = {heading(k): v for k, v in mapping.columns.items()}
    headers = [renamed.get(heading(h), heading(h)) for h in table.headers]
    report = PlacesReport(file=path.name, encoding=table.encoding, dry_run=dry_run)
    report.ignored_columns = [
        original for original, name in zip(table.headers, headers, strict=True)
        if name not in COLUMNS and name != "ignore"
    ]  # fmt: skip
    if "area" not in headers:
        report.problems.append(Problem(1, "area", "", "the file has no area column"))
        return report
    rows = []
    for line, cells in table.rows:
        report.rows += 1
        values = {
            name: cells[i].strip() if i < len(cells) else ""
            for i, name in enumerate(headers) if name in COLUMNS
        }  # fmt: skip
        for name, table_of_values in mapping.values.items():
            if values.get(name) in table_of_values:
                values[name] = table_of_values[values[name]]
        rows.append(_Row(line, values))
    postcodes = lookup(
        {(postcode(r.cells.get("postcode", "")) or "").replace(" ", "") for r in rows} - {""}
    )
    seen: dict[str, int] = {}
    for row in rows:
        _check(row, report, postcodes)
        ref = row.cells.get("property_ref", "")
        if ref:
            if ref.upper() in seen:
                report.problems.append(Problem(row.line, "property_ref", ref,
                                               f"this property is already on row {seen[ref.upper()]}"))  # fmt: skip
            seen[ref.upper()] = row.line
    _check_moves(rows, report)
    if report.problems or dry_run:
        report.problems.sort(key=lambda p: (p.row, p.column))
        return report
    with transaction.atomic():
        _write(rows, report)
        Auditor.record(
            actor=actor, action=AuditAction.IMPORT, target_type="places", target_id=path.name[:100],
            purpose=f"{report.rows} rows: {report.created} created, {report.updated} updated"[:200],
        )  # fmt: skip
    report.written = True
    return report


def _check_moves(rows: list[_Row], report: PlacesReport) -> None:
    """An estate or block named under two areas (or estates) in one file is a mistake."""
    parents: dict[tuple[str, str], tuple[str, int]] = {}
    for row in rows:
        for level, parent in (("estate", "area"), ("block", "estate")):
            code = row.cells.get(level, "").upper()
            if not code:
                continue
            owner = row.cells.get(parent, "").upper()
            seen = parents.setdefault((level, code), (owner, row.line))
            if seen[0] != owner:
                report.problems.append(Problem(row.line, level, row.cells[level],
                                               f"this {level} is in another {parent} on row {seen[1]}"))  # fmt: skip


def _upsert(model: Any, report: PlacesReport, kind: str, code_field: str, code: str,
            values: dict[str, Any]) -> Any:  # fmt: skip
    """Creates the place with this code, or changes what the file gives differently; a blank
    in the file keeps what is held (a new place is named after its code)."""
    found = model.objects.filter(**{f"{code_field}__iexact": code}).first()
    if found is None:
        report.created[kind] += 1
        if "name" in values and not values["name"]:
            values = {**values, "name": code}
        return model.objects.create(**{code_field: code, **values})
    changed = {k: v for k, v in values.items() if v not in ("", None) and getattr(found, k) != v}
    if changed:
        for name, value in changed.items():
            setattr(found, name, value)
        found.save(update_fields=list(changed))
        report.updated[kind] += 1
    else:
        report.unchanged += 1
    return found


def _write(rows: list[_Row], report: PlacesReport) -> None:
    for row in rows:
        cells = row.cells
        area = _upsert(Area, report, "areas", "code", cells["area"].upper(),
                       {"name": cells.get("area_name", "")})  # fmt: skip
        if not cells.get("property_ref") and not cells.get("estate"):
            continue
        estate_code = (cells.get("estate") or f"{area.code}-GENERAL").upper()
        estate = _upsert(Estate, report, "estates", "code", estate_code,
                         {"area": area, "name": cells.get("estate_name", "")})  # fmt: skip
        block = None
        if cells.get("block"):
            block = _upsert(Block, report, "blocks", "code", cells["block"].upper(),
                            {"estate": estate, "name": cells["block"]})  # fmt: skip
        if cells.get("property_ref"):
            _upsert(Property, report, "properties", "property_ref", cells["property_ref"], {
                "estate": estate, "block": block, "address": cells["address"],
                "postcode": cells["postcode"], "lsoa_code": cells.get("lsoa", ""),
                "rural_urban": cells.get("rural_urban", ""), "uprn": cells.get("uprn", ""),
                "local_authority": cells.get("local_authority", ""),
            })  # fmt: skip
