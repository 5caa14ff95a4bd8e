"""The analysis engine: a pure library (no Django) written with Ibis, so the same code runs on
DuckDB (embedded, the default) and on other Ibis backends. Definitions: DESIGN.md section 5."""

from equal_outcomes.analysis.engine import ResultTable, breakdown, breakdowns, coverage
from equal_outcomes.analysis.indicators import Indicator, load_indicators

__all__ = ["Indicator", "ResultTable", "breakdown", "breakdowns", "coverage", "load_indicators"]
