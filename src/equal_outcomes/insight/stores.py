"""The analytics stores are DuckDB files that are rebuilt, never edited in place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def rebuilt(final: Path) -> Iterator[Path]:
    """Yields where to build the new file; when the block finishes, moves it over ``final`` in
    one step (readable by the owner only). If the block fails, the old file stays as it was."""
    building = final.with_suffix(".building")
    building.unlink(missing_ok=True)
    try:
        yield building
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    os.chmod(building, 0o600)
    os.replace(building, final)
