"""Fast inserts of many rows for imports, without building a model instance per row.

The ORM's ``bulk_create`` compiles every value through each field's generic preparation, which
costs more than the database write. ``insert_rows`` prepares values with one adapter per column
(encrypting encrypted columns exactly as ``EncryptedTextField`` does) and sends batches
(``COPY`` on PostgreSQL, multi-row ``INSERT`` statements on SQLite, run by a thread of their
own). Call it inside a transaction.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from django.db import connection, models

from equal_outcomes.core.crypto import Bound, keyring
from equal_outcomes.core.fields import EncryptedTextField

BATCH = 5000
Column = Callable[[list[Any]], list[Any]]


def _memo(adapt: Callable[[Any], Any]) -> Column:
    cached = lru_cache(maxsize=65_536)(adapt)
    return lambda values: list(map(cached, values))


def _encrypted(context: str, minimum: int, bound: bool) -> Column:
    """Encrypts a column's values in one call; blanks stay blank (so "no value" is visible).
    A column bound to its rows takes ``Bound`` values (each with its row's owner)."""

    def adapt(values: list[Any]) -> list[Any]:
        present = [index for index, value in enumerate(values) if value not in (None, "")]
        plain = [
            values[index] if isinstance(values[index], Bound) else str(values[index])
            for index in present
        ]
        if bound and not all(isinstance(value, Bound) for value in plain):
            raise ValueError(f"{context} is bound to its rows: give each value as Bound")
        tokens = keyring().encrypt_many(plain, context, minimum)
        adapted = list(values)
        for index, token in zip(present, tokens, strict=True):
            adapted[index] = token
        return adapted

    return adapt


def _adapter(field: models.Field[Any, Any]) -> Column | None:
    """How a column's values become database values; None when they already are."""
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        return _encrypted(field.context, field.pad_to, bool(field.bind))
    if isinstance(field, models.DateTimeField):
        return _memo(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memo(ops.adapt_datefield_value)
    if isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return None  # the driver sends uuid.UUID as it is
        # Stored as 32 hex digits, as the field does (its generic path costs 4 s a million).
        return lambda values: [
            value.hex if type(value) is uuid.UUID else field.get_db_prep_value(value, connection)
            for value in values
        ]
    return None


def _batches(rows: Iterable[Sequence[Any]], size: int = BATCH) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _Writer:
    """Runs SQLite statements in a thread of its own. SQLite lets go of Python's interpreter
    lock while it works, so the caller's Python (encrypting and arranging the next rows) runs
    meanwhile: an import's database work and its Python work overlap rather than take turns.
    The caller must not use the connection until ``close`` returns."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.cursor = raw.cursor()
        self.queue: queue.Queue[tuple[str, list[Any]] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bulk-insert", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:  # after a failure, only drain
                try:
                    self.cursor.execute(*item)
                except BaseException as error:  # handed to the caller in close()
                    self.error = error

    def execute(self, sql: str, params: list[Any]) -> None:
        if self.error is not None:
            self.close()
        self.queue.put((sql, params))

    def close(self) -> None:
        """Waits for every statement; raises the first failure (as Django's error)."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        self.cursor.close()
        if self.error is not None:
            error, self.error = self.error, None
            with connection.wrap_database_errors:
                raise error


# Rows to an INSERT statement on SQLite: as many as its limit on parameters allows up to this
# many, so that each statement keeps SQLite busy long enough to be worth handing to a thread.
SQLITE_PARAMETERS = 30_000


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> int:
    """Inserts ``rows`` (tuples in the order of ``fields``) into ``model``'s table.

    ``constants`` gives columns whose value is the same in every row (text, a whole number, a
    boolean or None). Values are adapted a column at a time. PostgreSQL receives them with
    ``COPY``, SQLite as multi-row ``INSERT`` statements run by a thread of their own while the
    next rows are prepared; both inside the caller's transaction. ``rows`` may be a generator,
    but must not use the database.
    """
    meta = model._meta
    columns: list[Any] = [meta.get_field(name) for name in fields]
    adapters = [_adapter(field) for field in columns]
    constants = constants or {}
    fixed: list[Any] = [meta.get_field(name) for name in constants]
    fixed_values = [
        value if adapt is None else adapt([value])[0]
        for adapt, value in zip(map(_adapter, fixed), constants.values(), strict=True)
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(f.column) for f in [*columns, *fixed])
    count = 0
    if connection.vendor == "postgresql":
        # Django's error translation kept, as for any query: a broken constraint is its
        # IntegrityError, not psycopg's.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            for batch in _batches(rows):
                # Table and column names come from the model, quoted; values are streamed.
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in zip(*_adapted(adapters, batch), strict=True):
                        copy.write_row((*row, *fixed_values))
                count += len(batch)
        return count
    # SQLite: many rows to a statement (``executemany`` runs a statement per row, which costs
    # SQLite more than the rows themselves), sent straight to sqlite3 with its own
    # placeholders (Django would rewrite every statement's with a regular expression), and
    # Django's error translation kept. Constants are written into the statement, quoted by
    # SQLite: it then checks a constant's foreign key and a partial index's condition on it
    # once, not for every row (writing 800,000 answers: 2.45 s rather than 3.89 s).
    connection.ensure_connection()
    raw = connection.connection
    literals = [_literal(raw, value) for value in fixed_values]
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(limit, SQLITE_PARAMETERS) // max(1, len(columns)))
    one_row = f"({', '.join(['?'] * len(columns) + literals)})"

    def statement(size: int) -> str:
        return f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one_row] * size)  # noqa: S608

    full = statement(per_statement)
    # A command or the task worker runs this inside core.tuning.bulk_work(), so the writer is
    # handed the next statement at once.
    writer = _Writer(raw)
    try:
        for batch in _batches(rows, per_statement * 4):
            values = _adapted(adapters, batch)
            for start in range(0, len(batch), per_statement):
                size = min(per_statement, len(batch) - start)
                part = [column[start : start + size] for column in values]
                writer.execute(
                    full if size == per_statement else statement(size),
                    list(chain.from_iterable(zip(*part, strict=True))),
                )
            count += len(batch)
    finally:
        writer.close()
    return count


def _literal(raw: sqlite3.Connection, value: Any) -> str:
    """A constant as an SQL literal, quoted by SQLite itself."""
    if value is not None and not isinstance(value, str | int):  # bool is an int
        raise TypeError(f"a constant column takes text, a number or None, not {value!r}")
    return str(raw.execute("SELECT quote(?)", (value,)).fetchone()[0])


def _adapted(adapters: list[Column | None], batch: list[Sequence[Any]]) -> list[list[Any]]:
    """The batch's values as database values, a column at a time."""
    return [
        list(column) if adapt is None else adapt(list(column))
        for adapt, column in zip(adapters, zip(*batch, strict=True), strict=True)
    ]


CACHE_MEGABYTES = 1024


@contextmanager
def bulk_cache(megabytes: int = CACHE_MEGABYTES) -> Iterator[None]:
    """Lends SQLite a larger page cache for a bulk load, then gives it back.

    SQLite's default cache is 2 MB. Loading a million customers into tables indexed on random
    values (public ids) otherwise rereads index pages from disk for every row: the 1M-row import
    took 453 s with the default and 372 s with 1 GB. Not larger: when the cache is full, SQLite
    writes pages to the write-ahead log before the commit, and the system puts them on disk
    while the import goes on; with 4 GB nothing was written before the commit, which then took
    22 s rather than 16-17 s. The cache is allocated only as pages are used. PostgreSQL manages
    its own buffers, so this does nothing there."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-int(megabytes) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def refresh_statistics(*models_: type[models.Model]) -> None:
    """Tells the query planner how big tables have become after a bulk load.

    Without this, PostgreSQL plans queries inside the loading transaction (and until autovacuum
    catches up) as if the tables were empty, and can choose joins that take minutes. SQLite
    gets its cheap ``PRAGMA optimize``.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
