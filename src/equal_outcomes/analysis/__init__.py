"""The analysis engine: a pure library (no Django) written with Ibis, so the same code runs on
DuckDB (embedded, the default) and on other Ibis backends. Definitions: DESIGN.md section 5.

The names below are loaded when first used (PEP 562), so that importing a light part of the
package (``analysis.options`` for a command's ``--help``) does not load Ibis and DuckDB."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from equal_outcomes.analysis.engine import ResultTable, breakdown, breakdowns, coverage
    from equal_outcomes.analysis.indicators import Indicator, load_indicators

__all__ = ["Indicator", "ResultTable", "breakdown", "breakdowns", "coverage", "load_indicators"]
_HOMES = {
    "Indicator": "indicators",
    "load_indicators": "indicators",
    "ResultTable": "engine",
    "breakdown": "engine",
    "breakdowns": "engine",
    "coverage": "engine",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
