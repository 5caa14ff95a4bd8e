"""The analytics stores are DuckDB files that are rebuilt, never edited in place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def rebuilt(final: Path) -> Iterator[Path]:
    """Yields where to build the new file; when the block finishes, moves it over ``final`` in
    one step (readable by the owner only). If the block fails, or the process is killed, the old
    file stays as it was (a half-built file left by a killed process is cleared next time). The
    new file is flushed to disk before the rename, and the rename itself after, so a power cut
    leaves the old file or the new one, never an empty one."""
    building = final.with_suffix(".building")
    building.unlink(missing_ok=True)
    try:
        yield building
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    os.chmod(building, 0o600)
    with building.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(building, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
