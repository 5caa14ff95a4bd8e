"""The analytics stores are DuckDB files that are rebuilt, never edited in place, and encrypted.

The snapshot's people table is pseudonymous, not anonymous: beside area, customer type and age
band, its categories would single people out once joined with the database. So every store is
a DuckDB encrypted database (AES-GCM, DuckDB's own), opened only through ``open_store`` and
``attach``, with the stores' key from the key ring. DuckDB writes encrypted files only with its
httpfs extension loaded (its OpenSSL); that comes from PyPI (``duckdb-extension-httpfs``, the
same version as ``duckdb``) and is loaded from its file, so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from equal_outcomes.core.crypto import stores_key


@cache
def _httpfs() -> str:
    import duckdb_extension_httpfs  # type: ignore[import-untyped]

    folder = Path(duckdb_extension_httpfs.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = folder / "httpfs.duckdb_extension"
    if not found.exists():
        raise RuntimeError(
            f"duckdb-extension-httpfs has no build for DuckDB {duckdb.__version__}: "
            "the two must be installed at the same version"
        )
    return str(found)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach(
    con: Any, path: Path, name: str, *, read_only: bool = False, key: str | None = None
) -> None:
    """Attach the encrypted store at ``path`` as ``name`` to a DuckDB connection (or an Ibis
    DuckDB backend). ``key``: another installation's stores key (tests, tools), else ours."""
    run = con.raw_sql if hasattr(con, "raw_sql") else con.execute
    run(f"LOAD {_literal(_httpfs())}")
    options = [f"ENCRYPTION_KEY {_literal(key or stores_key())}"]
    options += ["READ_ONLY"] if read_only else []
    run(f"ATTACH {_literal(str(path))} AS {name} ({', '.join(options)})")


def open_store(
    path: Path, *, read_only: bool = False, key: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the encrypted store at ``path``."""
    con = duckdb.connect()
    attach(con, path, "store_file", read_only=read_only, key=key)
    con.execute("USE store_file")
    return con


def encrypt_plain_store(path: Path) -> bool:
    """Rewrite a store written before the stores were encrypted as an encrypted one (an
    installation's upgrade: see the insight app's migrations). False when there is nothing
    to do: no such file, or one that is encrypted already."""
    if not path.exists():
        return False
    with duckdb.connect() as con:
        try:
            con.execute(f"ATTACH {_literal(str(path))} AS plain (READ_ONLY)")
        except duckdb.Error:
            return False  # encrypted: it does not open without its key
        with rebuilt(path) as building:
            attach(con, building, "sealed")
            con.execute("COPY FROM DATABASE plain TO sealed")
            con.execute("DETACH sealed")
        con.execute("DETACH plain")
    return True


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
