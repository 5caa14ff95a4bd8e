"""Population benchmarks from census tables, as Nomis publishes them.

A Nomis bulk CSV has ``date``, ``geography`` and ``geography code`` columns, then one column per
category named like ``Ethnic group: Asian, Asian British or Asian Welsh: Indian``. The last part
of each heading is matched to the characteristic's code list (labels and synonyms); totals and
parent groups are skipped, and headings that match no code are reported. The counts go to
``var/population.duckdb``, replacing any earlier table for the same characteristic.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from equal_outcomes.accounts.organisation import welsh_first
from equal_outcomes.audit.services import Auditor
from equal_outcomes.imports.readers import UnreadableFile
from equal_outcomes.insight.stores import attach, open_store, rebuilt
from equal_outcomes.standards.codelists import characteristics

GEOGRAPHY_COLUMNS = {"date", "geography", "geography code", "geography_code"}


def population_path() -> Path:
    return settings.HOME / "population.duckdb"


@dataclass
class PopulationReport:
    characteristic: str
    areas: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    written: bool = False


def import_population(path: Path, *, characteristic: str, actor: Any) -> PopulationReport:
    """Loads one census table for ``characteristic``; unmatched category headings stop it."""
    try:
        listing = characteristics().get(characteristic).codes
    except KeyError:
        raise UnreadableFile(f"{characteristic!r} is not a profile characteristic") from None
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("the census table must be UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    try:
        headers = next(reader)
    except StopIteration:
        raise UnreadableFile("the file is empty") from None
    report = PopulationReport(characteristic)
    columns: dict[int, str] = {}
    geography = next(
        (
            i
            for i, h in enumerate(headers)
            if h.strip().lower() in {"geography code", "geography_code"}
        ),
        None,
    )
    for index, heading in enumerate(headers):
        parts = [part.strip() for part in heading.split(":")]
        label = parts[-1]
        if heading.strip().lower() in GEOGRAPHY_COLUMNS or any(
            part.lower() == "total" for part in parts
        ):
            continue
        code = listing.match(label)
        if code is None:
            if any(group.label.en.lower() == label.lower() for group in listing.groups):
                continue  # a parent group's subtotal
            report.unmatched.append(heading)
        elif not listing.get(code).group:
            columns[index] = code
    if report.unmatched or not columns:
        return report
    rows = []
    for line in reader:
        if not any(cell.strip() for cell in line):
            continue
        area = line[geography].strip() if geography is not None else ""
        report.areas += 1
        for index, code in columns.items():
            try:
                count = int(float(line[index].replace(",", "") or 0))
            except (ValueError, IndexError):
                raise UnreadableFile(
                    f"line {reader.line_num}: {headers[index]!r} is not a count"
                ) from None
            rows.append((characteristic, code, area, count))
            report.categories[code] = report.categories.get(code, 0) + count
    _replace(characteristic, rows)
    report.written = True
    Auditor.record(
        actor=actor,
        action="import",
        target_type="population",
        target_id=characteristic,
        purpose=f"{report.areas} areas from {path.name}"[:200],
    )
    return report


def _replace(characteristic: str, rows: list[tuple[str, str, str, int]]) -> None:
    final = population_path()
    with rebuilt(final) as building, open_store(building) as con:
        con.execute(
            "CREATE TABLE population (characteristic VARCHAR, category VARCHAR, "
            "geography_code VARCHAR, count BIGINT)"
        )
        if final.exists():
            attach(con, final, "old", read_only=True)
            con.execute(
                "INSERT INTO population SELECT * FROM old.population WHERE characteristic <> ?",
                [characteristic],
            )
            con.execute("DETACH old")
        con.executemany("INSERT INTO population VALUES (?, ?, ?, ?)", rows)


def benchmark(characteristic: str) -> dict[str, float]:
    """Population counts per category, summed over the geographies loaded in the landlord's
    own nation (codes starting W for Wales, E for England) when the table has any: a landlord
    in Wales is compared with the Welsh census rows, not England's as well. Otherwise summed
    over every geography loaded."""
    if not population_path().exists():
        return {}
    prefix = "W%" if welsh_first() else "E%"
    with open_store(population_path(), read_only=True) as con:
        ours = con.execute(
            "SELECT count(*) FROM population WHERE characteristic = ? AND geography_code LIKE ?",
            [characteristic, prefix],
        ).fetchone()
        where = "AND geography_code LIKE ?" if ours and ours[0] else ""
        return {
            category: float(total)
            for category, total in con.execute(
                "SELECT category, sum(count) FROM population WHERE characteristic = ? "  # noqa: S608 - a fixed clause
                f"{where} GROUP BY 1",
                [characteristic, prefix] if where else [characteristic],
            ).fetchall()
        }
