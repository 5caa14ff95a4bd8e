"""Population benchmarks from census tables, as Nomis gives them.

Two layouts are read. A **bulk** CSV (``census2021-ts021-ltla.csv``) has ``date``,
``geography`` and ``geography code`` columns, then one column per category named like
``Ethnic group: Asian, Asian British or Asian Welsh: Indian`` (sometimes ending
``; measures: Value``). A **query download** starts with title rows (the table's name, "ONS
Crown Copyright", "Population :" ...), then a heading row whose first column names the kind of
area and whose rows give it as ``E01011954 : Hartlepool 001A`` (or a name and a ``mnemonic``
column), category columns often followed by ``%`` columns, and closing notes after a blank row.

The last part of each heading is matched to the characteristic's code list (labels and
synonyms in any published wording); totals, percentages and parent groups' subtotals are
skipped. A table of the parent groups alone (TS021's five broad groups) loads as a benchmark
for the roll-up of the characteristic (``ethnic_group``). Age tables (TS007A five-year bands,
or single years) add up into the age bands of the ``age_band`` code list.

Rows of overlapping areas (England and Wales, England, Wales; a local authority and its small
areas) are never summed together: ``geography`` chooses rows by code or by local authority
name, and a file that mixes levels must be narrowed with it. The counts go to
``var/population.duckdb``, replacing any earlier table for the same characteristic.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from equal_outcomes.accounts.organisation import welsh_first
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.insight.stores import attach, open_store, rebuilt
from equal_outcomes.standards.codelists import CodeList, characteristics, code_list, normalise

AGE = "age_band"
#: Characteristics held at the level of their code list's parent groups, and what they roll up.
ROLL_UPS = {"ethnic_group": "ethnicity"}
CODE_COLUMNS = {"geography code", "geography_code", "mnemonic", "code", "area code"}
NAME_COLUMNS = {"geography", "geography name", "area", "area name", "name"}
TOTALS = ("total", "all usual residents", "all persons", "all people", "all households")
GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
#: The kind of area a GSS code's first three characters name, from the largest: rows of two
#: different kinds overlap (or at least cannot be told apart from overlapping).
AREA_LEVELS = {
    "K04": "England and Wales",
    "E92": "country",
    "W92": "country",
    "E12": "region",
    "E06": "local authority",
    "E07": "local authority",
    "E08": "local authority",
    "E09": "local authority",
    "W06": "local authority",
    "E05": "ward",
    "W05": "ward",
    "E02": "middle layer super output area",
    "W02": "middle layer super output area",
    "E01": "lower layer super output area",
    "W01": "lower layer super output area",
    "E00": "output area",
    "W00": "output area",
}
SMALL_AREA_NAME = re.compile(r"^(?P<authority>.+?) \d{3}[A-Z]?$")
AGE_RANGE = re.compile(
    r"aged (?:(?P<under>\d+) years? and under|under (?P<below>\d+) years?|"
    r"(?P<low>\d+) (?:to|-) (?P<high>\d+) years?|(?P<over>\d+) years? and over|"
    r"(?P<single>\d+) years?)$"
)


def population_path() -> Path:
    return settings.HOME / "population.duckdb"


@dataclass
class PopulationReport:
    characteristic: str
    areas: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    written: bool = False
    #: What the counts were loaded as: the characteristic itself, or its roll-up.
    loaded_as: str = ""


@dataclass
class _Area:
    code: str
    name: str
    cells: list[str]
    line: int


@dataclass
class _Table:
    headings: list[str]
    areas: list[_Area]
    #: The columns that name the areas, not categories.
    geography: frozenset[int]


def _rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _read_table(text: str) -> _Table:
    """The heading row (the first with three or more cells: title rows have one or two), the
    area rows under it, and nothing after the first blank row that follows them (the notes)."""
    rows = _rows(text)
    start = next((i for i, row in enumerate(rows) if sum(1 for c in row if c) >= 3), None)
    if start is None:
        raise UnreadableFile("no heading row: a census table has a column for each category")
    headings = rows[start]
    lowered = [h.lower() for h in headings]
    code_at = next((i for i, h in enumerate(lowered) if h in CODE_COLUMNS), None)
    name_at = next((i for i, h in enumerate(lowered) if h in NAME_COLUMNS), None)
    if name_at is None and code_at != 0:
        name_at = 0  # a query download: "2021 super output area - lower layer", "Country"
    areas: list[_Area] = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(row):
            if areas:
                break  # the notes below the table
            continue
        where = row[name_at] if name_at is not None and name_at < len(row) else ""
        code = row[code_at] if code_at is not None and code_at < len(row) else ""
        if " : " in where:  # "E01011954 : Hartlepool 001A"
            given, _sep, where = where.partition(" : ")
            code = code or given.strip()
        if len(row) < len(headings) // 2:
            break  # a note ("In line with the Statistics and Registration Service Act ...")
        areas.append(_Area(code, where, row, number))
    if not areas:
        raise UnreadableFile("the table has no rows of areas under its headings")
    return _Table(headings, areas, frozenset(i for i in (code_at, name_at) if i is not None))


def _skipped(heading: str, index: int, table: _Table) -> bool:
    lowered = heading.lower()
    if index in table.geography or lowered in {"date", ""}:
        return True
    if "%" in lowered or "percent" in lowered:
        return True
    parts = [part.strip().lower() for part in _measure(heading).split(":")]
    return any(part.startswith(TOTALS) for part in parts)


def _measure(heading: str) -> str:
    """A bulk heading without its ``; measures: Value`` ending."""
    return re.sub(r";\s*measures:.*$", "", heading, flags=re.IGNORECASE).strip()


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "")) if text not in {"", "-", ".."} else 0.0
    except ValueError:
        return None


def _group_of(listing: CodeList, label: str) -> str | None:
    wanted = normalise(label)
    for group in listing.groups:
        texts = (group.label.en, group.label.cy, *group.synonyms)
        if wanted in {normalise(text) for text in texts}:
            return group.code
    return None


def _category_columns(
    table: _Table, listing: CodeList, report: PopulationReport
) -> tuple[dict[int, str], dict[int, str]]:
    """Columns of answers and columns of parent groups, by index."""
    answers: dict[int, str] = {}
    groups: dict[int, str] = {}
    for index, heading in enumerate(table.headings):
        if _skipped(heading, index, table):
            continue
        named = _measure(heading)
        parts = [part.strip() for part in named.split(":")]
        group = _group_of(listing, parts[-1])
        if group is not None and (len(parts) <= 2 or _group_of(listing, parts[-2]) is None):
            groups[index] = group
            continue
        code = listing.match(parts[-1]) or listing.match(": ".join(parts[-2:]))
        if code is None or listing.get(code).group:
            report.unmatched.append(heading)
        else:
            answers[index] = code
    return answers, groups


def _age_columns(table: _Table, report: PopulationReport) -> dict[int, str]:
    """Each census age column's band in the one scheme; a column that straddles two bands (a
    scheme the census table cannot add up to) is reported."""
    bands = [(code.min or 0, code.max if code.max is not None else 999, code.code)
             for code in code_list(AGE).codes]  # fmt: skip
    columns: dict[int, str] = {}
    for index, heading in enumerate(table.headings):
        if _skipped(heading, index, table):
            continue
        label = _measure(heading).split(":")[-1].strip().lower()
        found = AGE_RANGE.search(label)
        if found is None:
            report.unmatched.append(heading)
            continue
        if found["under"] or found["below"]:
            low, high = 0, int(found["under"] or int(found["below"]) - 1)
        elif found["over"]:
            low, high = int(found["over"]), 999
        elif found["single"]:
            low = high = int(found["single"])
        else:
            low, high = int(found["low"]), int(found["high"])
        band = next((code for first, last, code in bands if first <= low and high <= last), None)
        if band is None:
            report.unmatched.append(heading)
        else:
            columns[index] = band
    return columns


def _level(code: str) -> str:
    return AREA_LEVELS.get(code[:3], code[:3]) if GSS_CODE.match(code) else ""


def _chosen(areas: list[_Area], geography: Sequence[str]) -> list[_Area]:
    """The areas to load: those ``geography`` names (codes, or a local authority's name for
    its small areas), all of one kind; without it, every row, if they are all of one kind."""
    if geography:
        wanted = {item.strip().casefold() for item in geography if item.strip()}

        def named(area: _Area) -> bool:
            small = SMALL_AREA_NAME.match(area.name)
            names = {area.code.casefold(), area.name.casefold()}
            if small:
                names.add(small["authority"].casefold())
            return bool(names & wanted)

        chosen = [area for area in areas if named(area)]
        if not chosen:
            listed = ", ".join(geography)
            raise UnreadableFile(
                f"no rows for {listed} in the table; for a table of small areas, give the "
                "local authority's name (Hartlepool, say) rather than its code"
            )
    else:
        chosen = areas
    levels: dict[str, list[str]] = {}
    for area in chosen:
        levels.setdefault(_level(area.code), []).append(area.name or area.code)
    if len(levels) > 1:
        kinds = "; ".join(
            f"{kind or 'other'}: {', '.join(names[:3])}{' ...' if len(names) > 3 else ''}"
            for kind, names in levels.items()
        )
        raise UnreadableFile(
            f"the rows are areas of different kinds that overlap ({kinds}), so they cannot be "
            "added up: choose the areas with --geography (a code such as W92000004, or a "
            "local authority's name)"
        )
    seen: set[str] = set()
    for area in chosen:
        key = area.code or area.name
        if key in seen:
            raise UnreadableFile(f"line {area.line}: {key} is in the table twice")
        seen.add(key)
    return chosen


def import_population(
    path: Path, *, characteristic: str, actor: Any, geography: Iterable[str] = ()
) -> PopulationReport:
    """Loads one census table for ``characteristic``; unmatched category headings stop it."""
    report = PopulationReport(characteristic)
    if characteristic != AGE:
        try:
            listing = characteristics().get(ROLL_UPS.get(characteristic, characteristic)).codes
        except KeyError:
            raise UnreadableFile(
                f"{characteristic!r} is not a profile characteristic or age_band"
            ) from None
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("the census table must be UTF-8 text") from None
    if not text.strip():
        raise UnreadableFile("the file is empty")
    table = _read_table(text)
    if characteristic == AGE:
        columns, loaded_as = _age_columns(table, report), AGE
    else:
        answers, groups = _category_columns(table, listing, report)
        if answers and characteristic not in ROLL_UPS:
            columns, loaded_as = answers, characteristic
        else:  # the parent groups alone: a benchmark for the roll-up
            columns = groups
            loaded_as = next((k for k, v in ROLL_UPS.items() if v == listing.id), "")
            if not loaded_as and groups:
                report.unmatched.extend(table.headings[i] for i in groups)
    if report.unmatched:
        return report
    if not columns:
        raise UnreadableFile(
            f"no column of the table counts a category of {characteristic}: is it the right table?"
        )
    areas = _chosen(table.areas, list(geography))
    rows: dict[tuple[str, str], int] = {}
    for area in areas:
        report.areas += 1
        for index, code in columns.items():
            count = _number(area.cells[index]) if index < len(area.cells) else None
            if count is None:
                raise UnreadableFile(
                    f"line {area.line}: {table.headings[index]!r} is not a count"
                ) from None
            key = (code, area.code or area.name)
            rows[key] = rows.get(key, 0) + int(count)
            report.categories[code] = report.categories.get(code, 0) + int(count)
    _replace(loaded_as, [(loaded_as, code, where, n) for (code, where), n in rows.items()])
    report.written, report.loaded_as = True, loaded_as
    Auditor.record(
        actor=actor,
        action=AuditAction.IMPORT,
        target_type="population",
        target_id=loaded_as,
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
    over every geography loaded. A roll-up (``ethnic_group``) without a table of its own is
    added up from the detailed table."""
    counts = _loaded(characteristic)
    if counts or characteristic not in ROLL_UPS:
        return counts
    listing = characteristics().get(ROLL_UPS[characteristic]).codes
    grouped: dict[str, float] = {}
    for category, n in _loaded(ROLL_UPS[characteristic]).items():
        parent = listing.parent_of(category) if category in listing else None
        if parent:
            grouped[parent] = grouped.get(parent, 0.0) + n
    return grouped


def _loaded(characteristic: str) -> dict[str, float]:
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
