"""Puts back the SQLite trigger that refuses edits of audit rows, which altering a column (0003)
lost when SQLite rebuilt the table (see ``_append_only``)."""

from django.db import migrations

from equal_outcomes.audit.migrations import _append_only


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_target_id_index_once"),
    ]

    operations = [migrations.RunPython(_append_only.restore, migrations.RunPython.noop)]
