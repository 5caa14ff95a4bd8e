"""What the dashboards and the equality report show, worked out from the last snapshot and the
imported events, and kept until either changes.

Every result is computed by the analysis engine on the analytics store, never on the operational
database, and cached as JSON under ``EQUAL_OUTCOMES_HOME/results``, keyed by the stores' build
times and the filters, so pages stay fast and every web worker shares the work. Publishable
results (the board's, and published reports) have disclosure control applied before they are
cached; internal ones are for the equality lead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings

from equal_outcomes.accounts.organisation import coverage_levels, welsh_first
from equal_outcomes.analysis.disclosure import (
    SUPPRESSED,
    THRESHOLD,
    suppress_periods,
)
from equal_outcomes.analysis.engine import (
    ResultTable,
    analyse_all,
    category_counts,
    coverage,
    coverage_trend,
    plain,
    representation,
    service_users,
    staleness,
    who_could_respond,
    with_communication_match,
)
from equal_outcomes.analysis.indicators import Indicator, default_indicators
from equal_outcomes.core.crypto import KeyRingError, keyring
from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.population import AGE, benchmark, population_path
from equal_outcomes.insight.snapshot import store_path
from equal_outcomes.insight.stores import attach, open_store
from equal_outcomes.standards.codelists import characteristics as profile_questions

PERIOD = re.compile(r"^\d{4}(-Q[1-4])?$")
EVERYONE = "everyone"  # everyone as one group, for each indicator's figure for everyone
FORMAT = 5  # bump when the shape of cached results changes
PENDING_SECONDS = 600
MEMORY_ENTRIES = 64  # parsed results each process keeps (names change when the stores do)
_MEMORY: OrderedDict[str, Any] = OrderedDict()


class NoSnapshot(LookupError):
    """There is no analytics snapshot yet."""


@dataclass(frozen=True)
class Filters:
    """Which people and events a dashboard covers. ``period`` is a year (2026) or a quarter
    (2026-Q3) of the events' dates; it does not change who the customers are."""

    area: str = ""
    customer_group: str = ""
    period: str = ""

    def __post_init__(self) -> None:
        if self.period and not PERIOD.match(self.period):
            raise ValueError("a period is a year such as 2026 or a quarter such as 2026-Q3")

    @property
    def active(self) -> bool:
        return bool(self.area or self.customer_group or self.period)


# Where people live, from their home (issue 28, item 13); their recorded needs (item 12).
PLACE = ["deprivation_decile", "rural_urban"]
NEEDS = ["has_support_need", "has_communication_need"]


def dashboard_characteristics() -> list[str]:
    """Every characteristic a dashboard may break outcomes down by, in code-list order."""
    asked = [item.id for item in profile_questions() if not item.asked_when]
    # Beside ethnicity, its five broad groups: small groups are published at the level that is
    # safe (issue 28, item 10).
    at = asked.index("ethnicity") + 1 if "ethnicity" in asked else len(asked)
    return [*asked[:at], "ethnic_group", *asked[at:], AGE, *PLACE, *NEEDS]


def profile_characteristics(columns: list[str]) -> list[str]:
    """The characteristics a dashboard breaks outcomes down by that the snapshot holds."""
    return [name for name in dashboard_characteristics() if name in columns]


CACHE_CONTEXT = "insight.results"


def _stamp(path: Path) -> str:
    return f"{path.stat().st_mtime_ns}" if path.exists() else "-"


def _cache_dir() -> Path:
    folder = Path(settings.HOME) / "results"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _cache_path(name: str, filters: Filters, publishable: bool) -> Path:
    if not store_path().exists():
        raise NoSnapshot("no snapshot yet")
    key = json.dumps(
        [
            FORMAT,
            name,
            asdict(filters),
            publishable,
            _stamp(store_path()),
            _stamp(events_path()),
            _stamp(population_path()),
            coverage_levels(),
            welsh_first(),  # which nation's census rows the benchmarks use
        ]
    )
    return _cache_dir() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def is_ready(name: str, filters: Filters, publishable: bool) -> bool:
    """Whether a result is cached (so a page can show it at once)."""
    path = _cache_path(name, filters, publishable)
    return path.name in _MEMORY or path.exists()


def claim(name: str, filters: Filters, publishable: bool) -> bool:
    """Marks a result as being worked out in the background; False if it already is (for the
    last ten minutes), so refreshing a waiting page does not queue the work again. The marker
    is made with O_EXCL, so of two requests at the same moment exactly one claims the work."""
    marker = _cache_path(name, filters, publishable).with_suffix(".pending")
    for _attempt in range(2):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            try:
                if time.time() - marker.stat().st_mtime < PENDING_SECONDS:
                    return False
                marker.unlink()  # left by work that never finished: claim it afresh
            except FileNotFoundError:
                pass  # released meanwhile: try again
        else:
            return True
    return False


def release(name: str, filters: Filters, publishable: bool) -> None:
    _cache_path(name, filters, publishable).with_suffix(".pending").unlink(missing_ok=True)


def _cached(name: str, filters: Filters, publishable: bool, compute: Callable[[], Any]) -> Any:
    """``compute()``'s result, from the cache when the stores have not changed since."""
    path = _cache_path(name, filters, publishable)
    if path.name in _MEMORY:  # parsed already by this process: decoding costs a page's time
        _MEMORY.move_to_end(path.name)
        return _MEMORY[path.name]
    # Kept encrypted like the stores: a table before suppression can hold small counts.
    try:
        result = json.loads(keyring().decrypt(path.read_text(), CACHE_CONTEXT))
    except (OSError, ValueError, KeyRingError):
        result = plain(compute())
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(keyring().encrypt(json.dumps(result), CACHE_CONTEXT, 1024))
        os.replace(temporary, path)
    _MEMORY[path.name] = result
    while len(_MEMORY) > MEMORY_ENTRIES:
        _MEMORY.popitem(last=False)
    return result


class _Stores:
    """The snapshot's people and the events, filtered, in one DuckDB session."""

    def __init__(self, filters: Filters) -> None:
        import ibis

        self.con = ibis.duckdb.connect()
        attach(self.con, store_path(), "snapshot", read_only=True)
        people = self.con.table("people", database="snapshot")
        self.all_people = people
        if filters.area:
            people = people.filter(people.area == filters.area)
        if filters.customer_group:
            people = people.filter(people.customer_group == filters.customer_group)
        self.people = people
        self.stale = self.con.table("stale", database="snapshot")
        tables = self.con.list_tables(database=("snapshot", "main"))
        self.answered = (
            self.con.table("answered", database="snapshot") if "answered" in tables else None
        )
        self.built_at = self.con.table("meta", database="snapshot").built_at.execute().iloc[0]
        self.events = None
        # Letters are checked against preferences per event type, inside the query: see
        # analysis.engine.Prepare.
        self.prepare = partial(with_communication_match, people)
        if events_path().exists():
            attach(self.con, events_path(), "store", read_only=True)
            events = self.con.table("events", database="store")
            if filters.period:
                year = events.event_date.year().cast("string")
                if "-Q" in filters.period:
                    label = year.concat("-Q", events.event_date.quarter().cast("string"))
                else:
                    label = year
                events = events.filter(label == filters.period)
            self.events = events


def data_as_at() -> str | None:
    """When the snapshot the dashboards show was built (ISO 8601), or None."""
    if not store_path().exists():
        return None

    with open_store(store_path(), read_only=True) as con:
        row = con.execute("SELECT built_at FROM meta").fetchone()
    return str(row[0]) if row else None


def filter_choices() -> dict[str, list[str]]:
    """The areas, customer groups and periods the filters offer."""

    def compute() -> dict[str, list[str]]:
        stores = _Stores(Filters())
        people = stores.all_people
        choices = {
            "area": sorted(
                v for v in people.select("area").distinct().to_pyarrow().column(0).to_pylist() if v
            ),
            "customer_group": sorted(
                v
                for v in people.select("customer_group")
                .distinct()
                .to_pyarrow()
                .column(0)
                .to_pylist()
                if v
            ),
            "period": [],
            "characteristics": profile_characteristics(people.columns),
        }
        if stores.events is not None:
            events = stores.events
            dated = events.filter(events.event_date.notnull())
            years = dated.event_date.year().cast("string")
            quarters = years.concat("-Q", dated.event_date.quarter().cast("string"))
            found = set(dated.select(y=years).distinct().to_pyarrow().column(0).to_pylist())
            found |= set(dated.select(q=quarters).distinct().to_pyarrow().column(0).to_pylist())
            choices["period"] = sorted(found, reverse=True)
        return choices

    return _cached("choices", Filters(), False, compute)  # type: ignore[no-any-return]


def knowing_our_customers(filters: Filters) -> dict[str, Any]:
    """Coverage per characteristic, overall and by customer group and area, with staleness.
    Counts of people are aggregates over whole groups, so this is the same for every role."""

    def compute() -> dict[str, Any]:
        stores = _Stores(filters)
        asked = [
            item.id
            for item in profile_questions()
            if not item.asked_when and item.id in stores.people.columns
        ]
        # Age is a protected characteristic too, known from the date of birth (issue 28, item 8).
        names = [AGE, *asked] if AGE in stores.people.columns else asked
        achieving, excellent = coverage_levels()
        overall = coverage(stores.people, names, achieving=achieving, excellent=excellent)
        stale = staleness(stores.people, stores.stale)
        for row in overall:
            row["stale"] = stale.get((row["characteristic"], "all"), 0)
            row["stale_share"] = row["stale"] / row["answered"] if row["answered"] else 0.0
        trend: dict[str, Any] = {"quarters": [], "rows": []}
        if stores.answered is not None:
            quarters = _last_quarters(dt.date.fromisoformat(str(stores.built_at)[:10]))
            rates = coverage_trend(stores.people, stores.answered, quarters)
            trend = {
                "quarters": [label for label, _ in quarters],
                "rows": [
                    {"characteristic": name, "rates": [rates.get(name, {}).get(label, 0.0)
                                                       for label, _ in quarters]}
                    for name in asked
                ],
            }  # fmt: skip
        return {
            "data_as_at": str(stores.built_at),
            "trend": trend,
            "overall": overall,
            "by_customer_group": coverage(
                stores.people,
                names,
                by="customer_group",
                achieving=achieving,
                excellent=excellent,
            ),
            "by_area": coverage(
                stores.people, names, by="area", achieving=achieving, excellent=excellent
            ),
        }

    return _cached("knowing", filters, False, compute)  # type: ignore[no-any-return]


def _last_quarters(today: dt.date, count: int = 8) -> list[tuple[str, dt.date]]:
    """The last ``count`` quarters up to the one containing ``today``: (label, last day)."""
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        last_month = quarter * 3
        end = dt.date(year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)
        quarters.append((f"{year}-Q{quarter}", min(end, today)))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return list(reversed(quarters))


def _runnable(stores: _Stores, indicators: list[Indicator]) -> list[Indicator]:
    events = stores.events
    if events is None:
        return []
    present = set(events.select("event_type").distinct().to_pyarrow().column(0).to_pylist())
    columns = set(with_communication_match(stores.people, events).columns)
    return [
        indicator
        for indicator in indicators
        if indicator.event_type in present
        and not ({indicator.value, *indicator.filter} - {""}) - columns
    ]


def _tables(tables: list[ResultTable]) -> list[dict[str, Any]]:
    return [{**table.as_json(), "measure": table.measure} for table in tables]


def equal_outcomes(filters: Filters, *, publishable: bool) -> dict[str, Any]:
    """Every default indicator by every characteristic: the tables, and for the grid the worst
    and best flags of each pair. The publishable edition is the internal one with disclosure
    control applied, so the analysis runs once for both."""
    if publishable:

        def published() -> dict[str, Any]:
            # What was analysed is the whole time's; each period's tables come from the one
            # suppression of every period together.
            internal = equal_outcomes(replace(filters, period=""), publishable=False)
            tables = _in_period(_published_periods(filters), filters.period)
            # The figures for everyone are the internal edition's (``service_figures``).
            kept = {key: value for key, value in internal.items() if key != "overall"}
            return {**kept, "tables": _tables(tables)}

        return _cached("outcomes", filters, True, published)  # type: ignore[no-any-return]

    def compute() -> dict[str, Any]:
        import ibis

        stores = _Stores(filters)
        if stores.events is None:
            return {"data_as_at": str(stores.built_at), "indicators": [], "tables": []}
        indicators = _runnable(stores, default_indicators())
        by = profile_characteristics(stores.people.columns)
        # Beside the characteristics, everyone as one group: each indicator's figure for
        # everyone, for the service pages, from the same pass over the events.
        people = stores.people.mutate(**{EVERYONE: ibis.literal("all")})
        tables = analyse_all(
            people, stores.events, indicators, [*by, EVERYONE], prepare=stores.prepare
        )
        overall = {
            table.indicator: {"value": table.rows[0]["value"], "n": table.rows[0]["n"]}
            for table in tables
            if table.characteristic == EVERYONE and table.rows
        }
        return {
            "data_as_at": str(stores.built_at),
            "indicators": [
                {"id": i.id, "title": i.title or i.id, "measure": i.measure} for i in indicators
            ],
            "characteristics": by,
            "tables": _tables([table for table in tables if table.characteristic != EVERYONE]),
            "overall": overall,
        }

    return _cached("outcomes", filters, False, compute)  # type: ignore[no-any-return]


def service_figures(filters: Filters, *, publishable: bool) -> dict[str, Any]:
    """For the service pages (issue 31): each default indicator's figure for everyone (with the
    people or homes it rests on) beside the dashboard's tables. The board's edition gives the
    figure for everyone only where one of the indicator's published tables shows every group,
    so it tells nothing those tables do not: otherwise it and a table with a group withheld
    would give that group's figure away by subtraction."""

    def compute() -> dict[str, Any]:
        # Worked out with the internal edition's analysis, whichever edition is asked for.
        overall = equal_outcomes(filters, publishable=False).get("overall", {})
        if publishable:
            complete = {
                table["indicator"]
                for table in equal_outcomes(filters, publishable=True)["tables"]
                if table["rows"] and not any(row.get("suppressed") for row in table["rows"])
            }
            overall = {
                key: figures if key in complete else {"value": None, "n": None, "withheld": True}
                for key, figures in overall.items()
            }
        return {"overall": overall}

    figures = _cached("services", filters, publishable, compute)
    return {**figures, "outcomes": equal_outcomes(filters, publishable=publishable)}


# The contractors' scorecard (issue 31, item 8): indicators of work a contractor does, read
# from events that name the contractor, by the characteristics procurement asks about.
SCORECARD = (
    "RP02",
    "repair_appointment_kept",
    "repair_satisfied",
    "contractor_no_access",
    "contractor_reported_back",
)
SCORECARD_BY = (
    "age_band", "sex", "disability", "ethnic_group", "religion", "sexual_orientation",
    "gender_identity", "has_support_need", "has_communication_need",
)  # fmt: skip
CONTRACTOR = "contractor"


def contractor_scorecard(filters: Filters, *, publishable: bool) -> dict[str, Any]:
    """Each contractor named in the events, and for each scorecard indicator its figure for
    everyone the contractor served and the groups served significantly worse than the rest of
    its customers. The board's edition is suppressed as the dashboards are, and gives a figure
    for everyone only where a table of it shows every group (as ``service_figures``)."""

    if publishable:  # the lead's tables with disclosure control: no second pass over the data

        def withheld() -> dict[str, Any]:
            internal = contractor_scorecard(filters, publishable=False)
            tables = [_result_table(table) for table in internal["tables"]]
            return {
                **internal,
                "tables": [],
                "contractors": _scorecard(
                    suppress_periods(tables), internal["names"], internal["with_events"]
                ),
            }

        return _cached("contractors", filters, True, withheld)  # type: ignore[no-any-return]

    def compute() -> dict[str, Any]:
        stores = _Stores(filters)
        empty: dict[str, Any] = {
            "data_as_at": str(stores.built_at), "indicators": [], "contractors": [],
            "tables": [], "names": [], "with_events": [],
        }  # fmt: skip
        events = stores.events
        if events is None or CONTRACTOR not in events.columns:
            return empty
        wanted = {i.id: i for i in default_indicators() if i.id in SCORECARD}
        indicators = _runnable(stores, [wanted[i] for i in SCORECARD if i in wanted])
        names = sorted(
            name
            for name in events.filter(events[CONTRACTOR].notnull())
            .select(CONTRACTOR)
            .distinct()
            .to_pyarrow()
            .column(0)
            .to_pylist()
            if name and str(name).strip()
        )
        if not indicators or not names:
            return empty
        split = [
            indicator.model_copy(
                update={
                    "id": f"{indicator.id}|{number}",
                    "filter": {**indicator.filter, CONTRACTOR: name},
                }
            )
            for number, name in enumerate(names)
            for indicator in indicators
        ]
        by = [name for name in SCORECARD_BY if name in stores.people.columns]
        tables = analyse_all(stores.people, events, split, by, prepare=stores.prepare)
        with_events = sorted({table.indicator for table in tables if table.rows})
        return {
            "data_as_at": str(stores.built_at),
            "indicators": [i.id for i in indicators],
            "contractors": _scorecard(tables, names, with_events),
            # Kept for the board's edition, which suppresses these same tables.
            "tables": _tables(tables),
            "names": names,
            "with_events": with_events,
        }

    return _cached("contractors", filters, False, compute)  # type: ignore[no-any-return]


def _scorecard(
    tables: list[ResultTable], names: list[str], with_events: list[str]
) -> list[dict[str, Any]]:
    """Each contractor's cells from its tables (``indicator|number`` by characteristic): the
    figure for everyone where a table shows every group, and the groups served worse."""
    found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in names}
    for table in tables:
        base, number = table.indicator.split("|")
        cell = found[names[int(number)]].setdefault(
            base, {"value": None, "n": None, "measure": table.measure, "worse": [],
                   "complete": False, "events": table.indicator in with_events},
        )  # fmt: skip
        rows = table.rows
        if rows and not any(row.get("suppressed") for row in rows):
            events_n = sum(row["n"] for row in rows)
            cell["complete"] = True
            cell["n"] = events_n
            cell["value"] = sum(row["numerator"] for row in rows) / events_n if events_n else None
        cell["worse"] += [
            {"characteristic": table.characteristic, "category": row["category"],
             "value": row["value"], "everyone": row["comparator_value"]}
            for row in rows
            if row.get("flag") == "worse"
        ]  # fmt: skip
    return [{"name": name, "cells": found[name]} for name in names]


def _published_periods(filters: Filters) -> list[ResultTable]:
    """Every default indicator by every characteristic over the whole time, by year and by
    quarter (for the filters' area and group), with disclosure control applied to all of them
    as one system: the board can ask for any of these periods, and subtracting one period's
    table from another's gives no hidden cell away (``suppress_periods``)."""
    whole = replace(filters, period="")

    def compute() -> list[dict[str, Any]]:
        tables = [_result_table(t) for t in equal_outcomes(whole, publishable=False)["tables"]]
        stores = _Stores(whole)
        if stores.events is not None and "event_date" in stores.events.columns:
            indicators = _runnable(stores, default_indicators())
            by = profile_characteristics(stores.people.columns)
            # Quarters and, added up from them, years: one pass over the events for both.
            by_period = analyse_all(
                stores.people, stores.events, indicators, by, period="quarter", years=True,
                prepare=stores.prepare,
            )  # fmt: skip
            tables += [t for t in by_period if "-Q" not in t.period]  # the years first
            tables += [t for t in by_period if "-Q" in t.period]
        return _tables(suppress_periods(tables))

    published = _cached("outcomes-periods", whole, True, compute)
    return [_result_table(table) for table in published]


def _in_period(tables: list[ResultTable], period: str) -> list[ResultTable]:
    """The tables of one period ("" for the whole time), as a dashboard for it shows them."""
    return [replace(table, period="") for table in tables if table.period == period]


def _result_table(data: dict[str, Any]) -> ResultTable:
    """A cached table back as a ResultTable (blank figures as NaN, as the engine gives them)."""
    rows = [
        {k: math.nan if v is None and k != "test" else v for k, v in row.items()}
        for row in data["rows"]
    ]
    return ResultTable(
        data["indicator"],
        data["characteristic"],
        data["comparison"],
        rows,
        data.get("period", ""),
        data.get("measure", "rate"),
    )


def _published_detail(
    filters: Filters, indicator: Indicator, characteristic: str
) -> tuple[list[ResultTable], list[ResultTable]]:
    """A detail page's table and quarterly trend as the board may see them: for one
    characteristic, taken from the dashboard's tables suppressed across every period, so the
    page shows nothing the dashboards hide; for two joined by ``*``, the two-way tables of
    every period suppressed together with their one-way sides."""
    if "*" in characteristic:
        whole = replace(filters, period="")
        stores = _Stores(whole)
        names = [characteristic, *characteristic.split("*")]
        everything = analyse_all(
            stores.people, stores.events, [indicator], names, prepare=stores.prepare
        )
        if stores.events is not None and "event_date" in stores.events.columns:
            for period in ("year", "quarter"):
                everything += analyse_all(
                    stores.people, stores.events, [indicator], names, period=period,
                    prepare=stores.prepare,
                )  # fmt: skip
        everything = suppress_periods(everything)
    else:
        everything = _published_periods(filters)
    mine = [
        table
        for table in everything
        if table.indicator == indicator.id and table.characteristic == characteristic
    ]
    within = filters.period
    trend = [
        table
        for table in mine
        if "-Q" in table.period
        and (not within or table.period == within or table.period.startswith(f"{within}-Q"))
    ]
    return _in_period(mine, within), trend


def outcome_detail(
    filters: Filters, indicator_id: str, characteristic: str, *, publishable: bool
) -> dict[str, Any] | None:
    """One indicator by one characteristic (which may be two joined by ``*``), with its trend
    by quarter; None when there is no such indicator or characteristic."""
    indicators = {i.id: i for i in default_indicators()}
    indicator = indicators.get(indicator_id)
    if indicator is None:
        return None

    def compute() -> dict[str, Any] | None:
        stores = _Stores(filters)
        parts = characteristic.split("*")
        if (
            stores.events is None
            or len(parts) > 2
            or not set(parts) <= set(profile_characteristics(stores.people.columns))
            or not _runnable(stores, [indicator])
        ):
            return None
        if publishable:
            tables, trend = _published_detail(filters, indicator, characteristic)
            if not tables:
                return None
        else:
            tables = analyse_all(
                stores.people, stores.events, [indicator], [characteristic],
                prepare=stores.prepare,
            )  # fmt: skip
            trend = (
                analyse_all(
                    stores.people,
                    stores.events,
                    [indicator],
                    [characteristic],
                    period="quarter",
                    prepare=stores.prepare,
                )
                if "event_date" in stores.events.columns
                else []
            )
        return {
            "data_as_at": str(stores.built_at),
            "indicator": {"id": indicator.id, "title": indicator.title or indicator.id,
                          "measure": indicator.measure,
                          "higher_is_better": indicator.higher_is_better},
            "characteristic": characteristic,
            "table": _tables(tables)[0],
            "trend": _tables(trend),
        }  # fmt: skip

    key = f"detail-{indicator_id}-{characteristic}"
    return _cached(key, filters, publishable, compute)  # type: ignore[no-any-return]


def who_we_serve(filters: Filters, *, publishable: bool) -> dict[str, Any]:
    """For each characteristic with a census benchmark loaded, customers' shares against the
    population's. Published, a category with under 10 customers (and, if it is the only one,
    the next smallest) shows ``[c]`` for its count, share and ratio."""

    def compute() -> dict[str, Any]:
        stores = _Stores(filters)
        found = {}
        for name in profile_characteristics(stores.people.columns):
            population = benchmark(name)
            if population:
                rows = representation(stores.people, name, population)
                found[name] = withhold_small(rows) if publishable else rows
        return {"data_as_at": str(stores.built_at), "characteristics": found}

    return _cached("serve", filters, publishable, compute)  # type: ignore[no-any-return]


# Who takes part in engagement (issue 31, item 10): the people who took up an offer to take
# part, against everyone such an offer is for.
ENGAGEMENT = ("involvement_offer", "took_part")
ENGAGEMENT_BY = (
    "age_band", "sex", "disability", "ethnic_group", "religion", "sexual_orientation",
    "gender_identity", "main_language",
)  # fmt: skip


def engagement(filters: Filters, *, publishable: bool) -> dict[str, Any]:
    """For each characteristic, each group's share of the people who took part in engagement
    against its share of the customer base who could (adults, not household members): the
    representation ratio, an exact binomial test and a flag. Published, small groups show
    ``[c]`` as on Who we serve."""

    if publishable:  # the same figures, small groups withheld: no second pass over the data

        def withheld() -> dict[str, Any]:
            internal = engagement(filters, publishable=False)
            found = {
                name: withhold_small(rows) for name, rows in internal["characteristics"].items()
            }
            return {**internal, "characteristics": found}

        return _cached("engagement", filters, True, withheld)  # type: ignore[no-any-return]

    def compute() -> dict[str, Any]:
        stores = _Stores(filters)
        found: dict[str, list[dict[str, Any]]] = {}
        events = stores.events
        event_type, value = ENGAGEMENT
        if events is not None and value in events.columns:
            base = who_could_respond(stores.people)
            taking_part = who_could_respond(service_users(stores.people, events, event_type, value))
            if int(taking_part.count().to_pyarrow().as_py()):
                for name in (n for n in ENGAGEMENT_BY if n in stores.people.columns):
                    found[name] = representation(taking_part, name, category_counts(base, name))
        return {"data_as_at": str(stores.built_at), "characteristics": found}

    return _cached("engagement", filters, False, compute)  # type: ignore[no-any-return]


def withhold_small(rows: list[dict[str, Any]], count: str = "customers") -> list[dict[str, Any]]:
    """Representation rows: a category of fewer than the threshold (and, if it is the only
    one, the next smallest) shows ``[c]`` for its count, share and ratio."""
    hidden = {i for i, row in enumerate(rows) if 0 < row[count] < THRESHOLD}
    if len(hidden) == 1:
        rest = sorted((row[count], i) for i, row in enumerate(rows) if i not in hidden)
        if rest:
            hidden.add(rest[0][1])
    published = []
    for i, row in enumerate(rows):
        row = dict(row)
        if i in hidden:
            for name in (count, "share", "ratio", "p_value", "q_value", "flag"):
                row[name] = SUPPRESSED
        published.append(row)
    return published


def warm() -> float:
    """Works out the unfiltered dashboards for both editions now, so the first person to open
    them after a new snapshot or events load does not wait. Returns the seconds it took."""
    started = time.monotonic()
    filter_choices()
    knowing_our_customers(Filters())
    for publishable in (True, False):
        equal_outcomes(Filters(), publishable=publishable)
        service_figures(Filters(), publishable=publishable)
        contractor_scorecard(Filters(), publishable=publishable)
        engagement(Filters(), publishable=publishable)
        who_we_serve(Filters(), publishable=publishable)
    return time.monotonic() - started
