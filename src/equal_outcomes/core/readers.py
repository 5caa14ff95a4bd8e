"""Reading CSV and XLSX exports from housing management systems, as rows of text.

Every cell is kept as text, so references keep their leading zeros. CSV files may be UTF-8
(with or without a byte-order mark) or Windows-1252, the two encodings these systems write.
Blank lines are skipped; line numbers are kept for reporting.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 512 * 1024 * 1024
MAX_XLSX_EXPANSION = 100  # an XLSX (a zip) that expands more than this is refused as a bomb
MAX_CELL = 10_000


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message says why, for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line or row number, cells)
    encoding: str


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise UnreadableFile("the file is neither UTF-8 nor Windows-1252 text") from None


def _cells(values: list[str]) -> list[str]:
    """The row's cells, trimmed, once checked. (Checked a row at a time rather than a cell at a
    time: a million-row file has tens of millions of cells.)"""
    if values and max(map(len, values)) > MAX_CELL:
        raise UnreadableFile(f"a cell is longer than {MAX_CELL} characters")
    if "\x00" in "".join(values):  # no text export holds one; PostgreSQL cannot store one
        raise UnreadableFile("a cell holds a NUL (zero) character: the file is not plain text")
    return list(map(str.strip, values))


def _csv(path: Path) -> Table:
    text, encoding = _decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise UnreadableFile("the file is empty") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for values in reader:
                cells = _cells(values)
                if any(cells):  # blank lines are skipped
                    yield reader.line_num, cells
        except csv.Error as error:
            raise UnreadableFile(f"line {reader.line_num}: {error}") from None

    return Table(_cells(headers), rows(), encoding)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(path: Path, sheet_with: str | None = None) -> Table:
    from openpyxl import load_workbook  # imported late: only XLSX imports need it

    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile("the file is not a valid XLSX workbook") from None
    if expanded > max(path.stat().st_size * MAX_XLSX_EXPANSION, 10_000_000):
        raise UnreadableFile("the workbook expands to far more than its size (a zip bomb?)")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for malformed files
        raise UnreadableFile(f"the workbook cannot be read: {error}") from None
    sheet = workbook.worksheets[0]
    if sheet_with:  # the first sheet whose headings name it (published workbooks open on notes)
        for candidate in workbook.worksheets:
            first = next(candidate.iter_rows(values_only=True, max_row=1), ())
            if any(sheet_with in _xlsx_cell(cell).lower() for cell in first):
                sheet = candidate
                break
    values = sheet.iter_rows(values_only=True)
    try:
        headers = [_xlsx_cell(cell) for cell in next(values)]
    except StopIteration:
        raise UnreadableFile("the first sheet is empty") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(values, start=2):
            cells = [_xlsx_cell(cell) for cell in row]
            if any(cells):
                yield number, _cells(cells)
        workbook.close()

    return Table(_cells(headers), rows(), "xlsx")


def read_table(path: Path, *, sheet_with: str | None = None) -> Table:
    """The header and rows of a CSV or XLSX file (chosen by extension); of a workbook, the first
    sheet, or with ``sheet_with`` the first whose headings hold that text."""
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    if path.stat().st_size > MAX_BYTES:
        raise UnreadableFile(f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return _csv(path)
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx(path, sheet_with)
    raise UnreadableFile("the file must be CSV or XLSX")
