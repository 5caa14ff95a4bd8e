"""Authenticators set up before their secrets were encrypted move to the encrypted model (their
codes keep working), and their clear-text secrets are deleted."""

from typing import Any

from django.db import migrations

FIELDS = ("user_id", "name", "confirmed", "throttling_failure_timestamp",
          "throttling_failure_count", "created_at", "last_used_at", "step", "t0", "digits",
          "tolerance", "drift", "last_t")  # fmt: skip


def move(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("otp_totp", "TOTPDevice")
    new = apps.get_model("accounts", "Authenticator")
    for device in old.objects.all():
        new.objects.create(secret=device.key, **{name: getattr(device, name) for name in FIELDS})
    old.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_authenticator"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
