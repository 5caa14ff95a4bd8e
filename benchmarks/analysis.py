"""Benchmark: the full default analysis on generated data, against two baselines in one run.

    .venv/bin/python benchmarks/analysis.py [--people 300000] [--events 20000000] [--skip-pandas]
        [--order type|person] [--repeat 3]

Generates (not committed) Parquet files shaped as the analytics store holds them: a people
table with the fifteen profile characteristics, age band and the two communication
preferences; and one wide events table with the twelve event types the default indicators
read, 32-character HMAC-style person keys, blank where an event type does not have the
column, in event type then person key order (``--order person`` sorts by person key only, as
the store did before). Outcomes are generated as text, as extracts hold them, then typed as
``import events`` types them (``equal_outcomes.insight.outcomes``). Then times:

* the engine: every default indicator (49; 27 before issue 31) by every characteristic (16), with letters checked
  against preferences, exactly as ``equal-outcomes analyse`` runs it;
* a bare DuckDB scan of the same event columns (the key counted, every text column read);
* a straightforward pandas version of the same breakdowns;
* file mode as a person runs it (issue 30): ``equal-outcomes analyse --people --events
  --indicators`` in a new process, four indicators by five characteristics, process start
  included, against the bare scan of those indicators' columns and a pandas version of those
  twenty breakdowns.

The engine and the scan each run once to warm up and then ``--repeat`` times; the figure is
the median of those runs, all of which are recorded. Records the times, the ratios and peak memory in ``benchmarks/results/analysis.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import duckdb
import yaml
from recorded import record

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from equal_outcomes.analysis import Indicator  # noqa: E402
from equal_outcomes.analysis.engine import analyse_all, with_communication_match  # noqa: E402
from equal_outcomes.analysis.indicators import DEFAULTS, default_indicators  # noqa: E402
from equal_outcomes.insight import outcomes  # noqa: E402


def _codes(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{number}" for number in range(count)]


# Each characteristic with as many categories as its code list, plus the two unknowns.
UNKNOWN = ["prefer_not_to_say", ""]
CHARACTERISTICS = {
    "sex": ["female", "male", *UNKNOWN],
    "gender_identity": ["same", "different", *UNKNOWN],
    "sexual_orientation": [*_codes("orientation_", 4), *UNKNOWN],
    "ethnicity": [*_codes("ethnic_group_", 24), *UNKNOWN],
    "religion": [*_codes("religion_", 8), *UNKNOWN],
    "disability": ["yes", "no", *UNKNOWN],
    "marital_status": [*_codes("status_", 14), *UNKNOWN],
    "pregnancy_maternity": [*_codes("pregnancy_", 3), *UNKNOWN],
    "main_language": ["en", "cy", "pl", "ar", "ur", "so", *UNKNOWN],
    "welsh_language": [*_codes("welsh_", 5), *UNKNOWN],
    "literacy": [*_codes("literacy_", 3), *UNKNOWN],
    "digital_inclusion": [*_codes("digital_", 5), *UNKNOWN],
    "rural_isolation": [*_codes("rural_", 3), *UNKNOWN],
    "caring_responsibilities": [*_codes("caring_", 4), *UNKNOWN],
    "financial_hardship": [*_codes("hardship_", 3), *UNKNOWN],
    "age_band": ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"],
}
PREFERENCES = {
    "preferred_format": ["standard_print"] * 3 + ["large_print", "braille", ""],
    "preferred_language": ["en"] * 3 + ["cy", "pl", ""],
}
# Event type: (share of events in percent, the columns it fills).
EVENT_TYPES = {
    "contact": (30, ["resolved_first_time"]),
    "outgoing_communication": (25, ["format", "language"]),
    "repair": (20, ["on_time", "days_to_complete"]),
    "rent_account": (6, ["in_arrears"]),
    "gas_service_visit": (4, ["no_access"]),
    "service_offer": (4, ["took_up", "service"]),
    "involvement_offer": (3, ["took_part"]),
    "tsm_survey": (2, [f"tp{number:02d}" for number in range(1, 13)]),
    "complaint": (2, ["responded_in_time", "upheld"]),
    "referral": (2, ["accepted"]),
    "asb_case": (1, ["hate_incident"]),
    "tenancy_end": (1, ["within_12_months"]),
}
SPECIAL = {
    "days_to_complete": [str(days) for days in range(40)],
    "format": ["standard_print", "standard_print", "large_print"],
    "language": ["en", "en", "cy+en", "cy"],
    "service": ["financial_inclusion", "tenancy_support", "digital"],
}
OUTCOME = ["1", "0", "1", "1", "0", ""]


def _pick(values: list[str], seed: str) -> str:
    quoted = ", ".join(repr(value) for value in values)
    return f"(list_value({quoted}))[1 + (hash({seed}) % {len(values)})::INT]"


def generate(folder: Path, people: int, events: int, *, order: str) -> tuple[Path, Path]:
    con = duckdb.connect()
    # Sorting 100 million wide rows: spill to disk well before the machine runs out of memory.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = '6GB'")
    con.execute(f"SET temp_directory = '{folder / 'spill'}'")
    people_path, events_path = folder / "people.parquet", folder / "events.parquet"
    columns = ", ".join(
        f"{_pick(values, f'i * {number + 7}')} AS {name}"
        for number, (name, values) in enumerate({**CHARACTERISTICS, **PREFERENCES}.items())
    )
    con.execute(
        f"COPY (SELECT md5(printf('p%08d', i)) AS person_key, {columns} FROM range({people}) t(i)) "
        f"TO '{people_path}' (FORMAT parquet)"
    )
    bounds, total = [], 0
    for event_type, (share, _) in EVENT_TYPES.items():
        total += share
        bounds.append(f"WHEN b < {total} THEN '{event_type}'")
    values = []
    for number, column in enumerate(outcomes_of()):
        owners = " OR ".join(
            f"event_type = '{event_type}'"
            for event_type, (_, filled) in EVENT_TYPES.items()
            if column in filled
        )
        value = _pick(SPECIAL.get(column, OUTCOME), f"i * {13 + 2 * number}")
        values.append(f"CASE WHEN {owners} THEN nullif({value}, '') END AS {column}")
    sort = "event_type, person_key" if order == "type" else "person_key"
    text_path = folder / "events_as_text.parquet"
    con.execute(
        f"COPY (SELECT person_key, event_type, "
        f"DATE '2024-01-01' + (hash(i * 7) % 730)::INT AS event_date, {', '.join(values)} "
        f"FROM (SELECT i, md5(printf('p%08d', (hash(i) % {people})::BIGINT)) AS person_key, "
        f"CASE {' '.join(bounds)} END AS event_type "
        f"FROM (SELECT i, hash(i * 3) % {total} AS b FROM range({events}) t(i))) "
        f"ORDER BY {sort}) TO '{text_path}' (FORMAT parquet)"
    )
    # Typed as the store types them when events are loaded (yes/no, numbers, text).
    kinds = outcomes.column_types(con, f"'{text_path}'", outcomes_of())
    typed = ", ".join(f"{outcomes.typed(c, kind)} AS {c}" for c, kind in kinds.items())
    con.execute(
        f"COPY (SELECT person_key, event_type, event_date, {typed} FROM '{text_path}') "
        f"TO '{events_path}' (FORMAT parquet)"
    )
    text_path.unlink()
    return people_path, events_path


def outcomes_of() -> list[str]:
    return sorted({column for _, filled in EVENT_TYPES.values() for column in filled})


def read_columns(indicators: list[Indicator]) -> list[str]:
    """The event columns the analysis reads besides the key and the type."""
    named = {column for i in indicators for column in (i.value, *i.filter) if column}
    named.discard("matches_preference")  # worked out from these two
    return sorted(named | {"format", "language"})


def engine(people_path: Path, events_path: Path, repeat: int) -> tuple[float, list[float], int]:
    """The first run (which also pays for importing and compiling Ibis), then ``repeat`` more,
    each on a new connection as a command would make."""
    import ibis

    times, tables = [], 0
    for _ in range(1 + repeat):
        con = ibis.duckdb.connect()
        people, events = con.read_parquet(people_path), con.read_parquet(events_path)
        started = time.perf_counter()
        result = analyse_all(
            people,
            events,
            default_indicators(),
            list(CHARACTERISTICS),
            prepare=partial(with_communication_match, people),
        )
        times.append(time.perf_counter() - started)
        tables = len(result)
    return times[0], times[1:], tables


def bare_scan(events_path: Path, columns: list[str], repeat: int) -> list[float]:
    """As for the engine, a first run then ``repeat`` more: the key counted, each column read
    (its largest value), per event type."""
    con = duckdb.connect()
    reads = ", ".join(f"max({column})" for column in columns)
    times = []
    for _ in range(1 + repeat):
        started = time.perf_counter()
        con.execute(
            f"SELECT event_type, count(person_key), {reads} FROM '{events_path}' GROUP BY 1"
        ).fetchall()
        times.append(time.perf_counter() - started)
    return times[1:]


# File mode: four indicators (a rate and a median of repairs, complaints, contacts) by five
# characteristics, as a landlord might ask of an extract.
FILE_MODE_INDICATORS = ("RP02", "repair_days", "CH02", "contact_resolved_first_time")
FILE_MODE_BY = ("sex", "ethnicity", "disability", "age_band", "religion")


def file_mode(
    folder: Path, people_path: Path, events_path: Path, repeat: int
) -> tuple[float, list[float]]:
    """``equal-outcomes analyse`` in file mode, each run a new process as at a terminal (the
    first, which also warms the file cache, then ``repeat`` more): wall-clock seconds."""
    definitions = yaml.safe_load(DEFAULTS.read_text())
    definitions["indicators"] = [
        item for item in definitions["indicators"] if item["id"] in FILE_MODE_INDICATORS
    ]
    indicators = folder / "four.yaml"
    indicators.write_text(yaml.safe_dump(definitions, allow_unicode=True))
    by = [part for name in FILE_MODE_BY for part in ("--by", name)]
    command = [str(Path(sys.executable).with_name("equal-outcomes")), "analyse"]
    command += ["--people", str(people_path), "--events", str(events_path)]
    command += ["--indicators", str(indicators), *by, "--format", "json"]
    command += ["--out", str(folder / "file-mode.json")]
    env = dict(os.environ, EQUAL_OUTCOMES_HOME=str(folder / "home"))
    env.update(EQUAL_OUTCOMES_ENV="development")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as make does: compiled modules kept
    times = []
    for _ in range(1 + repeat):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        times.append(time.perf_counter() - started)
    return times[0], times[1:]


def pandas_version(
    people_path: Path,
    events_path: Path,
    columns: list[str],
    indicators: list[Indicator] | None = None,
    characteristics: tuple[str, ...] | list[str] = tuple(CHARACTERISTICS),
) -> float:
    """Each indicator's events merged with the people and grouped by each characteristic."""
    import pandas as pd

    started = time.perf_counter()
    people = pd.read_parquet(people_path)
    events = pd.read_parquet(events_path, columns=["person_key", "event_type", *columns])
    chosen = default_indicators() if indicators is None else indicators
    if any(indicator.event_type == "outgoing_communication" for indicator in chosen):
        outgoing = events[events.event_type == "outgoing_communication"].merge(
            people[["person_key", *PREFERENCES]], on="person_key", how="left"
        )
        checks = []
        for preference, sent in (
            ("preferred_format", "format"),
            ("preferred_language", "language"),
        ):
            wanted, what = outgoing[preference].fillna(""), outgoing[sent]
            meets = [
                (not want) or (f"+{want}+" in f"+{value}+")
                for want, value in zip(wanted, what, strict=True)
            ]
            checks.append(pd.Series(meets, index=outgoing.index).where(what.notna()))
        outgoing["matches_preference"] = pd.concat(checks, axis=1).min(axis=1)
    for indicator in chosen:
        if indicator.event_type == "outgoing_communication":
            selected = outgoing
        else:
            selected = events[events.event_type == indicator.event_type]
        for column, wanted in indicator.filter.items():
            values = [wanted] if isinstance(wanted, str) else wanted
            selected = selected[selected[column].astype(str).str.lower().isin(values)]
        if indicator.measure == "per_1000_homes":
            selected = selected.assign(value=1.0)
        elif indicator.value == "matches_preference":
            selected = selected.assign(value=selected[indicator.value].astype(float))
        else:
            selected = selected.assign(
                value=pd.to_numeric(selected[indicator.value], errors="coerce")
            )
        joined = selected[["person_key", "value"]].merge(people, on="person_key")
        for characteristic in characteristics:
            grouped = joined.groupby(characteristic)["value"]
            if indicator.measure == "median":
                grouped.median()
            else:
                grouped.agg(["count", "sum"])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs after the first, of the engine and the scan"
    )
    parser.add_argument(
        "--order",
        choices=("type", "person"),
        default="type",
        help="events in event type then person key order (as stored), or person key only",
    )
    args = parser.parse_args()
    columns = read_columns(default_indicators())
    with tempfile.TemporaryDirectory(prefix="eo-analysis-bench-") as folder:
        started = time.perf_counter()
        people_path, events_path = generate(
            Path(folder), args.people, args.events, order=args.order
        )
        generated = time.perf_counter() - started
        scans = bare_scan(events_path, columns, args.repeat)
        first, runs, tables = engine(people_path, events_path, args.repeat)
        panda = None if args.skip_pandas else pandas_version(people_path, events_path, columns)
        chosen = [i for i in default_indicators() if i.id in FILE_MODE_INDICATORS]
        chosen_columns = sorted({i.value for i in chosen})
        file_scans = bare_scan(events_path, chosen_columns, args.repeat)
        file_first, file_runs = file_mode(Path(folder), people_path, events_path, args.repeat)
        file_panda = (
            None
            if args.skip_pandas
            else pandas_version(people_path, events_path, chosen_columns, chosen, FILE_MODE_BY)
        )
    ours, scan = statistics.median(runs), statistics.median(scans)
    result = {
        "people": args.people,
        "events": args.events,
        "indicators": len(default_indicators()),
        "characteristics": len(CHARACTERISTICS),
        "tables": tables,
        "event_columns_read": 2 + len(columns),
        "order": args.order,
        "engine_first_run_seconds": round(first, 2),
        "engine_seconds": round(ours, 2),
        "engine_runs_seconds": [round(run, 2) for run in runs],
        "bare_duckdb_scan_seconds": round(scan, 2),
        "bare_duckdb_scan_runs_seconds": [round(run, 2) for run in scans],
        "pandas_seconds": round(panda, 2) if panda is not None else None,
        "engine_vs_scan": round(ours / scan, 1),
        "pandas_vs_engine": round(panda / ours, 1) if panda is not None else None,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "generate_seconds": round(generated, 1),
        "file_mode": {
            "indicators": list(FILE_MODE_INDICATORS),
            "characteristics": list(FILE_MODE_BY),
            "command_first_run_seconds": round(file_first, 2),
            "command_seconds": round(statistics.median(file_runs), 2),
            "command_runs_seconds": [round(run, 2) for run in file_runs],
            "bare_duckdb_scan_seconds": round(statistics.median(file_scans), 2),
            "pandas_seconds": round(file_panda, 2) if file_panda is not None else None,
            "pandas_vs_command": (
                round(file_panda / statistics.median(file_runs), 1)
                if file_panda is not None
                else None
            ),
        },
    }
    record("analysis", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
