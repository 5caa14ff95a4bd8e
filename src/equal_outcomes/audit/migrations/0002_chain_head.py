"""The chain head, and triggers that refuse edits of audit rows in the database itself.

Deletion is left to the hash chain to detect: Django's test flush empties tables with DELETE
(SQLite) or TRUNCATE (PostgreSQL), and PostgreSQL refuses row deletes here as well.
"""

from typing import Any

from django.db import migrations, models

GENESIS = "0" * 64

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_event_append_only_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE
    ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]


def start_head(apps: Any, schema_editor: Any) -> None:
    event_model = apps.get_model("audit", "AuditEvent")
    last = event_model.objects.order_by("-id").first()
    apps.get_model("audit", "AuditHead").objects.create(
        pk=1,
        entry_hash=last.entry_hash if last else GENESIS,
        entries=event_model.objects.count(),
    )


def append_only(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_append_only(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only_update")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("entry_hash", models.CharField(max_length=64)),
                ("entries", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(start_head, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
