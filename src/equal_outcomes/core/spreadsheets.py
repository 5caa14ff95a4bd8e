"""Writing tables people open in spreadsheet programs, safely.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice: an attacker who gets ``=HYPERLINK(...)`` into a name could run it on the
reader's machine. Such cells are written with a leading apostrophe, which spreadsheet programs
show as plain text (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


def safe_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would run as a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, dt.date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str, *, title: str = "Data"
) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, which Excel needs) or XLSX."""
    if file_format == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([safe_cell(h) for h in headers])
        for row in rows:
            writer.writerow(
                [
                    cell.isoformat() if isinstance(cell, dt.date) else cell
                    for cell in map(safe_cell, row)
                ]
            )
        return ("\ufeff" + text.getvalue()).encode()
    if file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title[:31])
        sheet.append([safe_cell(h) for h in headers])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, headers, rows): values only, no formulas,
    no pivot caches, every text cell made inert."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    for title, headers, rows in sheets:
        name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
        while name in used:
            name = f"{name[:28]}_{len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([safe_cell(h) for h in headers])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
