"""Authenticators set up before their secrets were encrypted keep working after the upgrade,
and their clear-text secrets are gone (issue 25, finding 4)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_otp.oath import TOTP

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("accounts", "0003_authenticator"), ("otp_totp", "0003_add_timestamps")]
AFTER = [("accounts", "0004_authenticators_from_totp_devices")]


@pytest.fixture(autouse=True)
def latest_schema_after():
    """Leave every table of the latest schema behind: later tests on this worker need them."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_authenticators_move_to_encrypted_secrets() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(username="ffion", role="advisor")
    key = "3132333435363738393031323334353637383930"
    old.get_model("otp_totp", "TOTPDevice").objects.create(
        user=user, name="phone", confirmed=True, key=key
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from equal_outcomes.accounts.models import Authenticator

    device = Authenticator.objects.get(user_id=user.pk)
    assert (device.key, device.name, device.confirmed) == (key, "phone", True)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    assert device.verify_token(code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM otp_totp_totpdevice")
        assert cursor.fetchone() == (0,)
