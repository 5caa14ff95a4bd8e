"""The ONS postcode lookup: each postcode's LSOA and rural-urban class, so that a property's
small area comes from its postcode (``equal-outcomes import postcode-lookup FILE``).

Reads the ONS Postcode Directory (ONSPD) or the National Statistics Postcode Lookup (NSPL) CSV,
whatever the release: the postcode from ``pcds``, ``pcd``, ``pcd2``, ``pcd7`` or ``pcd8``, the
LSOA from ``lsoa21cd``/``lsoa21``/``lsoa11cd``/``lsoa11``, the class from ``ru11ind``. Only
English and Welsh LSOAs are kept. Loading again replaces the table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.imports.models import Postcode

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode")
LSOA_COLUMNS = ("lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11", "lsoa")
RURAL_COLUMNS = ("ru11ind", "ru21ind")
BATCH = 20_000


@dataclass
class PostcodeReport:
    rows: int = 0
    kept: int = 0


def lookup(codes: set[str]) -> dict[str, tuple[str, str]]:
    """For postcodes without spaces, their (LSOA, rural-urban class)."""
    found: dict[str, tuple[str, str]] = {}
    wanted = sorted(codes)
    for start in range(0, len(wanted), 900):
        for row in Postcode.objects.filter(code__in=wanted[start : start + 900]):
            found[row.code] = (row.lsoa, row.rural_urban)
    return found


def _column(headers: list[str], names: tuple[str, ...], what: str) -> int:
    for name in names:
        if name in headers:
            return headers.index(name)
    raise UnreadableFile(f"the file has no {what} column (looked for {', '.join(names)})")


def import_postcodes(path: Path) -> PostcodeReport:
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    report = PostcodeReport()
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        headers = [h.strip().lower() for h in next(reader, [])]
        code_at = _column(headers, POSTCODE_COLUMNS, "postcode")
        lsoa_at = _column(headers, LSOA_COLUMNS, "LSOA")
        rural_at = next((headers.index(n) for n in RURAL_COLUMNS if n in headers), None)
        with transaction.atomic():
            Postcode.objects.all().delete()
            batch: list[Postcode] = []
            for cells in reader:
                report.rows += 1
                if len(cells) <= max(code_at, lsoa_at):
                    continue
                lsoa = cells[lsoa_at].strip().upper()
                if not (lsoa.startswith("E01") or lsoa.startswith("W01")):
                    continue
                code = cells[code_at].replace(" ", "").upper()
                rural = cells[rural_at].strip().upper()[:2] if rural_at is not None else ""
                batch.append(Postcode(code=code, lsoa=lsoa, rural_urban=rural))
                if len(batch) >= BATCH:
                    Postcode.objects.bulk_create(batch, ignore_conflicts=True)
                    report.kept += len(batch)
                    batch = []
            Postcode.objects.bulk_create(batch, ignore_conflicts=True)
            report.kept += len(batch)
    return report
