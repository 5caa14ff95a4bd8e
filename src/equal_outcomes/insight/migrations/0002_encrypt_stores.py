"""The analytics stores written before they were encrypted are rewritten encrypted, once, when
an installation is upgraded (they live beside the database, not in it)."""

from typing import Any

from django.db import migrations


def encrypt(apps: Any, schema_editor: Any) -> None:
    from equal_outcomes.insight.events import events_path
    from equal_outcomes.insight.population import population_path
    from equal_outcomes.insight.snapshot import store_path
    from equal_outcomes.insight.stores import encrypt_plain_store

    for path in (store_path(), events_path(), population_path()):
        encrypt_plain_store(path)


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_report_jobs")]

    operations = [migrations.RunPython(encrypt, migrations.RunPython.noop, elidable=False)]
