"""The analytics snapshot: a pseudonymised people table in a DuckDB file, replaced atomically.

No names, references or contact details leave the operational database: each person is keyed by
an HMAC of their public id under a key kept with the other keys, so extracts of events from other
systems can be matched to the same key, but the key cannot be reversed. People who object to
equality monitoring, and erased people, are left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from equal_outcomes.accounts.organisation import stale_after_days
from equal_outcomes.analysis.engine import NOT_APPLICABLE
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.collection.models import Invitation
from equal_outcomes.customers.models import (
    AnswerState,
    CommunicationNeed,
    CommunicationPreference,
    Confidentiality,
    ProfileAnswer,
    SupportNeed,
)
from equal_outcomes.customers.selectors import customers_for_analysis
from equal_outcomes.insight.deprivation import deciles
from equal_outcomes.insight.stores import attach, open_store, rebuilt
from equal_outcomes.standards.codelists import characteristics, code_list

CHUNK = 5000
ADULT = 16  # who can answer for themselves: a survey's respondents and its base
# Communication preferences (not special category) kept beside the profile, so outgoing
# letters and incoming contacts can be checked against them (engine.with_communication_match).
PREFERENCES = ("preferred_format", "preferred_language", "preferred_contact_method")
# The one scheme of age bands (the age_band code list): (first age, age after the last, code).
AGE_BANDS = tuple(
    (code.min or 0, (code.max + 1) if code.max is not None else 200, code.code)
    for code in code_list("age_band").codes
)


def store_path() -> Path:
    return settings.HOME / "analytics.duckdb"


def pseudonymisation_key() -> bytes:
    """The pseudonymisation key, made on first use and kept beside the encryption key ring."""
    path = settings.EQUAL_OUTCOMES_KEY_FILE.parent / "snapshot.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def person_key(public_id: Any, key: bytes | None = None) -> str:
    return hmac.new(
        key or pseudonymisation_key(), str(public_id).encode(), hashlib.sha256
    ).hexdigest()[:32]


def age_band(born: dt.date | None, today: dt.date) -> str:
    if born is None:
        return ""
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return next(label for low, high, label in AGE_BANDS if low <= age < high)


# Needs carried for analysis, pseudonymised like everything here (issue 28, item 12): whether a
# support need is held, its kinds (several may be), and whether a communication need is.
NEEDS = ("has_support_need", "support_need_kind", "has_communication_need")


def _current_needs(chunk: list[int], today: dt.date) -> dict[int, tuple[set[str], bool]]:
    """Each person's current support needs (kinds) and whether they have a current
    communication need. Needs held for named teams or safeguarding leads only, and those the
    person has not been told are recorded, are left out: analysis must not give them away."""
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    found: dict[int, tuple[set[str], bool]] = {}
    for customer_id, need in SupportNeed.objects.filter(
        current,
        customer_id__in=chunk,
        start_date__lte=today,
        confidentiality=Confidentiality.STANDARD,
        customer_told=True,
    ).values_list("customer_id", "need"):
        found.setdefault(customer_id, (set(), False))[0].add(need)
    for customer_id in set(
        CommunicationNeed.objects.filter(current, customer_id__in=chunk).values_list(
            "customer_id", flat=True
        )
    ):
        found[customer_id] = (found.get(customer_id, (set(), False))[0], True)
    return found


def ethnic_group(code: str) -> str:
    """The broad ethnic group (the code list's parent) of an ethnicity answer: the roll-up that
    broad census tables and small numbers are compared and published at."""
    listing = code_list("ethnicity")
    if code in listing:
        return listing.parent_of(code) or code
    return code if code in {"prefer_not_to_say", "not_known"} else ""


@dataclass(frozen=True)
class SnapshotResult:
    people: int
    seconds: float
    path: Path


def build_snapshot(*, actor: Any) -> SnapshotResult:
    """Writes the people table to a new DuckDB file, then moves it over the old one."""
    started = time.monotonic()
    today = timezone.localdate()
    key = pseudonymisation_key()
    questions = [item.id for item in characteristics()]
    definitions = {item.id: item for item in characteristics()}
    area_deciles = deciles()
    periods = {item.id: item.period_days or 0 for item in characteristics() if item.asked_in_period}
    types = code_list("customer_type")
    columns: dict[str, list[Any]] = {
        name: []
        for name in [
            "person_key",
            "customer_type",
            "customer_group",
            "area",
            "age_band",
            "adult",
            "ethnic_group",
            "deprivation_decile",
            "rural_urban",
            *NEEDS,
            *questions,
            *PREFERENCES,
        ]
    }
    stale_before = timezone.now() - dt.timedelta(days=stale_after_days())
    stale: dict[str, list[str]] = {"person_key": [], "characteristic": []}
    answered: dict[str, list[Any]] = {"person_key": [], "characteristic": [], "since": []}
    people = customers_for_analysis().select_related("household__property__estate__area")
    ids = list(people.values_list("pk", flat=True).order_by("pk"))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        answers: dict[int, dict[str, str]] = {}
        stale_of: dict[int, list[str]] = {}
        for answer in ProfileAnswer.objects.current().filter(customer_id__in=chunk):
            if answer.expires_on is not None and answer.expires_on < today:
                continue
            shown = (
                "prefer_not_to_say"
                if answer.state == AnswerState.PREFER_NOT_TO_SAY
                else answer.value
            )
            answers.setdefault(answer.customer_id, {})[answer.characteristic] = shown
            if answer.last_confirmed_at < stale_before:
                stale_of.setdefault(answer.customer_id, []).append(answer.characteristic)
        first_answered = {
            (row["customer_id"], row["characteristic"]): row["first"]
            for row in ProfileAnswer.objects.filter(customer_id__in=chunk)
            .values("customer_id", "characteristic")
            .annotate(first=Min("recorded_at"))
        }
        # Who was asked a question whose answers hold only for a while, within that while.
        asked_lately = {
            question: set(
                ProfileAnswer.objects.filter(
                    customer_id__in=chunk,
                    characteristic=question,
                    recorded_at__date__gte=today - dt.timedelta(days=days),
                ).values_list("customer_id", flat=True)
            )
            | set(
                Invitation.objects.filter(
                    customer_id__in=chunk, created_at__date__gte=today - dt.timedelta(days=days)
                ).values_list("customer_id", flat=True)
            )
            for question, days in periods.items()
        }
        needs = _current_needs(chunk, today)
        preferences = {
            row[0]: row[1:]
            for row in CommunicationPreference.objects.filter(customer_id__in=chunk).values_list(
                "customer_id", *PREFERENCES
            )
        }
        for person in people.filter(pk__in=chunk).order_by("pk"):
            home = person.household.property if person.household else None
            # A question not for them (a child; someone not asked this period) is left out of
            # its count, and anything held for it is not carried (issue 28, item 9).
            age = person.age_on(today)
            applies = {
                question: definition.eligible(age)
                and (not definition.asked_in_period or person.pk in asked_lately[question])
                for question, definition in definitions.items()
            }
            held = {q: v for q, v in answers.get(person.pk, {}).items() if applies[q]}
            pseudonym = person_key(person.public_id, key)
            columns["person_key"].append(pseudonym)
            for characteristic in (c for c in stale_of.get(person.pk, []) if c in held):
                stale["person_key"].append(pseudonym)
                stale["characteristic"].append(characteristic)
            for characteristic in held:
                answered["person_key"].append(pseudonym)
                answered["characteristic"].append(characteristic)
                answered["since"].append(
                    timezone.localtime(first_answered[(person.pk, characteristic)]).date()
                )
            columns["customer_type"].append(person.customer_type)
            columns["customer_group"].append(
                types.parent_of(person.customer_type) or "" if person.customer_type in types else ""
            )
            columns["area"].append(home.estate.area.code if home else "")
            # Where they live: the home's deprivation decile and rural-urban class.
            decile = area_deciles.get(home.lsoa_code) if home else None
            columns["deprivation_decile"].append(str(decile) if decile else "")
            columns["rural_urban"].append(home.rural_urban if home else "")
            support, communication = needs.get(person.pk, (set(), False))
            columns["has_support_need"].append("yes" if support else "no")
            # Each kind against everyone without it, those with no need recorded included.
            columns["support_need_kind"].append("|".join(sorted(support)) or "none")
            columns["has_communication_need"].append("yes" if communication else "no")
            columns["age_band"].append(age_band(person.date_of_birth, today))
            columns["ethnic_group"].append(ethnic_group(held.get("ethnicity", "")))
            columns["adult"].append("" if age is None else "yes" if age >= ADULT else "no")
            for question in questions:
                columns[question].append(
                    held.get(question, "") if applies[question] else NOT_APPLICABLE
                )
            for name, value in zip(
                PREFERENCES, preferences.get(person.pk, ("",) * len(PREFERENCES)), strict=True
            ):
                columns[name].append(value)
    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in columns.items()})
    final = store_path()
    with rebuilt(final) as building, open_store(building) as con:
        con.register("incoming", table)
        con.execute("CREATE TABLE people AS SELECT * FROM incoming")
        # Answers not confirmed within EQUAL_OUTCOMES_STALE_AFTER_DAYS, for coverage.
        con.register("stale_answers", pa.table(stale, schema=STALE_SCHEMA))
        con.execute("CREATE TABLE stale AS SELECT * FROM stale_answers")
        # When each answer held today was first given, for the coverage trend.
        con.register("answered_since", pa.table(answered, schema=ANSWERED_SCHEMA))
        con.execute("CREATE TABLE answered AS SELECT * FROM answered_since")
        con.execute(
            "CREATE TABLE meta AS SELECT ?::VARCHAR AS built_at, ?::BIGINT AS people",
            [timezone.now().isoformat(), table.num_rows],
        )
    Auditor.record(
        actor=actor,
        action=AuditAction.SNAPSHOT,
        target_type="analytics",
        target_id="people",
        purpose=f"{table.num_rows} people, pseudonymised",
    )
    return SnapshotResult(table.num_rows, time.monotonic() - started, final)


STALE_SCHEMA = pa.schema([("person_key", pa.string()), ("characteristic", pa.string())])
ANSWERED_SCHEMA = pa.schema(
    [("person_key", pa.string()), ("characteristic", pa.string()), ("since", pa.date32())]
)


def open_people() -> Any:
    """The snapshot's people table as an Ibis table, or None before the first snapshot."""
    import ibis

    path = store_path()
    if not path.exists():
        return None
    con = ibis.duckdb.connect()
    attach(con, path, "snapshot", read_only=True)
    return con.table("people", database="snapshot")
