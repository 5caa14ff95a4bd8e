"""Disclosure control for publishable tables (a first version).

Primary suppression: a row is suppressed when its count, its numerator or the rest of its row
(count minus numerator) is under the threshold (default 10). Secondary suppression: when one row
of a table is suppressed, the next smallest is suppressed too, so the hidden row cannot be
recovered by subtraction from a total; and comparator values, which pool several categories, are
withheld from any table with a suppressed row. Suppressed values print ``[c]``.
"""

from __future__ import annotations

from typing import Any

from equal_outcomes.analysis.engine import ResultTable

SUPPRESSED = "[c]"
THRESHOLD = 10
VALUE_FIELDS = ("n", "numerator", "value", "ci_low", "ci_high", "p_value", "q_value")
COMPARATOR_FIELDS = ("comparator_value", "difference", "ratio")


def _too_small(row: dict[str, Any], threshold: int) -> bool:
    n, k = row["n"], row["numerator"]
    return bool(n < threshold or (isinstance(k, int) and (k < threshold or n - k < threshold)))


def suppress(table: ResultTable, threshold: int = THRESHOLD) -> ResultTable:
    rows = [dict(row) for row in table.rows]
    hidden = {i for i, row in enumerate(rows) if _too_small(row, threshold)}
    if len(hidden) == 1 and len(rows) > 1:
        rest = sorted((row["n"], i) for i, row in enumerate(rows) if i not in hidden)
        hidden.add(rest[0][1])
    for i, row in enumerate(rows):
        if i in hidden:
            for name in VALUE_FIELDS:
                row[name] = SUPPRESSED
            row["flag"] = SUPPRESSED
            row["suppressed"] = True
        if hidden:
            for name in COMPARATOR_FIELDS:
                row[name] = SUPPRESSED
    return ResultTable(table.indicator, table.characteristic, table.comparison, rows)
