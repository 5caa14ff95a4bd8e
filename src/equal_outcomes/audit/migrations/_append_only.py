"""The SQLite trigger that refuses edits of audit rows, for migrations to put back.

Altering a column on SQLite rebuilds the table, and the rebuilt table has no triggers.
PostgreSQL alters in place and keeps its trigger. Any migration that alters
``audit_auditevent`` must end with ``restore``; ``tests/audit`` checks the trigger works.
(Not a migration itself: Django skips modules whose names start with an underscore.)
"""

from typing import Any

SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS audit_event_append_only_update
BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""


def restore(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
