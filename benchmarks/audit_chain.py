"""Benchmark: what the audit chain's single head row costs when many requests are audited at
once (issue 29, item 8; docs/adr/005-audit-chain.md).

    .venv/bin/python benchmarks/audit_chain.py [--events 400] [--processes 1 4]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/audit_chain.py

In a throwaway EQUAL_OUTCOMES_HOME (SQLite, or the PostgreSQL database DATABASE_URL names),
each of P processes makes ``--events`` transactions at the same time, each recording one audit
event as a record page's read does (``Auditor.record``: lock the head row, hash, insert, move the
head). The baseline, in the same run with the same processes: each transaction inserts the same
row into the same table with no chain (no head to lock). Reported: events per second for each,
and the chain's share of the time. Results go to benchmarks/results/audit_chain.json.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from recorded import record

ROOT = Path(__file__).resolve().parents[1]


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equal_outcomes.settings")
    os.environ.setdefault("EQUAL_OUTCOMES_ENV", "development")
    import django

    django.setup()


def _work(kind: str, events: int, start: float) -> float:
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from equal_outcomes.audit.actions import AuditAction
    from equal_outcomes.audit.models import AuditEvent
    from equal_outcomes.audit.services import GENESIS, Auditor

    connection.ensure_connection()
    while time.time() < start:
        time.sleep(0.001)
    began = time.perf_counter()
    for number in range(events):
        with transaction.atomic():
            if kind == "chain":
                Auditor.record(actor="system:benchmark", action=AuditAction.VIEW,
                               target_type="customer", target_id=f"{os.getpid()}-{number}",
                               section="profile", purpose="record page")  # fmt: skip
            else:
                AuditEvent.objects.create(
                    at=timezone.now(), actor_label="system:benchmark", action="view",
                    target_type="customer", target_id=f"{os.getpid()}-{number}",
                    section="profile", purpose="record page", previous_hash=GENESIS,
                    entry_hash=GENESIS,
                )  # fmt: skip
    return time.perf_counter() - began


def run(kind: str, processes: int, events: int) -> float:
    """Events per second with ``processes`` writing at once."""
    start = time.time() + 3.0  # every process connected before any writes
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        seconds = pool.starmap(_work, [(kind, events, start)] * processes)
    return processes * events / max(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 4])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eo-audit-bench-") as home:
        os.environ["EQUAL_OUTCOMES_HOME"] = home
        _setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        database = connection.vendor
        connection.close()
        figures = []
        for processes in options.processes:
            plain = run("plain", processes, options.events)
            chained = run("chain", processes, options.events)
            figures.append({
                "processes": processes, "plain_per_second": round(plain),
                "chain_per_second": round(chained),
                "chain_share_of_time": round(1 - chained / plain, 2),
            })  # fmt: skip
            print(f"{database}, {processes} at once: {plain:,.0f} plain inserts/s, "
                  f"{chained:,.0f} audited events/s (chain: {1 - chained / plain:.0%} of the time)")  # fmt: skip
    record("audit_chain", {"database": database, "events": options.events, "runs": figures})


if __name__ == "__main__":
    main()
