"""Puts back the SQLite trigger that refuses edits of audit rows.

Altering a column on SQLite (0003) rebuilds the table, and the rebuilt table has no triggers.
PostgreSQL alters in place and keeps its trigger. Any later migration that alters
``audit_auditevent`` must end with this operation too; ``tests/audit`` checks the trigger works.
"""

from typing import Any

from django.db import migrations

SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS audit_event_append_only_update
BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""


def restore(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_target_id_index_once"),
    ]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
