"""Drops the unique index on ``entry_hash``: nothing looks a hash up (``audit verify`` walks the
chain in order), and inserting random hashes into it was a tenth of a million-row import.

Altering the column rebuilds the table on SQLite, which loses its append-only trigger, so this
ends by putting it back (see 0004)."""

from django.db import migrations, models

from equal_outcomes.audit.migrations import _append_only


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_restore_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(_append_only.restore, migrations.RunPython.noop),
    ]
