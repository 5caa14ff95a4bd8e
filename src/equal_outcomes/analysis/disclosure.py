"""Disclosure control for publishable tables (DESIGN.md section 5).

Primary suppression: a row is hidden when its count is under the threshold (default 10), or,
for rates, when its numerator or the rest of its row (count minus numerator) is; for counts per
1,000 homes, when its events are.

Secondary suppression, so that no hidden row can be recovered by subtraction:

- within a table, whose rows add up to the same total as every other table of the indicator,
  a lone hidden row takes another with it: a row of people whose answer is not known (or who
  preferred not to say) if there is one, so that the groups the framework compares stay
  published, else the next smallest;
- across linked tables, a two-way table (``ethnicity*sex``) adds up, for each category of either
  characteristic, to that category's row of the one-way table; each such group, with that row,
  is treated like a table of its own (a lone hidden cell among them takes the next smallest
  with it). This repeats until nothing changes;
- finally, since combinations of sums can still give a cell away when every sum has two
  unknowns, the sums are solved as a linear system: while any hidden cell is determined by
  them, the smallest visible cell sharing a sum with it is hidden too;
- comparator values pool several categories, so in a table with a hidden row they are worked
  out again from the published rows only (for rates and means, whose pooled value the published
  counts and values give anyway): each group against the other published groups whose answer is
  known, so the size of a gap is published and nothing about a hidden row is; medians, which do
  not pool, are withheld;
- across periods (``suppress_periods``), a category's cells in each quarter of a year add up to
  its cell in that year, and its cells in each year to its cell over the whole time; these sums
  join the system, so one period's table subtracted from another's gives nothing away.

Hidden values print ``[c]``. Rows that are published but rest on fewer than ``reliable`` people
(default 30) keep their counts, but their rate, interval and comparison print ``[low]``: too few
to be reliable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from equal_outcomes.analysis.engine import (
    INTERSECTION,
    NOT_KNOWN,
    ROW_FIELDS,
    UNKNOWN,
    ResultTable,
)

SUPPRESSED = "[c]"
LOW = "[low]"
THRESHOLD = 10
RELIABLE = 30
VALUE_FIELDS = ("n", "numerator", "value", "ci_low", "ci_high", "p_value", "q_value")
COMPARATOR_FIELDS = ("comparator_value", "difference", "ratio")
LOW_FIELDS = ("value", "ci_low", "ci_high", *COMPARATOR_FIELDS, "p_value", "q_value")
PART = " & "


def _unknown(category: object) -> bool:
    return any(part in UNKNOWN for part in str(category).split(PART))


def _merge_unknown(table: ResultTable) -> ResultTable:
    """The table as published: the people whose answer is not known and those who preferred not
    to say in one "not known" row (issue 28, item 10). It says nothing about any group the
    framework compares, so it is published whatever its size, and a small number who preferred
    not to say no longer costs a table its comparator. It is no finding: it has no comparison."""
    unknown = [row for row in table.rows if _unknown(row["category"])]
    if not unknown:
        return table
    n = sum(row["n"] for row in unknown)
    k = sum(row["numerator"] for row in unknown)
    merged: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    merged |= {"category": NOT_KNOWN, "n": n, "numerator": k, "flag": "insufficient_data",
               "suppressed": False, "test": "", "merged": True}  # fmt: skip
    if table.measure == "rate":
        merged["value"] = k / n if n else None
    elif table.measure in {"mean", "per_1000_homes"} and len(unknown) == 1:
        merged["value"] = unknown[0]["value"]
    elif table.measure == "mean" and n:
        merged["value"] = sum(row["value"] * row["n"] for row in unknown) / n
    rows = [row for row in table.rows if not _unknown(row["category"])] + [merged]
    return ResultTable(
        table.indicator, table.characteristic, table.comparison, rows, table.period, table.measure
    )


def _too_small(row: dict[str, Any], measure: str, threshold: int) -> bool:
    if row.get("merged"):
        return False  # the people not known: no group's figure to protect
    n, k = row["n"], row["numerator"]
    if n < threshold:
        return True
    if measure == "rate":
        return bool(k < threshold or n - k < threshold)
    if measure == "per_1000_homes":
        return bool(k < threshold)
    return False


Cell = tuple[int, int]  # (table index, row index)


def _hide_one_more(group: list[Cell], hidden: set[Cell], tables: list[ResultTable]) -> bool:
    """When exactly one cell of ``group`` is hidden, hides the smallest visible one too."""
    if sum(cell in hidden for cell in group) != 1:
        return False
    visible = [cell for cell in group if cell not in hidden]
    if not visible:
        return False
    hidden.add(min(visible, key=lambda cell: _cost(cell, tables)))
    return True


def _cost(cell: Cell, tables: list[ResultTable]) -> tuple[bool, float, Cell]:
    """Which visible cell to hide as well, cheapest first: a row of people whose answer is not
    known (or who preferred not to say) before any group, so the comparisons the framework asks
    for (disabled people against non-disabled people) stay published (issue 28, item 10); then
    the smallest."""
    row = tables[cell[0]].rows[cell[1]]
    return (not _unknown(row["category"]), row["n"], cell)


def _linked_groups(
    tables: list[ResultTable],
) -> Iterable[tuple[list[Cell], Cell | None]]:
    """Each group of cells that adds up to a published row, with that row (if published)."""
    rows_of = {
        (table.period, table.characteristic): {
            row["category"]: (t, i) for i, row in enumerate(table.rows)
        }
        for t, table in enumerate(tables)
    }
    for t, table in enumerate(tables):
        if INTERSECTION not in table.characteristic:
            continue
        names = table.characteristic.split(INTERSECTION, 1)
        groups: dict[tuple[int, str], list[Cell]] = defaultdict(list)
        for i, row in enumerate(table.rows):
            if row["category"] in UNKNOWN or PART not in row["category"]:
                continue
            parts = row["category"].split(PART, 1)
            for side in (0, 1):
                groups[(side, parts[side])].append((t, i))
        for (side, category), cells in groups.items():
            yield cells, rows_of.get((table.period, names[side]), {}).get(category)


def suppress_linked(
    tables: list[ResultTable],
    threshold: int = THRESHOLD,
    reliable: int = RELIABLE,
    *,
    merge_not_known: bool = True,
) -> list[ResultTable]:
    """Disclosure control over tables published together. Tables of the same indicator and
    period are linked: they share a total, and two-way tables add up to one-way ones. With
    ``merge_not_known`` (customers' outcomes) the people not known are one published row; a
    landlord's staff, few and known to each other, keep theirs under the same rule as any."""
    if merge_not_known:
        tables = [_merge_unknown(table) for table in tables]
    families: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, table in enumerate(tables):
        families[(table.indicator, table.period)].append(index)
    result = list(tables)
    for members in families.values():
        for index, table in zip(
            members, _family([tables[i] for i in members], threshold, reliable), strict=True
        ):
            result[index] = table
    return result


Equation = dict[Cell, int]  # coefficients of a sum the published figures give away


def _equations(tables: list[ResultTable]) -> list[Equation]:
    """Every table's rows sum to the same total; each category's cells of a two-way table sum
    to that category's row of the one-way table (at most: people unknown in the other
    characteristic are counted in neither, which only makes this cautious)."""
    equations: list[Equation] = [
        {(t, i): 1 for i in range(len(table.rows))} for t, table in enumerate(tables)
    ]
    for cells, total in _linked_groups(tables):
        equation = dict.fromkeys(cells, 1)
        if total is not None:
            equation[total] = -1
        equations.append(equation)
    return equations


def _pinned(equations: list[Equation], hidden: set[Cell]) -> list[Cell]:
    """Hidden cells whose values the equations determine: those on which every solution of the
    equations (restricted to hidden cells) agrees, i.e. with no weight in their null space."""
    unknown = sorted(hidden)
    if not unknown:
        return []
    position = {cell: i for i, cell in enumerate(unknown)}
    rows = [
        [float(equation.get(cell, 0)) for cell in unknown]
        for equation in equations
        if any(cell in position for cell in equation)
    ]
    if not rows:
        return []
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    return [cell for cell, i in position.items() if np.all(np.abs(null_space[:, i]) < 1e-9)]


def _enclosing(period: str) -> str | None:
    """The period a period's figures add up into: a quarter's year, a year's whole time."""
    if not period:
        return None
    return period.split("-Q", 1)[0] if "-Q" in period else ""


def _period_equations(tables: list[ResultTable]) -> list[Equation]:
    """For each characteristic and category, its cells in the periods within a period add up
    to its cell in that period (at most: someone in two quarters counts once in the year,
    which only makes this cautious)."""
    cell_of: dict[tuple[str, str, str], Cell] = {}
    for t, table in enumerate(tables):
        for i, row in enumerate(table.rows):
            cell_of[(table.period, table.characteristic, row["category"])] = (t, i)
    parts: dict[tuple[str, str, str], list[Cell]] = defaultdict(list)
    for (period, characteristic, category), cell in cell_of.items():
        enclosing = _enclosing(period)
        if enclosing is not None:
            parts[(enclosing, characteristic, category)].append(cell)
    equations = []
    for key, cells in parts.items():
        equation = dict.fromkeys(cells, 1)
        if key in cell_of:
            equation[cell_of[key]] = -1
        equations.append(equation)
    return equations


def suppress_periods(
    tables: list[ResultTable], threshold: int = THRESHOLD, reliable: int = RELIABLE
) -> list[ResultTable]:
    """Disclosure control over tables of the whole time (period ""), years ("2026") and
    quarters ("2026-Q3") that a reader can all ask for: each indicator's tables, in every
    period, are suppressed as one system, so no hidden cell can be recovered by subtracting
    one period's table from another's."""
    tables = [_merge_unknown(table) for table in tables]
    # Sums link a table only to the same characteristic's tables in other periods, and a
    # two-way table to its two sides: each such group is a system of its own (and small).
    group_of: dict[str, str] = {}

    def root(name: str) -> str:
        while group_of.setdefault(name, name) != name:
            name = group_of[name]
        return name

    for table in tables:
        names = table.characteristic.split(INTERSECTION)
        for name in names[1:]:
            group_of[root(name)] = root(names[0])
        if len(names) > 1:
            group_of[root(table.characteristic)] = root(names[0])
    families: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, table in enumerate(tables):
        families[(table.indicator, root(table.characteristic))].append(index)
    result = list(tables)
    for members in families.values():
        family = [tables[i] for i in members]
        published = _family(family, threshold, reliable, _period_equations(family))
        for index, table in zip(members, published, strict=True):
            result[index] = table
    return result


def _family(
    tables: list[ResultTable], threshold: int, reliable: int, extra: list[Equation] | None = None
) -> list[ResultTable]:
    hidden: set[Cell] = {
        (t, i)
        for t, table in enumerate(tables)
        for i, row in enumerate(table.rows)
        if _too_small(row, table.measure, threshold)
    }
    equations = _equations(tables) + (extra or [])
    while True:
        changed = False
        for equation in equations:  # the quick rule first: no sum with one unknown
            changed |= _hide_one_more(list(equation), hidden, tables)
        if changed:
            continue
        pinned = _pinned(equations, hidden)
        if not pinned:
            break
        # A combination of sums still gives a cell away: hide the smallest visible cell of a
        # sum it is in, and check again.
        near = {cell for eq in equations if pinned[0] in eq for cell in eq} - hidden
        candidates = near or {cell for eq in equations for cell in eq} - hidden
        if not candidates:
            # Every cell is hidden and the totals still give a group's count away (a group
            # alone in a quarter, then the year less the other quarters): withhold the whole
            # breakdown. A table of one row is its period's total, which says nothing of a group.
            if any(len(tables[t].rows) > 1 for t, _ in pinned):
                return [replace(table, rows=[]) for table in tables]
            break
        hidden.add(min(candidates, key=lambda cell: _cost(cell, tables)))
    return [_published(table, t, hidden, reliable) for t, table in enumerate(tables)]


def _pooled(rows: list[dict[str, Any]], measure: str) -> float | None:
    """The value of several published groups together: a rate from their numerators and
    counts, a mean weighted by counts."""
    n = float(sum(row["n"] for row in rows))
    if not n:
        return None
    if measure == "rate":
        return float(sum(row["numerator"] for row in rows)) / n
    return float(sum(row["value"] * row["n"] for row in rows)) / n


def _compare_published(rows: list[dict[str, Any]], measure: str) -> None:
    """Comparators of a table with a hidden row, from its published rows alone: a group against
    the other published groups whose answer is known (the engine's "rest", less the hidden)."""
    poolable = measure in {"rate", "mean"}

    def usable(row: dict[str, Any]) -> bool:
        return not row.get("suppressed") and isinstance(row.get("value"), int | float)

    for row in rows:
        if row.get("flag") == LOW:
            continue  # its comparison is marked too few to be reliable
        if row.get("suppressed"):
            for name in COMPARATOR_FIELDS:
                row[name] = SUPPRESSED
            continue
        others = [
            other
            for other in rows
            if other is not row and usable(other) and other["category"] not in UNKNOWN
        ]
        comparator = _pooled(others, measure) if poolable and others and usable(row) else None
        if comparator is None:
            for name in COMPARATOR_FIELDS:
                row[name] = SUPPRESSED
            continue
        row["comparator_value"] = comparator
        row["difference"] = row["value"] - comparator
        row["ratio"] = row["value"] / comparator if comparator else None
        row["comparator"] = "published"


def _published(table: ResultTable, t: int, hidden: set[Cell], reliable: int) -> ResultTable:
    rows = [dict(row) for row in table.rows]
    any_hidden = any((t, i) in hidden for i in range(len(rows)))
    for i, row in enumerate(rows):
        if (t, i) in hidden:
            for name in VALUE_FIELDS:
                row[name] = SUPPRESSED
            row["flag"] = SUPPRESSED
            row["suppressed"] = True
        elif row["n"] < reliable:
            for name in LOW_FIELDS:
                row[name] = LOW
            row["flag"] = LOW
    if any_hidden:
        _compare_published(rows, table.measure)
    for row in rows:
        if row.pop("merged", False):
            for name in (*COMPARATOR_FIELDS, "ci_low", "ci_high", "p_value", "q_value"):
                row[name] = None
    return ResultTable(
        table.indicator, table.characteristic, table.comparison, rows, table.period, table.measure
    )


def suppress(
    table: ResultTable, threshold: int = THRESHOLD, reliable: int = RELIABLE
) -> ResultTable:
    """Disclosure control for a table published on its own."""
    return suppress_linked([table], threshold, reliable)[0]
