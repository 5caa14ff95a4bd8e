"""Benchmark: the default-style analysis on generated data, against two baselines in one run.

    .venv/bin/python benchmarks/analysis.py [--people 300000] [--events 20000000] [--skip-pandas]
        [--as-stored]

Generates (not committed) a people table with eight characteristics and an events table with
five event types, as Parquet sorted by person key, then times:

* the engine: every indicator broken down by every characteristic (``breakdowns`` on DuckDB);
* a bare DuckDB scan of the same event columns (count and sum per event type);
* a straightforward pandas version (merge events with people, group by each characteristic).

With ``--as-stored`` the data take the shape the analytics store gives them: person keys are
32 hexadecimal characters (the HMAC pseudonyms), and outcomes are text, as ``import events``
keeps every outcome column.

Records the times, the ratios and peak memory in ``benchmarks/results/analysis.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from recorded import record

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from equal_outcomes.analysis import Indicator  # noqa: E402
from equal_outcomes.analysis.engine import analyse_all  # noqa: E402

CHARACTERISTICS = {
    "sex": ["female", "male", "prefer_not_to_say", ""],
    "ethnicity": [
        "white_british",
        "asian_indian",
        "asian_pakistani",
        "black_african",
        "white_other",
        "mixed_other",
        "prefer_not_to_say",
        "",
    ],
    "religion": ["none", "christian", "muslim", "hindu", "sikh", "jewish", "prefer_not_to_say", ""],
    "disability": ["yes", "no", "prefer_not_to_say", ""],
    "sexual_orientation": ["heterosexual", "gay_lesbian", "bisexual", "prefer_not_to_say", ""],
    "marital_status": ["married", "never_married", "divorced", "widowed", ""],
    "main_language": ["en", "cy", "pl", "ar", ""],
    "age_band": ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"],
}
INDICATORS = [
    Indicator(id="TP01", event_type="tsm_survey", measure="rate", value="outcome"),
    Indicator(id="RP02", event_type="repair", measure="rate", value="outcome"),
    Indicator(id="CH02", event_type="complaint", measure="rate", value="outcome"),
    Indicator(id="letters", event_type="letter", measure="rate", value="outcome"),
    Indicator(id="days", event_type="repair", measure="mean", value="days", higher_is_better=False),
]
TYPES = ["tsm_survey", "repair", "repair", "complaint", "letter", "letter"]


def generate(folder: Path, people: int, events: int, *, as_stored: bool) -> tuple[Path, Path]:
    con = duckdb.connect()
    columns = ", ".join(
        f"(list_value({', '.join(repr(v) for v in values)}))[1 + (hash(i * {n + 7}) % {len(values)})::INT] AS {name}"
        for n, (name, values) in enumerate(CHARACTERISTICS.items())
    )
    people_path, events_path = folder / "people.parquet", folder / "events.parquet"
    key = "md5(printf('p%08d', {}))[:32]" if as_stored else "printf('p%08d', {})"
    kind = "VARCHAR" if as_stored else "DOUBLE"
    con.execute(
        f"COPY (SELECT {key.format('i')} AS person_key, {columns} FROM range({people}) t(i)) "
        f"TO '{people_path}' (FORMAT parquet)"
    )
    types = ", ".join(repr(t) for t in TYPES)
    con.execute(
        f"COPY (SELECT {key.format(f'(hash(i) % {people})::BIGINT')} AS person_key, "
        f"(list_value({types}))[1 + (hash(i * 3) % {len(TYPES)})::INT] AS event_type, "
        f"(hash(i * 5) % 100 < 78)::INT::{'VARCHAR' if as_stored else 'INT'} AS outcome, "
        f"(hash(i * 11) % 40)::BIGINT::{kind} AS days "
        f"FROM range({events}) t(i) ORDER BY person_key) TO '{events_path}' (FORMAT parquet)"
    )
    return people_path, events_path


def engine(people_path: Path, events_path: Path) -> tuple[float, float]:
    """The first run (which also pays for importing and compiling Ibis) and a second."""
    import ibis

    times = []
    for _ in range(2):
        con = ibis.duckdb.connect()
        people, events = con.read_parquet(people_path), con.read_parquet(events_path)
        started = time.perf_counter()
        analyse_all(people, events, INDICATORS, list(CHARACTERISTICS))
        times.append(time.perf_counter() - started)
    return times[0], times[1]


def bare_scan(events_path: Path, *, as_stored: bool) -> float:
    """The second of two runs, as for the engine. Text is read (its largest value), not summed."""
    con = duckdb.connect()
    columns = (
        "count(person_key), max(outcome), max(days)"
        if as_stored
        else "count(outcome), sum(outcome), sum(days)"
    )
    for _ in range(2):
        started = time.perf_counter()
        con.execute(f"SELECT event_type, {columns} FROM '{events_path}' GROUP BY 1").fetchall()
        elapsed = time.perf_counter() - started
    return elapsed


def pandas_version(people_path: Path, events_path: Path) -> float:
    import pandas as pd

    started = time.perf_counter()
    people = pd.read_parquet(people_path)
    events = pd.read_parquet(events_path)
    for column in ("outcome", "days"):
        if events[column].dtype.kind not in "biuf":  # text, as stored
            events[column] = pd.to_numeric(events[column], errors="coerce")
    for indicator in INDICATORS:
        selected = events[events.event_type == indicator.event_type]
        joined = selected.merge(people, on="person_key")
        for characteristic in CHARACTERISTICS:
            joined.groupby(characteristic)[indicator.value].agg(["count", "sum"])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument(
        "--as-stored", action="store_true", help="HMAC-length keys and text outcomes, as stored"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eo-analysis-bench-") as folder:
        started = time.perf_counter()
        people_path, events_path = generate(
            Path(folder), args.people, args.events, as_stored=args.as_stored
        )
        generated = time.perf_counter() - started
        scan = bare_scan(events_path, as_stored=args.as_stored)
        first, ours = engine(people_path, events_path)
        panda = None if args.skip_pandas else pandas_version(people_path, events_path)
    result = {
        "people": args.people,
        "events": args.events,
        "indicators": len(INDICATORS),
        "characteristics": len(CHARACTERISTICS),
        "as_stored": args.as_stored,
        "engine_first_run_seconds": round(first, 2),
        "engine_seconds": round(ours, 2),
        "bare_duckdb_scan_seconds": round(scan, 2),
        "pandas_seconds": round(panda, 2) if panda is not None else None,
        "engine_vs_scan": round(ours / scan, 1),
        "pandas_vs_engine": round(panda / ours, 1) if panda is not None else None,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "generate_seconds": round(generated, 1),
    }
    record("analysis", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
