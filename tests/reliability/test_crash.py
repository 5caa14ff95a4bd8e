"""The crash harness: imports, snapshots and saves are killed (SIGKILL) at random moments, a
bounded number of times, and afterwards every committed row is there, nothing is half-written,
the database passes its integrity check and the app still writes.

Each run is a real ``equal-outcomes`` process on its own installation (a fresh SQLite file, or a
fresh database on the PostgreSQL server when the suite runs on PostgreSQL).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from equal_outcomes.core.crypto import KeyRing
from equal_outcomes.insight.stores import open_store

pytestmark = pytest.mark.database
RUNS = 2
ROWS = 4000
CLI = str(Path(sys.executable).with_name("equal-outcomes"))
SAVES = """
import sys
from equal_outcomes.customers.models import Customer
from equal_outcomes.customers.services import customer_create
for number in range(100000):
    customer_create(actor="system:crash", landlord_ref=f"S{number:06d}", customer_type="tenant",
                    first_name="Crash", last_name=str(number))
    print(number, flush=True)  # only after the commit
"""


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a fresh installation, migrated, shared by this module's tests (which
    run in order: the import's customers are the snapshot's)."""
    home = tmp_path_factory.mktemp("crash") / "home"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {"EQUAL_OUTCOMES_HOME": str(home), "EQUAL_OUTCOMES_ENV": "development"}
    created = None
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        config = settings.DATABASES["default"]
        created = f"crash_{uuid.uuid4().hex[:12]}"
        params = {"host": config["HOST"], "user": config["USER"], "password": config["PASSWORD"],
                  "port": config["PORT"] or None, "dbname": "postgres", "autocommit": True}  # fmt: skip
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as admin:
            admin.execute(f'CREATE DATABASE "{created}"')
        # The suite's own server and credentials, another database.
        parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{created}"))
    else:
        env.pop("DATABASE_URL", None)
    run([CLI, "migrate", "--no-input", "--verbosity=0"], env)
    yield env
    if created:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as admin:
            admin.execute(f'DROP DATABASE "{created}" WITH (FORCE)')


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def killed(command: list[str], env: dict[str, str], after: float) -> str:
    """Starts ``command`` and kills it with SIGKILL after ``after`` seconds (if still running);
    returns what it printed."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    time.sleep(after)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    out, _ = process.communicate()
    return out


def sql(env: dict[str, str], query: str) -> list[tuple[object, ...]]:
    """A query against the installation's database, from outside the app."""
    if "DATABASE_URL" in env:
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(env["DATABASE_URL"])
        params = {"host": config["HOST"], "port": config["PORT"] or None, "user": config["USER"],
                  "password": config["PASSWORD"] or None, "dbname": config["NAME"]}  # fmt: skip
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as db:
            return list(db.execute(query).fetchall())  # type: ignore[arg-type]
    with sqlite3.connect(Path(env["EQUAL_OUTCOMES_HOME"]) / "equal-outcomes.sqlite3") as db:
        return db.execute(query).fetchall()


def healthy(env: dict[str, str], *, audit: bool = False) -> None:
    """The database passes its integrity check (and, if asked, the audit chain is whole)."""
    if "DATABASE_URL" not in env:
        assert sql(env, "PRAGMA integrity_check") == [("ok",)]
    else:
        assert sql(env, "SELECT count(*) FROM pg_stat_activity") != []
    if audit:
        out = run([CLI, "audit", "verify"], env)
        assert "Audit log intact" in out, out


def stores_key_of(env: dict[str, str]) -> str:
    """The installation's key for its analytics stores, from its key ring."""
    ring = KeyRing.load(Path(env["EQUAL_OUTCOMES_HOME"]) / "keys" / "keyring.json")
    assert ring.stores is not None
    return ring.stores.hex()


def imported(env: dict[str, str]) -> int:
    query = "SELECT count(*) FROM customers_customer WHERE landlord_ref NOT LIKE 'S%'"
    return int(sql(env, query)[0][0])  # type: ignore[call-overload]


def test_a_killed_import_leaves_all_or_nothing_and_can_be_run_again(
    installation: dict[str, str], tmp_path: Path
) -> None:
    env = installation
    export = tmp_path / "hms.csv"
    lines = ["customer_ref,customer_type,first_name,last_name,ethnicity,religion"]
    lines += [f"{n:06d},tenant,Ann,Lee{n},White British,Christian" for n in range(ROWS)]
    export.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    run([CLI, "import", "customers", str(export), "--dry-run"], env)
    whole = time.monotonic() - started
    chance = random.Random(4)
    for _ in range(RUNS):
        killed([CLI, "import", "customers", str(export)], env, chance.uniform(0.5, whole))
        assert imported(env) in {0, ROWS}, "an import commits all its rows or none"
        answers = int(sql(env, "SELECT count(*) FROM customers_profileanswer")[0][0])  # type: ignore[call-overload]
        assert answers in {0, 2 * ROWS}
        healthy(env)
    run([CLI, "import", "customers", str(export)], env)
    assert imported(env) == ROWS
    healthy(env, audit=True)


def test_a_killed_snapshot_leaves_the_previous_store_and_can_be_run_again(
    installation: dict[str, str],
) -> None:
    env = installation
    store = Path(env["EQUAL_OUTCOMES_HOME"]) / "analytics.duckdb"
    started = time.monotonic()
    run([CLI, "snapshot", "--no-warm"], env)  # of the customers the import test left
    whole = time.monotonic() - started
    with open_store(store, read_only=True, key=stores_key_of(env)) as con:
        before = con.execute("SELECT count(*) FROM people").fetchone()
    assert before == (ROWS,)
    chance = random.Random(5)
    for _ in range(RUNS):
        killed([CLI, "snapshot", "--no-warm"], env, chance.uniform(0.3, whole))
        with open_store(store, read_only=True, key=stores_key_of(env)) as con:
            assert con.execute("SELECT count(*) FROM people").fetchone() == before
        healthy(env)
    run([CLI, "snapshot", "--no-warm"], env)
    assert not store.with_suffix(".building").exists()
    healthy(env, audit=True)


def test_killed_saves_keep_every_committed_row(installation: dict[str, str]) -> None:
    env = installation
    chance = random.Random(6)
    committed: set[str] = set()
    for run_number in range(RUNS):
        script = SAVES.replace('f"S{number:06d}"', f'f"S{run_number}{{number:06d}}"')
        out = killed([CLI, "shell", "--no-imports", "-c", script], env, chance.uniform(3.0, 4.5))
        # Only the script's own lines (a number each), never a banner the shell prints.
        committed |= {
            f"S{run_number}{int(line):06d}" for line in out.splitlines() if line.strip().isdigit()
        }
        held = {row[0] for row in sql(env, "SELECT landlord_ref FROM customers_customer")}
        assert committed <= held, "every save reported as committed is there"
        healthy(env)
    assert committed, "some saves committed before each kill"
    healthy(env, audit=True)
    run([CLI, "shell", "-c", SAVES.replace("range(100000)", "range(1)").replace(
        'f"S{number:06d}"', '"AFTER"')], env)  # fmt: skip
    assert ("AFTER",) in sql(env, "SELECT landlord_ref FROM customers_customer")
