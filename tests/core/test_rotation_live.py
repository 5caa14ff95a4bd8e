"""Key rotation while another process reads and writes encrypted values (issue 25, finding 5):
the other process sees each rotation before it writes again, no value is written under a key
the ring no longer holds, and afterwards every value reads back with the final ring."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

CLI = str(Path(sys.executable).with_name("equal-outcomes"))
# A long-running process of the app, as a web worker is: it writes a support need a time and
# reads back the latest ones, for as long as the file "stop" is absent.
WORKER = textwrap.dedent("""
    import datetime as dt, pathlib, sys
    import django
    django.setup()
    from django.utils import timezone
    from equal_outcomes.customers.models import SupportNeed
    from equal_outcomes.customers.services import customer_create, support_need_record
    customer = customer_create(actor="system:test", landlord_ref="R1", customer_type="tenant",
                               first_name="Rhian", last_name="Morgan")
    stop, started = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    written = 0
    while not stop.exists():
        today = timezone.localdate()
        support_need_record(actor="system:test", customer=customer, need="mental_health",
                            details=f"note {written}", source="contact", start_date=today,
                            review_date=today + dt.timedelta(days=30), customer_told=True,
                            confidentiality="standard")
        written += 1
        started.touch()
        latest = [n.details for n in SupportNeed.objects.order_by("-pk")[:5]]
        assert latest[0] == f"note {written - 1}", latest
    print(written)
""")
READ_ALL = textwrap.dedent("""
    import django
    django.setup()
    from equal_outcomes.core.crypto import keyring
    from equal_outcomes.operations.keys import raw_tokens
    from equal_outcomes.customers.models import SupportNeed
    details = [n.details for n in SupportNeed.objects.all()]
    primary = keyring().primary
    assert all(t.split(":")[1] == primary for t in raw_tokens(SupportNeed, "details"))
    print(len(details), len(set(details)))
""")


def test_a_rotation_under_a_running_process_loses_nothing(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env |= {
        "EQUAL_OUTCOMES_HOME": str(tmp_path / "home"),
        "EQUAL_OUTCOMES_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "equal_outcomes.settings",
    }
    subprocess.run([CLI, "migrate", "--verbosity=0"], env=env, check=True)
    stop, started = tmp_path / "stop", tmp_path / "started"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(stop), str(started)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        waited = time.monotonic()
        while not started.exists():  # until the worker is writing
            assert worker.poll() is None, worker.communicate()[1][-3000:]
            assert time.monotonic() - waited < 60
            time.sleep(0.1)
        for _ in range(2):
            rotated = subprocess.run(
                [CLI, "keys", "rotate"], env=env, capture_output=True, text=True, check=False
            )
            assert rotated.returncode == 0, rotated.stderr[-2000:]
            time.sleep(0.3)  # the worker writes again under the new key
    finally:
        stop.touch()
        out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err[-3000:]
    written = int(out.split()[-1])
    assert written > 0
    check = subprocess.run(
        [sys.executable, "-c", READ_ALL], env=env, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr[-3000:]
    assert check.stdout.split() == [str(written), str(written)]
