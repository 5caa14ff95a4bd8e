"""The SQLite files an installation keeps (whatever database the suite itself runs on): a big
write, such as an import of a million customers, must not leave a write-ahead log of its size
on disk for as long as the app runs, and a backup from a database made with SQLite's 4 KB pages
(before new databases had 16 KB ones) still restores."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from equal_outcomes import settings as project
from equal_outcomes.operations.backups import load_sqlite

MEGABYTE = 1 << 20


@pytest.fixture
def database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> Iterator[BaseDatabaseWrapper]:
    """A connection made exactly as an installation without DATABASE_URL makes it (not the
    suite's test database)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = {**project._database(), "NAME": tmp_path / "equal-outcomes.sqlite3"}
    connection = ConnectionHandler({"default": config})["default"]
    with django_db_blocker.unblock():
        yield connection
        connection.close()


def log_size(path: Path) -> int:
    log = path.with_name(path.name + "-wal")
    return log.stat().st_size if log.exists() else 0


def test_after_a_big_write_the_log_is_cut_back_to_64_mb(database: BaseDatabaseWrapper) -> None:
    path = Path(database.settings_dict["NAME"])
    with database.cursor() as cursor:
        cursor.execute("CREATE TABLE held (data blob)")
        cursor.execute("BEGIN")
        for _ in range(100):
            cursor.execute("INSERT INTO held VALUES (zeroblob(?))", [MEGABYTE])
        cursor.execute("COMMIT")
        assert log_size(path) > 100 * MEGABYTE  # the write went through the log
        cursor.execute("INSERT INTO held VALUES (zeroblob(1))")  # the next write reuses it
        cursor.execute("SELECT count(*), sum(length(data)) FROM held")
        assert cursor.fetchone() == (101, 100 * MEGABYTE + 1)
    assert log_size(path) <= 64 * MEGABYTE


def test_a_database_with_4_kb_pages_loads_into_one_with_16_kb_pages(
    database: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    with database.cursor() as cursor:
        cursor.execute("CREATE TABLE held (name text)")  # what the load replaces
        cursor.execute("PRAGMA page_size")
        assert cursor.fetchone() == (16384,)
    old = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(old)) as made:
        made.execute("PRAGMA page_size=4096")
        made.execute("CREATE TABLE customers (ref text, name text)")
        made.executemany(
            "INSERT INTO customers VALUES (?, ?)", [(f"{i:06d}", f"Name {i}") for i in range(5000)]
        )
        made.commit()
    load_sqlite(old, database.connection)
    with database.cursor() as cursor:
        cursor.execute("SELECT count(*), min(ref), max(name) FROM customers")
        assert cursor.fetchone() == (5000, "000000", "Name 999")
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'held'")
        assert cursor.fetchone() is None
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
