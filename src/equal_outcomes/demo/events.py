"""Synthetic service events for the demo landlord, with documented, injected disparities.

The disparities, which the analysis should find (and few others):

1. Younger tenants (aged 16-34) are more often in arrears (35 % against 15 %) but take up the
   financial inclusion service less when it is offered (10 % against 40 %; it is offered to
   everyone in arrears and to a quarter of the others).
2. Disabled tenants are less satisfied with complaint handling (TSM TP09: 45 % against 70 %).
3. Welsh speakers (main language Welsh, who choose Welsh for letters) are often sent letters
   only in English: 40 % of their letters are in Welsh. Everyone else's letters come in their
   preferred format and language 97 % of the time. Letters record their ``format`` and
   ``language``; the analysis works out whether each met the preference.
4. Younger tenants answer the satisfaction survey less often (18 % against 40 %), so they are
   under-represented among respondents (``representation --by age_band --among tsm_survey``).
5. Disabled people who report harassment, hate crime or domestic abuse are contacted within a
   day less often (40 % against 90 %; the response standard is one day).

Everything else (repairs on time, other satisfaction questions, complaints answered in time
and upheld, gas servicing and cyclical inspection access, contacts resolved first time and the
channel used, anti-social behaviour cases and hate incidents, involvement, tenancies ending in
their first year, adaptations once requested, how complaints are resolved) is the same for
everyone, so flags there are false alarms. Every default indicator has events to read (issue
31): disabled and older tenants ask for adaptations more often, as they would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from equal_outcomes.customers.models import Property
from equal_outcomes.customers.selectors import customers_for_analysis
from equal_outcomes.insight.deprivation import replace_deciles
from equal_outcomes.insight.events import replace_events
from equal_outcomes.insight.snapshot import person_key, pseudonymisation_key, store_path
from equal_outcomes.insight.stores import open_store

YOUNG = {"15_24", "25_34"}
TENANTS = {"tenant", "joint_tenant"}
COLUMNS = (
    "in_arrears",
    "took_up",
    "service",
    "responded_in_time",
    "on_time",
    "days_to_complete",
    "format",
    "language",
    "no_access",
    *(f"tp{n:02d}" for n in range(1, 13)),
    "upheld",
    "channel",
    "resolved_first_time",
    "hate_incident",
    "took_part",
    "within_12_months",
    "category",
    "days_to_first_contact",
    "resolved",
    "satisfied",
    "complaint_type",
    "alleges_discrimination",
    "days_to_resolve",
    "repeat_complainant",
    "adaptation_type",
    "approved",
    "appointment_kept",
    "contractor",
)
OLDER = {"65_74", "75_84", "85_plus"}
ASB_CATEGORIES = ("noise", "noise", "nuisance", "nuisance", "harassment", "hate_crime",
                  "domestic_abuse", "other")  # fmt: skip
HARASSMENT = {"harassment", "hate_crime", "domestic_abuse"}
# Who did each repair, as the repairs system records it.
REPAIRERS = ("Valleys Repairs Ltd", "Valleys Repairs Ltd", "Cwm Building Services")
COMPLAINT_TYPES = ("repairs", "repairs", "staff", "service", "communication", "other")
CHANNELS = ("phone", "phone", "phone", "online", "email", "office", "letter", "visit")
# The channel a contact comes through when it comes the way the person asked to be contacted.
CHANNEL_FOR = {"phone": "phone", "email": "email", "letter": "letter", "in_person": "office"}


def _yes(rng: random.Random, chance: float) -> str:
    return "1" if rng.random() < chance else "0"


def _letter(rng: random.Random, wanted_format: str, wanted_language: str) -> dict[str, str]:
    """A letter's format and language: Welsh letters 40 % of the time for those who ask for
    them; for everyone else, what they asked for 97 % of the time (standard English if
    nothing)."""
    language, form = wanted_language or "en", wanted_format or "standard"
    if wanted_language == "cy":
        language = "cy" if rng.random() < 0.40 else "en"
    elif rng.random() >= 0.97:
        language, form = "en", "standard" if form != "standard" else "large_print"
    return {"format": form, "language": language}


def _case(rng: random.Random, *, disabled: bool, category: str = "") -> dict[str, str]:
    """An anti-social behaviour case's category, days to first contact, outcome and the
    reporter's satisfaction. Harassment, hate crime and domestic abuse are answered within a day
    90 % of the time, but 40 % of the time for disabled people (disparity 5)."""
    category = category or rng.choice(ASB_CATEGORIES)
    if category in HARASSMENT:
        quick = rng.random() < (0.40 if disabled else 0.90)
        days = rng.randint(0, 1) if quick else rng.randint(2, 6)
    else:
        days = rng.randint(0, 5) if rng.random() < 0.85 else rng.randint(6, 14)
    return {
        "category": category,
        "days_to_first_contact": str(days),
        "resolved": _yes(rng, 0.70),
        "satisfied": _yes(rng, 0.60),
    }


def _complaint(rng: random.Random) -> dict[str, str]:
    """A complaint's type, whether it alleges discrimination, the days to resolve it and whether
    the person complained in the 12 months before: the same for everyone."""
    return {
        "complaint_type": rng.choice(COMPLAINT_TYPES),
        "alleges_discrimination": "yes" if rng.random() < 0.04 else "no",
        "days_to_resolve": str(rng.randint(2, 45)),
        "repeat_complainant": _yes(rng, 0.15),
    }


def _adaptation(
    rng: random.Random, add: Callable[..., None], key: str, *, disabled: bool, older: bool
) -> None:
    """Aids and adaptations asked for, more often by disabled and older tenants; once asked for,
    approved, done and liked the same for everyone (minor ones within 28 days 80 % of the
    time)."""
    chance = 0.02 + (0.12 if disabled else 0.0) + (0.06 if older else 0.0)
    if rng.random() >= chance:
        return
    minor = rng.random() < 0.75
    approved = rng.random() < 0.90
    done = approved and rng.random() < 0.85
    days = (
        (rng.randint(3, 28) if rng.random() < 0.80 else rng.randint(29, 60))
        if minor
        else (rng.randint(60, 300))
    )
    add(
        key,
        "adaptation_request",
        rng.randint(1, 365),
        adaptation_type="minor" if minor else "major",
        approved="1" if approved else "0",
        days_to_complete=str(days) if done else "",
        satisfied=_yes(rng, 0.80) if done else "",
    )


def _more_events(
    rng: random.Random,
    detail: random.Random,
    add: Callable[..., None],
    key: str,
    *,
    tenant: bool,
    disabled: bool,
    method: str,
) -> None:
    """Contacts for everyone; for tenants, cyclical inspections, anti-social behaviour cases,
    offers to take part and tenancies ending. The same chances for everyone, but for disparity
    5. ``detail`` gives what the cases record beyond their first columns."""
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        channel = rng.choice(CHANNELS)
        # Most contacts come the way the person asked to be contacted, whoever they are.
        if (wanted := CHANNEL_FOR.get(method)) and detail.random() < 0.75:
            channel = wanted
        add(key, "contact", rng.randint(1, 365), channel=channel,
            resolved_first_time=_yes(rng, 0.72))  # fmt: skip
    if not tenant:
        return
    add(key, "cyclical_visit", rng.randint(1, 365), no_access=_yes(rng, 0.07))
    if rng.random() < 0.05:
        add(key, "asb_case", rng.randint(1, 365), hate_incident=_yes(rng, 0.15),
            **_case(detail, disabled=disabled))  # fmt: skip
    if detail.random() < 0.04:  # reports of harassment, hate crime and domestic abuse
        case = _case(detail, disabled=disabled, category=detail.choice(sorted(HARASSMENT)))
        hate = "1" if case["category"] == "hate_crime" else "0"
        add(key, "asb_case", detail.randint(1, 365), hate_incident=hate, **case)
    if rng.random() < 0.30:
        add(key, "involvement_offer", rng.randint(1, 365), took_part=_yes(rng, 0.25))
    if rng.random() < 0.06:
        add(key, "tenancy_end", rng.randint(1, 365), within_12_months=_yes(rng, 0.20))


def generate_deprivation(seed: int) -> int:
    """Made-up deprivation deciles for the demo's made-up small areas (a real landlord loads
    the published Indices with ``import deprivation``): the towns' areas more deprived than
    the villages'."""
    rng = random.Random(seed + 13)
    homes = Property.objects.exclude(lsoa_code="").values_list("lsoa_code", "rural_urban")
    deciles = {
        lsoa: rng.randint(1, 6) if rural_urban[:1] in {"A", "B", "C"} else rng.randint(4, 10)
        for lsoa, rural_urban in homes
    }
    replace_deciles(deciles)
    return len(deciles)


def generate_events(seed: int) -> dict[str, int]:
    """Writes demo events for everyone in the snapshot; returns the count of each type."""
    rng = random.Random(seed * 7919 + 17)
    # The events added for issue 31 draw from a stream of their own, so the earlier events
    # (and the disparities found in them) are the same as before for the same seed.
    more = random.Random(seed * 7919 + 29)
    # And the detail added later (case categories, complaint detail, adaptations) another.
    detail = random.Random(seed * 7919 + 31)
    with open_store(store_path(), read_only=True) as con:
        snapshot = {
            row[0]: row
            for row in con.execute(
                "SELECT person_key, customer_type, age_band, disability, "
                "preferred_format, preferred_language, preferred_contact_method FROM people"
            ).fetchall()
        }
    # Walk people in customer-reference order, so the same seed gives the same events whatever
    # the installation's pseudonymisation key.
    key = pseudonymisation_key()
    people = [
        snapshot[person_key(public_id, key)]
        for public_id in customers_for_analysis()
        .order_by("landlord_ref")
        .values_list("public_id", flat=True)
        if person_key(public_id, key) in snapshot
    ]
    rows: list[dict[str, Any]] = []
    today = dt.date(2026, 11, 1)

    def add(key: str, event_type: str, days_ago: int, **outcomes: str) -> None:
        rows.append(
            {
                "person_key": key,
                "event_type": event_type,
                "event_date": today - dt.timedelta(days=days_ago),
                **outcomes,
            }
        )

    for key, customer_type, band, disability, wanted_format, wanted_language, method in people:
        young = band in YOUNG
        if customer_type in TENANTS:
            arrears = _yes(rng, 0.35 if young else 0.15)
            add(key, "rent_account", 0, in_arrears=arrears)
            if arrears == "1" or rng.random() < 0.25:
                add(
                    key,
                    "service_offer",
                    rng.randint(1, 300),
                    service="financial_inclusion",
                    took_up=_yes(rng, 0.10 if young else 0.40),
                )
            add(key, "gas_service_visit", rng.randint(1, 365), no_access=_yes(rng, 0.08))
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                add(
                    key,
                    "repair",
                    rng.randint(1, 365),
                    on_time=_yes(rng, 0.82),
                    days_to_complete=str(rng.randint(1, 40)),
                    appointment_kept=_yes(detail, 0.9),
                    contractor=detail.choice(REPAIRERS),
                    satisfied=_yes(detail, 0.85),
                )
            if rng.random() < (0.18 if young else 0.40):
                answers = {f"tp{n:02d}": _yes(rng, 0.74) for n in range(1, 13)}
                answers["tp09"] = _yes(rng, 0.45 if disability == "yes" else 0.70)
                add(key, "tsm_survey", rng.randint(1, 200), **answers)
        if rng.random() < 0.12:
            add(
                key,
                "complaint",
                rng.randint(1, 365),
                responded_in_time=_yes(rng, 0.85),
                upheld=_yes(more, 0.35),
                **_complaint(detail),
            )
        tenant, disabled = customer_type in TENANTS, disability == "yes"
        _more_events(more, detail, add, key, tenant=tenant, disabled=disabled, method=method)
        if tenant:
            _adaptation(detail, add, key, disabled=disabled, older=band in OLDER)
        for _ in range(4):
            add(
                key,
                "outgoing_communication",
                rng.randint(1, 365),
                **_letter(rng, wanted_format, wanted_language),
            )
    table = pa.table(
        {
            "person_key": pa.array([r["person_key"] for r in rows], pa.string()),
            "event_type": pa.array([r["event_type"] for r in rows], pa.string()),
            "event_date": pa.array([r["event_date"] for r in rows], pa.date32()),
            **{c: pa.array([r.get(c) for r in rows], pa.string()) for c in COLUMNS},
        }
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["event_type"]] = counts.get(row["event_type"], 0) + 1
    with duckdb.connect() as con:
        con.register("generated", table)
        con.execute("CREATE TABLE loaded AS SELECT * FROM generated ORDER BY person_key")
        replace_events(con, counts)
    return counts
