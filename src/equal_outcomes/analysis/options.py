"""What the analysis commands' options accept, apart from the engine so that a command's
``--help`` is shown without loading Ibis and DuckDB."""

from __future__ import annotations

import argparse

# The periods a breakdown can be split by, for trends.
PERIODS = ("month", "quarter", "year")


def add_not_known_argument(parser: argparse.ArgumentParser) -> None:
    """``--not-known VALUE`` for a command that reads a people extract."""
    parser.add_argument(
        "--not-known",
        action="append",
        default=[],
        metavar="VALUE",
        help="a value in the people extract that means not known (repeatable; ?, Unknown, "
        "N/K, Not stated and the like are always read so)",
    )
