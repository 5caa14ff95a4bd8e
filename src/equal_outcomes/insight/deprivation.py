"""The Indices of Deprivation by small area (LSOA), so outcomes can be broken down by how
deprived the places people live are (issue 28, item 13).

Read as the governments publish them: England's Indices of Deprivation (2019 or 2025; the
"File 1" workbook, whose first sheet is notes, or the "File 7" CSV of every score, rank and
decile), with an ``LSOA code (2011)`` or ``(2021)`` column and the IMD decile (1 is the most
deprived tenth); and the Welsh Index of Multiple Deprivation, which gives each LSOA's rank, from
which the decile is worked out (the same way: the 10 % of ranks nearest 1 are decile 1). Each
nation's deciles are its own; loading one nation's file replaces that nation's rows only. The
deciles go to ``var/deprivation.duckdb``; the snapshot gives each person their home's decile.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.readers import UnreadableFile, read_table
from equal_outcomes.insight.stores import attach, open_store, rebuilt

LSOA = re.compile(r"^[EW]01\d{6}$")
NATIONS = {"E": "England", "W": "Wales"}


def deprivation_path() -> Path:
    return settings.HOME / "deprivation.duckdb"


@dataclass
class DeprivationReport:
    areas: int = 0
    nations: list[str] = field(default_factory=list)
    source: str = ""


def _heading(headers: list[str], *wanted: str, avoid: tuple[str, ...] = ()) -> int | None:
    """The first column whose heading holds every word in ``wanted`` and none in ``avoid``."""
    for index, heading in enumerate(headers):
        text = heading.lower()
        if all(word in text for word in wanted) and not any(word in text for word in avoid):
            return index
    return None


def _columns(headers: list[str]) -> tuple[int, int | None, int | None]:
    lsoa = next(
        (i for i, h in enumerate(headers) if re.sub(r"[\s_]+", " ", h.lower()).startswith(
            ("lsoa code", "lsoa11cd", "lsoa21cd", "lsoa cd"))),
        None,
    )  # fmt: skip
    if lsoa is None:
        raise UnreadableFile(
            "no column of LSOA codes: the file needs one headed 'LSOA code (2011)', "
            "'LSOA code (2021)' or 'LSOA code'"
        )
    # England: "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% ...)"
    decile = _heading(headers, "index of multiple deprivation", "decile") or _heading(
        headers, "imd", "decile"
    )
    # Wales: "WIMD 2019" (the overall rank), or England's rank when no decile is given.
    rank = (
        _heading(headers, "index of multiple deprivation", "rank")
        or _heading(headers, "wimd", "rank")
        or _heading(headers, "wimd", avoid=("decile", "quintile", "score", "domain"))
    )
    if decile is None and rank is None:
        raise UnreadableFile(
            "no column of the Index of Multiple Deprivation's deciles or ranks: the file needs "
            "one such as 'Index of Multiple Deprivation (IMD) Decile' or 'WIMD 2019'"
        )
    return lsoa, decile, rank


def import_deprivation(path: Path, *, actor: Any) -> DeprivationReport:
    """Loads one nation's (or both nations') deciles; any bad row stops the load."""
    table = read_table(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"} and not any(
        "lsoa" in h.lower() for h in table.headers
    ):
        table = read_table(path, sheet_with="lsoa")
    lsoa_at, decile_at, rank_at = _columns(table.headers)
    deciles: dict[str, int] = {}
    ranks: dict[str, int] = {}
    problems = []
    for number, cells in table.rows:
        given = cells[lsoa_at].strip() if lsoa_at < len(cells) else ""
        code = given.upper()
        if not LSOA.match(code):
            problems.append(f"line {number}: {given or 'a blank'} is not an LSOA code")
            continue
        try:
            if decile_at is not None:
                deciles[code] = int(float(cells[decile_at]))
            else:
                ranks[code] = int(float(cells[rank_at or 0].replace(",", "")))
        except (ValueError, IndexError):
            problems.append(f"line {number}: {code} has no decile or rank")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise UnreadableFile("; ".join(problems[:5]) + more + ": nothing was loaded")
    for nation in {code[0] for code in ranks}:
        mine = {code: rank for code, rank in ranks.items() if code[0] == nation}
        # Ranked out of every LSOA of the nation (1,909 in Wales): the file's rows, or its
        # largest rank if it holds only some of them.
        out_of = max(len(mine), *mine.values())
        for code, rank in mine.items():
            deciles[code] = min(10, max(1, math.ceil(rank * 10 / out_of)))
    if not deciles:
        raise UnreadableFile("the file has no rows of LSOAs")
    if any(not 1 <= decile <= 10 for decile in deciles.values()):
        raise UnreadableFile("a decile must be from 1 (most deprived) to 10 (least deprived)")
    nations = sorted({code[0] for code in deciles})
    replace_deciles(deciles)
    report = DeprivationReport(len(deciles), [NATIONS[n] for n in nations], path.name)
    Auditor.record(
        actor=actor,
        action=AuditAction.IMPORT,
        target_type="deprivation",
        target_id=",".join(nations),
        purpose=f"{report.areas} LSOAs from {path.name}"[:200],
    )
    return report


def replace_deciles(deciles: dict[str, int]) -> None:
    """Keeps ``deciles`` (LSOA: decile) in place of the rows of the nations they cover."""
    nations = sorted({code[0] for code in deciles})
    final = deprivation_path()
    with rebuilt(final) as building, open_store(building) as con:
        con.execute("CREATE TABLE deprivation (lsoa VARCHAR PRIMARY KEY, decile INTEGER)")
        if final.exists():
            attach(con, final, "old", read_only=True)
            kept = " AND ".join("lsoa NOT LIKE ?" for _ in nations)
            con.execute(
                f"INSERT INTO deprivation SELECT * FROM old.deprivation WHERE {kept}",  # noqa: S608 - placeholders only
                [f"{nation}%" for nation in nations],
            )
            con.execute("DETACH old")
        con.executemany("INSERT INTO deprivation VALUES (?, ?)", list(deciles.items()))


def deciles() -> dict[str, int]:
    """Every loaded LSOA's decile (1 the most deprived tenth of its nation)."""
    if not deprivation_path().exists():
        return {}
    with open_store(deprivation_path(), read_only=True) as con:
        return dict(con.execute("SELECT lsoa, decile FROM deprivation").fetchall())
