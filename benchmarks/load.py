"""Benchmark: the web app and the API under load at a large landlord's volumes, on loopback.

    .venv/bin/python benchmarks/load.py [--customers 300000] [--users 20 100] [--seconds 45]
                                        [--think 1.0]

Builds a throwaway EQUAL_OUTCOMES_HOME holding ``--customers`` customers (imported through the
real importer, with profile answers, in 60,000 homes), the generated analytics snapshot and
events of ``benchmarks/dashboards.py``, an equality lead per simulated user (signed in with
password and authenticator code) and a contractor's API token; starts the real server
(``equal-outcomes serve``: gunicorn) on 127.0.0.1; then, for each number of concurrent users,
has each user ask in turn for a customer record (a random customer), a dashboard and the API's
job pack for a random home, pausing ``--think`` seconds between requests as a person (or a
contractor's system) would, for ``--seconds``. The load generator shares the machine's two
cores with the server.

Records, per user count and per page: requests, throughput, median, p95 and p99, and every
status other than 200 (a 5xx fails the run); the empty customer search form (no query) is measured
in the same run as the baseline. Rate limits are raised for the run (they are tested apart): the
point is the latency of the pages themselves. Results go to benchmarks/results/load.json.
Target (DESIGN.md section 7): p95 under 200 ms for a record and a dashboard at 20 users.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import re
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboards import BIN, PASSWORD, ROOT, Session, build_stores, free_port, percentile

HOMES = 60_000


class LeadSession(Session):
    """A signed-in equality lead: password, then the authenticator code."""

    def __init__(self, port: int, username: str, secret: bytes) -> None:
        super().__init__(port, username)
        from django_otp.oath import totp

        base = f"http://127.0.0.1:{port}"
        page = self.opener.open(f"{base}/accounts/two-factor/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the two-factor page"
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "code": f"{totp(secret):06d}"}
        ).encode()
        request = urllib.request.Request(f"{base}/accounts/two-factor/", data=body)
        request.add_header("Referer", f"{base}/accounts/two-factor/")
        self.opener.open(request).read()
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def api(self, path: str, token: str) -> tuple[int, float]:
        started = time.perf_counter()
        headers = {"Authorization": f"Bearer {token}"}
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started


def load_customers(home: Path, customers: int) -> float:
    """Areas, estates and homes by the ORM; the customers through the real importer."""
    from equal_outcomes.core.tuning import bulk_work
    from equal_outcomes.customers.models import Area, Estate, Property
    from equal_outcomes.imports.customers import import_customers

    area = Area.objects.create(code="NTH", name="Northfield")
    estate = Estate.objects.create(area=area, code="E1", name="Estate one")
    Property.objects.bulk_create(
        [
            Property(
                property_ref=f"P{n:06d}",
                estate=estate,
                address=f"{n} High Street",
                postcode="CF10 1AA",
            )
            for n in range(HOMES)
        ],
        batch_size=5000,
    )
    export = home / "customers.csv"
    chance = random.Random(1)
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_ref", "customer_type", "household_ref", "property_ref",
                         "first_name", "last_name", "date_of_birth", "sex", "ethnicity",
                         "disability", "preferred_format"])  # fmt: skip
        for n in range(customers):
            home_number = n % HOMES
            writer.writerow([
                f"{n:07d}", "tenant", f"H{home_number:06d}", f"P{home_number:06d}", "Sam",
                f"Jones{n}", f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1940 + n % 60}",
                chance.choice(["Female", "Male", "Prefer not to say"]),
                chance.choice(["White British", "Indian", "Black African", "White other", ""]),
                chance.choice(["Yes", "No", ""]), chance.choice(["", "Large print"]),
            ])  # fmt: skip
    started = time.perf_counter()
    with bulk_work():
        report = import_customers(export, actor="system:benchmark")
    assert not report.problems, report.problems[:3]
    assert report.written
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="eo-load-bench-"))
    limits = {
        "EQUAL_OUTCOMES_API_PER_MINUTE": "1000000",
        "EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE": "1000000",
        "EQUAL_OUTCOMES_SEARCH_PER_MINUTE": "1000000",
    }
    env = {
        **os.environ, **limits,
        "EQUAL_OUTCOMES_HOME": str(home),
        "EQUAL_OUTCOMES_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "equal_outcomes.settings",
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    os.environ.update({k: env[k] for k in ("EQUAL_OUTCOMES_HOME", "EQUAL_OUTCOMES_ENV", *limits)})
    os.environ["DJANGO_SETTINGS_MODULE"] = "equal_outcomes.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from equal_outcomes.accounts.models import Authenticator, User
    from equal_outcomes.accounts.roles import Role
    from equal_outcomes.customers.models import Customer
    from equal_outcomes.sharing.models import Agreement
    from equal_outcomes.sharing.tokens import token_create

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    imported = load_customers(home, args.customers)
    build_stores(home, args.customers, args.events)
    from equal_outcomes.insight.results import warm

    warm()
    most = max(args.users)
    secrets: dict[str, bytes] = {}
    for n in range(most):
        user = User.objects.create_user(f"lead{n}", password=PASSWORD, role=Role.EQUALITY_LEAD)
        secrets[user.username] = Authenticator.objects.create(
            user=user, name="b", confirmed=True
        ).bin_key
    import datetime as dt

    agreement = Agreement.objects.create(
        partner="Repairs Ltd", kind="contractor", purpose="Repairs", lawful_basis="Contract",
        fields=["address", "names", "instructions"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1),
        created_by=User.objects.get(username="lead0"),
    )  # fmt: skip
    _token, secret_token = token_create(
        actor=User.objects.get(username="lead0"),
        agreement=agreement,
        name="bench",
        scopes=["job_packs"],
        days=1,
    )
    ids = [str(p) for p in Customer.objects.values_list("public_id", flat=True)]
    print(f"{len(ids)} customers imported in {imported:.0f} s; starting the server", flush=True)

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own console command
        [str(BIN / "equal-outcomes"), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    runs = []
    try:
        for _ in range(120):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.5)
        for users in args.users:
            sessions = [LeadSession(port, f"lead{n}", secrets[f"lead{n}"]) for n in range(users)]
            for session in sessions[:1]:  # the first request of each page, outside the clock
                session.get(f"/customers/{ids[0]}/")
                session.get("/insight/customers/")
                session.api("/api/job-packs/P000001", secret_token)
            kinds = ("record", "dashboard", "api", "search_page")
            timings: dict[str, list[float]] = {kind: [] for kind in kinds}
            statuses: dict[str, int] = {}
            lock = threading.Lock()
            deadline = time.perf_counter() + args.seconds

            def visitor(
                number: int,
                sessions: list[LeadSession] = sessions,
                timings: dict[str, list[float]] = timings,
                statuses: dict[str, int] = statuses,
                deadline: float = deadline,
                kinds: tuple[str, ...] = kinds,
                lock: threading.Lock = lock,
            ) -> None:
                session = sessions[number]
                chance = random.Random(number)
                turn = number
                while time.perf_counter() < deadline:
                    kind = kinds[turn % len(kinds)]
                    turn += 1
                    if kind == "record":
                        status, seconds = session.get(f"/customers/{chance.choice(ids)}/")
                    elif kind == "dashboard":
                        status, seconds = session.get("/insight/customers/")
                    elif kind == "api":
                        path = f"/api/job-packs/P{chance.randrange(HOMES):06d}"
                        status, seconds = session.api(path, secret_token)
                    else:
                        status, seconds = session.get("/customers/")
                    with lock:
                        timings[kind].append(seconds)
                        if status != 200:
                            key = f"{kind} {status}"
                            statuses[key] = statuses.get(key, 0) + 1
                    time.sleep(args.think * (0.5 + chance.random()))

            threads = [threading.Thread(target=visitor, args=(n,)) for n in range(users)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

            def summary(values: list[float]) -> dict[str, float]:
                return {
                    "requests": len(values),
                    "per_second": round(len(values) / args.seconds, 1),
                    "median_ms": round(statistics.median(values) * 1000, 1),
                    "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                    "p99_ms": round(percentile(values, 0.99) * 1000, 1),
                }

            runs.append({
                "concurrent_users": users,
                "pages": {kind: summary(values) for kind, values in timings.items() if values},
                "all": summary([v for values in timings.values() for v in values]),
                "not_200": statuses,
                "server_errors": sum(n for key, n in statuses.items() if key.split()[-1].startswith("5")),
            })  # fmt: skip
            print(json.dumps(runs[-1], indent=2), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "customers": args.customers,
        "events": args.events,
        "homes": HOMES,
        "seconds_per_run": args.seconds,
        "think_seconds": args.think,
        "import_seconds": round(imported, 1),
        "runs": runs,
        "baseline": "search_page: the empty customer search form (no query), in the same runs",
        "target_p95_ms": 200,
        "server": "equal-outcomes serve (gunicorn, 3 workers x 4 threads, plus the task worker), SQLite",
    }
    record("load", result)
    if any(run["server_errors"] for run in runs):
        sys.exit("server errors under load: see the figures above")


if __name__ == "__main__":
    main()
