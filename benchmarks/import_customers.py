"""Benchmark: importing N customer rows (validation, encryption, audit) into a fresh SQLite home.

    .venv/bin/python benchmarks/import_customers.py [--rows 1000000] [--repeat 3] [--keep]
    EO_PG_DURABLE=1 .venv/bin/python scripts/with_postgres.py \
        .venv/bin/python benchmarks/import_customers.py --database postgresql

Writes a canonical CSV with every profile column filled, imports it with the real pipeline in a
throwaway EQUAL_OUTCOMES_HOME, and records the time beside a baseline measured in the same run:
reading and splitting the same file with Python's csv module (the floor for any Python import).
A second baseline, on SQLite, is the database's share alone: plain sqlite3 inserting as many
answer-shaped rows into a copy of the app's answers table (columns, constraints, indexes and
foreign keys). Results go to
benchmarks/results/import_customers.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from recorded import record

ROOT = Path(__file__).resolve().parents[1]
# Each run's phases, as the importer's progress reports mark them (checking ends with its last
# report, within 10,000 rows of the end; "audit and commit" is the rest).
PHASES = ("checking", "customers", "answers", "preferences", "audit and commit")
VALUES = {
    "customer_type": ["Tenant", "tenant", "Joint tenant", "Leaseholder", "Household member"],
    "sex": ["Female", "Male", "F", "M", "Prefer not to say"],
    "gender_identity_same_as_birth": ["Yes", "Y", "No", ""],
    "sexual_orientation": [
        "Heterosexual",
        "Straight",
        "Gay or lesbian",
        "Bisexual",
        "Declined",
        "",
    ],
    "ethnicity": [
        "White - British",
        "Indian",
        "Pakistani",
        "Caribbean",
        "African",
        "Roma",
        "Not known",
    ],
    "religion": ["No religion", "Christian", "Muslim", "Hindu", "Jewish", "Sikh", "Refused"],
    "disability": ["Yes", "No", ""],
    "disability_impact": ["Yes, a little", "Not at all", ""],
    "marital_status": ["Married", "Single", "Divorced", ""],
    "pregnancy_maternity": ["No", ""],
    "main_language": ["English", "Welsh", "Polish", "Arabic"],
    "interpreter_needed": ["No", "Yes", ""],
    "preferred_format": ["Standard print", "Large print", ""],
    "preferred_contact_method": ["Phone", "Email", "Letter"],
    "touchpoint": ["Survey", "Tenancy sign-up", "Home visit"],
}


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(1)
    headers = ["customer_ref", "first_name", "last_name", "date_of_birth", *VALUES, "recorded_on"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for i in range(rows):
            writer.writerow(
                [
                    f"{i:08d}",
                    f"First{i}",
                    f"Last{i}",
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1930, 2005)}",
                ]
                + [rng.choice(options) for options in VALUES.values()]
                + [f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2015, 2025)}"]
            )


def baseline(path: Path) -> float:
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return time.perf_counter() - started


def sqlite_floor(folder: Path, answers: int) -> float:
    """The database's share alone: plain ``sqlite3`` inserting ``answers`` answer-shaped rows
    (80-character tokens) into a copy of the app's own answers table (its columns, constraints,
    indexes and foreign keys, read from the freshly migrated database), in one transaction, with
    the app's page size and pragmas, in statements shaped as the importer sends them (as many
    rows as ``SQLITE_PARAMETERS`` allows, the columns the same in every row written as
    literals). No Python work but building the values beforehand."""
    import base64
    import sqlite3

    from equal_outcomes.core.bulk import CACHE_MEGABYTES, SQLITE_PARAMETERS

    app = sqlite3.connect(folder / "equal-outcomes.sqlite3")
    (page_size,) = app.execute("PRAGMA page_size").fetchone()
    schema = [
        sql
        for (sql,) in app.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'customers_profileanswer' "
            "AND sql IS NOT NULL ORDER BY type DESC"  # the table before its indexes
        )
    ]
    app.close()
    customers = (answers + 7) // 8
    con = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    for pragma in (
        f"page_size={int(page_size)}",  # as the app's database was made
        "journal_mode=WAL",
        "synchronous=FULL",
        f"cache_size=-{CACHE_MEGABYTES * 1024}",  # as the import is lent
        "foreign_keys=ON",
    ):
        con.execute(f"PRAGMA {pragma}")
    con.execute("CREATE TABLE customers_customer (id integer PRIMARY KEY)")
    con.execute("CREATE TABLE accounts_user (id integer PRIMARY KEY)")
    con.executemany("INSERT INTO customers_customer VALUES (?)", ((i,) for i in range(customers)))
    for sql in schema:
        con.execute(sql)
    token = base64.urlsafe_b64encode(os.urandom(60)).decode()
    when = "2024-01-01 12:00:00"
    rows = [
        (i // 8, f"q{i % 8}", "answered", token, "survey", when, when, None) for i in range(answers)
    ]
    per = SQLITE_PARAMETERS // 8
    statement = (
        "INSERT INTO customers_profileanswer (customer_id, characteristic, state, value, "
        "touchpoint, recorded_at, last_confirmed_at, expires_on, recorded_by_id, is_current) "
        "VALUES "
    )
    one = "(?, ?, ?, ?, ?, ?, ?, ?, NULL, 1)"
    full = statement + ", ".join([one] * per)
    started = time.perf_counter()
    con.execute("BEGIN")
    for start in range(0, answers, per):
        chunk = rows[start : start + per]
        con.execute(
            full if len(chunk) == per else statement + ", ".join([one] * len(chunk)),
            [value for row in chunk for value in row],
        )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="postgresql uses DATABASE_URL (run under scripts/with_postgres.py)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="import the same file N times, each into a fresh database (SQLite), and report "
        "the median with every run (this machine's speed moves by a fifth within a day)",
    )
    args = parser.parse_args()
    if args.database == "postgresql" and not os.environ.get("DATABASE_URL"):
        parser.error("--database postgresql needs DATABASE_URL")
    if args.repeat > 1 and args.database != "sqlite":
        parser.error("--repeat needs --database sqlite (each run starts from a fresh file)")
    home = Path(tempfile.mkdtemp(prefix="eo-bench-"))
    os.environ.update(
        EQUAL_OUTCOMES_HOME=str(home),
        EQUAL_OUTCOMES_ENV="development",
        DJANGO_SETTINGS_MODULE="equal_outcomes.settings",
    )
    if args.database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from equal_outcomes.core.tuning import bulk_work
    from equal_outcomes.customers.models import ProfileAnswer
    from equal_outcomes.imports.customers import import_customers

    call_command("migrate", verbosity=0)
    source = home / "customers.csv"
    write_file(source, args.rows)
    floor = baseline(source)
    runs: list[float] = []
    phases: list[dict[str, float]] = []
    for run in range(args.repeat):
        if run:  # a fresh database, as the first run had
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                (home / f"equal-outcomes.sqlite3{suffix}").unlink(missing_ok=True)
            call_command("migrate", verbosity=0)
        seen: dict[str, float] = {}  # when each phase last reported progress

        def progress(phase: str, done: int, total: int, seen: dict[str, float] = seen) -> None:
            seen[phase] = time.perf_counter()

        started = time.perf_counter()
        with bulk_work():  # as the import command and the task worker run it
            report = import_customers(source, actor="system:benchmark", progress=progress)
        runs.append(time.perf_counter() - started)
        assert not report.problems, report.problems[:5]
        marks = [started, seen["checking"], seen["customers"], seen["saving"]]
        marks += [seen["preferences"], started + runs[-1]]
        phases.append(
            {
                name: round(end - begin, 1)
                for name, begin, end in zip(PHASES, marks, marks[1:], strict=False)
            }
        )
        print(f"run {run + 1}: {runs[-1]:.1f} s {phases[-1]}", flush=True)
    elapsed = statistics.median(runs)
    answers = ProfileAnswer.objects.count()
    floor_db = sqlite_floor(home, answers) if args.database == "sqlite" else None
    result = {
        "rows": args.rows,
        "answers": answers,
        "import_seconds": round(elapsed, 1),
        "import_seconds_runs": [round(seconds, 1) for seconds in runs],
        "phase_seconds_runs": phases,
        "baseline_csv_read_seconds": round(floor, 2),
        "baseline_sqlite_insert_answers_seconds": round(floor_db, 1) if floor_db else None,
        "rows_per_second": round(args.rows / elapsed),
        "target_seconds_for_1m": 120,
        "database": "SQLite (WAL, synchronous=FULL)"
        if args.database == "sqlite"
        else "PostgreSQL 15 (fsync on, default settings)",
    }
    record("import_customers", result)
    print(json.dumps(result, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(home)


if __name__ == "__main__":
    main()
