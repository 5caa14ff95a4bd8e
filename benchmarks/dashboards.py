"""Benchmark: dashboard page times at 300,000 customers with 20 concurrent users, on loopback.

    .venv/bin/python benchmarks/dashboards.py [--people 300000] [--events 10000000]
                                              [--users 20] [--seconds 60] [--think 1.0]

Builds a throwaway EQUAL_OUTCOMES_HOME with a generated analytics snapshot (people with every
profile column, staleness) and an events store for the default indicators, starts the real
server (``equal-outcomes serve``: gunicorn) on 127.0.0.1, signs in one board member per simulated
user, and has each request the dashboards in turn for the given time, pausing ``--think``
seconds between pages as a person reading them would (locust's ``wait_time``; 0 hammers the
server with no pause). The load generator runs on the same two cores as the server.

Records per page and overall: requests, median, p95 and p99, with the same figures for the
home page (signed in, no analysis behind it) measured in the same run as the baseline, the
time ``warm`` (what ``snapshot`` runs) took, and how long each page not warmed by it took to
be worked out the first time. Results go to
benchmarks/results/dashboards.json. Target: p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from recorded import record

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "a long benchmark password"  # noqa: S105 - a throwaway account on loopback
EVENT_COLUMNS = [
    "in_arrears", "took_up", "service", "responded_in_time", "upheld", "on_time",
    "days_to_complete", "format", "language", "no_access", "hate_incident",
    *(f"tp{n:02d}" for n in range(1, 13)),
]  # fmt: skip
TYPES = [
    "tsm_survey", "repair", "repair", "repair", "complaint", "rent_account", "service_offer",
    "gas_service_visit", "outgoing_communication", "outgoing_communication", "asb_case",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_stores(home: Path, people: int, events: int) -> None:
    """The snapshot and events stores, generated with DuckDB (as ``snapshot`` would write)."""
    from equal_outcomes.insight.snapshot import PREFERENCES
    from equal_outcomes.insight.stores import open_store
    from equal_outcomes.standards.codelists import characteristics

    columns = []
    for n, item in enumerate(characteristics()):
        codes = [c.code for c in item.codes.codes if not c.group][:12] or ["yes"]
        choices = [*codes, "prefer_not_to_say", "", ""]
        listed = ", ".join(repr(c) for c in choices)
        columns.append(
            f"(list_value({listed}))[1 + (hash(i * {n + 11}) % {len(choices)})::INT] AS {item.id}"
        )
    fixed = {
        "customer_type": ["tenant", "tenant", "joint_tenant", "leaseholder", "household_member"],
        "customer_group": ["resident", "resident", "resident", "owner", "service_user"],
        "area": ["NTH", "STH", "EST", "WST", "CTR", "RIV"],
        "age_band": ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"],
        "preferred_format": ["", "", "standard", "large_print"],
        "preferred_language": ["", "en", "en", "cy"],
    }
    for n, (name, values) in enumerate(fixed.items()):
        listed = ", ".join(repr(v) for v in values)
        columns.append(
            f"(list_value({listed}))[1 + (hash(i * {n + 101}) % {len(values)})::INT] AS {name}"
        )
    assert set(PREFERENCES) <= set(fixed)
    with open_store(home / "analytics.duckdb") as con:
        con.execute(
            f"CREATE TABLE people AS SELECT printf('p%08d', i) AS person_key, {', '.join(columns)} "
            f"FROM range({people}) t(i)"
        )
        con.execute(
            "CREATE TABLE stale AS SELECT person_key, 'ethnicity' AS characteristic FROM people "
            "WHERE hash(person_key) % 4 = 0"
        )
        con.execute(
            "CREATE TABLE meta AS SELECT now()::VARCHAR AS built_at, ?::BIGINT AS people", [people]
        )
    outcome = ", ".join(
        f"CASE WHEN hash(i * {n + 3}) % 100 < 78 THEN '1' ELSE '0' END AS {c}"
        for n, c in enumerate(EVENT_COLUMNS)
        if c not in {"service", "days_to_complete", "format", "language"}
    )
    types = ", ".join(repr(t) for t in TYPES)
    with open_store(home / "events.duckdb") as con:
        con.execute(
            "CREATE TABLE events AS SELECT printf('p%08d', (hash(i) % "
            + str(people)
            + ")::BIGINT) "
            f"AS person_key, (list_value({types}))[1 + (hash(i * 7) % {len(TYPES)})::INT] AS event_type, "
            "DATE '2025-01-01' + (hash(i * 13) % 600)::INT AS event_date, "
            f"{outcome}, 'financial_inclusion' AS service, (hash(i * 17) % 40)::VARCHAR AS days_to_complete, "
            "'standard' AS format, CASE WHEN hash(i * 19) % 10 = 0 THEN 'cy' ELSE 'en' END AS language "
            f"FROM range({events}) t(i) ORDER BY person_key"
        )


class Session:
    """A signed-in browser: cookies and CSRF, over one keep-alive connection."""

    def __init__(self, port: int, username: str) -> None:
        self.port = port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        base = f"http://127.0.0.1:{port}"
        page = self.opener.open(f"{base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(f"{base}/accounts/login/", data=body)
        request.add_header("Referer", f"{base}/accounts/login/")
        self.opener.open(request).read()
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.last_path, self.last_body, self.first_asked = "", b"", 0.0

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        if path != self.last_path:
            self.first_asked, self.last_path = started, path
        try:
            self.connection.request("GET", path, headers={"Cookie": self.cookie})
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):  # the server closed an idle keep-alive
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request("GET", path, headers={"Cookie": self.cookie})
            response = self.connection.getresponse()
        self.last_body = response.read()
        return response.status, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between pages")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="eo-dash-bench-"))
    env = {
        **os.environ,
        "EQUAL_OUTCOMES_HOME": str(home),
        "EQUAL_OUTCOMES_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "equal_outcomes.settings",
    }
    env.pop("DATABASE_URL", None)
    os.environ.update({k: env[k] for k in ("EQUAL_OUTCOMES_HOME", "EQUAL_OUTCOMES_ENV")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "equal_outcomes.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from equal_outcomes.accounts.models import User
    from equal_outcomes.accounts.roles import Role

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    for n in range(args.users):
        User.objects.create_user(f"board{n}", password=PASSWORD, role=Role.BOARD)
    started = time.perf_counter()
    build_stores(home, args.people, args.events)
    generated = time.perf_counter() - started
    # As `equal-outcomes snapshot` does after building the snapshot.
    from equal_outcomes.insight.results import warm

    warmed = warm()

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own console command
        [str(BIN / "equal-outcomes"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.5)
        pages = {
            "knowing": "/insight/customers/",
            "outcomes": "/insight/outcomes/",
            "detail": "/insight/outcomes/TP09/disability/",
            "detail_two_way": "/insight/outcomes/RP02/ethnicity*sex/",
            "serve": "/insight/who-we-serve/",
            "knowing_area": "/insight/customers/?area=NTH",
        }
        cold_pages = {"detail", "detail_two_way", "knowing_area"}  # not warmed by the snapshot
        first = Session(port, "board0")
        cold = {}
        for name, path in pages.items():
            status, seconds = first.get(path)
            if name in cold_pages:  # the page says "being worked out" until the worker is done
                while b"being worked out" in first.last_body:
                    time.sleep(1)
                    status, _ = first.get(path)
                seconds = time.perf_counter() - first.first_asked
            assert status == 200, (name, status)
            cold[name] = round(seconds, 2)
        timings: dict[str, list[float]] = {name: [] for name in [*pages, "home_page"]}
        errors: list[str] = []
        lock = threading.Lock()
        # Everyone signs in first (password hashing is deliberately slow), then the clock starts.
        sessions = [Session(port, f"board{n}") for n in range(args.users)]
        deadline = time.perf_counter() + args.seconds

        def user(number: int) -> None:
            session = sessions[number]
            order = [*pages, "home_page"]
            turn = number
            while time.perf_counter() < deadline:
                name = order[turn % len(order)]
                turn += 1
                path = "/" if name == "home_page" else pages[name]
                status, seconds = session.get(path)
                with lock:
                    if status != 200:
                        errors.append(f"{name}: {status}")
                    timings[name].append(seconds)
                time.sleep(args.think * (0.5 + random.random()))

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "requests": len(values),
            "median_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        }

    dashboards = [v for name, values in timings.items() if name != "home_page" for v in values]
    result = {
        "people": args.people,
        "events": args.events,
        "concurrent_users": args.users,
        "seconds": args.seconds,
        "think_seconds": args.think,
        "dashboards": summary(dashboards),
        "baseline_home_page": summary(timings["home_page"]),
        "pages": {name: summary(values) for name, values in timings.items() if values},
        "cold_first_request_seconds": cold,
        "errors": len(errors),
        "generate_seconds": round(generated, 1),
        "warm_seconds": round(warmed, 1),
        "target_p95_ms": 200,
        "server": "equal-outcomes serve (gunicorn, 3 workers x 4 threads, plus the task worker), SQLite",
    }
    record("dashboards", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
