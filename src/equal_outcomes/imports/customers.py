"""Importing customers and their profiles from a housing management system's export.

Two passes. ``validate`` reads every row and collects every problem (row, column, value,
reason) without touching the database beyond look-ups. ``apply`` then writes all the valid rows
in one transaction: nothing is written when any row fails, unless the caller asks to import the
valid rows only. Re-importing the same file changes nothing, and an answer dated earlier than
the one held never replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor, record_many
from equal_outcomes.core.bulk import bulk_cache, insert_rows, refresh_statistics
from equal_outcomes.core.crypto import Bound
from equal_outcomes.core.readers import Table, read_table
from equal_outcomes.customers.models import (
    AnswerState,
    Area,
    CommunicationPreference,
    Customer,
    Household,
    ProfileAnswer,
    Property,
)
from equal_outcomes.customers.services import MULTIPLE_SEPARATOR, answer_expiry
from equal_outcomes.customers.superseding import Held, Outcome, decide
from equal_outcomes.imports.mapping import Mapping, load_mapping
from equal_outcomes.imports.values import (
    BadValue,
    is_not_known,
    is_prefer_not_to_say,
    match_codes,
    parse_date,
    parse_yes_no,
)
from equal_outcomes.standards.codelists import characteristics, code_list, normalise

IDENTITY_COLUMNS = ("first_name", "last_name", "date_of_birth")
PLACE_COLUMNS = ("household_ref", "property_ref", "area")
# Canonical columns that answer a profile question, and the question they answer.
ANSWER_COLUMNS = {
    "sex": "sex",
    "gender_identity_same_as_birth": "gender_identity",
    "gender_identity": "gender_identity",
    "sexual_orientation": "sexual_orientation",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "disability": "disability",
    "disability_impact": "disability_impact",
    "impairment_type": "impairment_type",
    "marital_status": "marital_status",
    "pregnancy_maternity": "pregnancy_maternity",
    "main_language": "main_language",
    "welsh_language": "welsh_language",
    "literacy": "literacy",
    "digital_inclusion": "digital_inclusion",
    "caring_responsibilities": "caring_responsibilities",
}
PREFERENCE_COLUMNS = {
    "interpreter_needed": None,
    "preferred_format": "communication_format",
    "preferred_contact_method": "contact_method",
}
CANONICAL = (
    "customer_ref",
    "customer_type",
    *PLACE_COLUMNS,
    *IDENTITY_COLUMNS,
    *ANSWER_COLUMNS,
    *PREFERENCE_COLUMNS,
    "touchpoint",
    "recorded_on",
)
MAX_REF = 32
MAX_NAME = 100
CUSTOMER_FIELDS = (
    "public_id",
    "landlord_ref",
    "customer_type",
    "household",
    "first_name",
    "last_name",
    "date_of_birth",
)
PREFERENCE_FIELDS = (
    "customer",
    "source",
    "recorded_at",
    "interpreter_needed",
    "preferred_format",
    "preferred_contact_method",
)
ANSWER_FIELDS = (
    "customer",
    "characteristic",
    "state",
    "value",
    "touchpoint",
    "recorded_at",
    "last_confirmed_at",
    "expires_on",
)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class Row:
    line: int
    ref: str
    identity: dict[str, Any] = field(default_factory=dict)
    customer_type: str = ""
    type_from_file: bool = False
    household_ref: str = ""
    property_ref: str = ""
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)  # question: (state, value)
    preferences: dict[str, Any] = field(default_factory=dict)
    touchpoint: str = "import"
    recorded_on: dt.date | None = None
    cells: list[str] = field(default_factory=list)
    held: bool = True  # whether the customer may be held already (False: checked, not held)


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    valid_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    answers_added: int = 0
    answers_confirmed: int = 0
    answers_older_skipped: int = 0
    written: bool = False
    dry_run: bool = False
    encoding: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [asdict(problem) for problem in self.problems]
        return data


def _header_key(text: str) -> str:
    return normalise(text).replace(" ", "_")


def _columns(
    headers: list[str], mapping: Mapping
) -> tuple[dict[str, int], list[str], list[Problem]]:
    """Which canonical column each header is; headers that are none are reported."""
    renamed = {_header_key(theirs): ours for theirs, ours in mapping.columns.items()}
    positions: dict[str, int] = {}
    ignored, problems = [], []
    for index, header in enumerate(headers):
        key = _header_key(header)
        canonical = renamed.get(key, key)
        if canonical == "ignore":
            continue
        if canonical not in CANONICAL:
            ignored.append(header)
        elif canonical in positions:
            problems.append(Problem(1, header, header, "this column appears twice"))
        else:
            positions[canonical] = index
    if "customer_ref" not in positions:
        problems.append(Problem(1, "customer_ref", "", "there is no customer_ref column"))
    return positions, ignored, problems


@dataclass
class _Lookups:
    existing: set[str]
    properties: set[str]
    areas: dict[str, str]  # normalised code or name: code


def _lookups(refs: set[str], property_refs: set[str]) -> _Lookups:
    existing: set[str] = set()
    if Customer.objects.count() <= 2 * len(refs):
        # A file about as big as the customer base (a first load, a full refresh): every
        # reference held, read in one pass, costs less than looking each one up.
        held = Customer.objects.values_list("landlord_ref", flat=True).iterator(chunk_size=20_000)
        existing.update(ref for ref in held if ref in refs)
    else:
        for chunk in _chunks(list(refs)):
            existing.update(
                Customer.objects.filter(landlord_ref__in=chunk).values_list(
                    "landlord_ref", flat=True
                )
            )
    properties = set(
        Property.objects.filter(property_ref__in=list(property_refs)).values_list(
            "property_ref", flat=True
        )
    )
    areas = {}
    for code, name in Area.objects.values_list("code", "name"):
        areas[normalise(code)] = areas[normalise(name)] = code
    return _Lookups(existing, properties, areas)


_MISSING: Any = object()


def cell_answer(question: str, value: str, extra: dict[str, str]) -> tuple[str, str] | str | None:
    """What one cell says: an answer (state, value), a reason it is wrong, or None (blank)."""
    if is_not_known(value):
        return None
    if is_prefer_not_to_say(value, extra):
        return (AnswerState.PREFER_NOT_TO_SAY, "")
    listing = characteristics().get(question).codes
    try:
        codes = match_codes(listing, value, extra, listing.multiple)
    except BadValue as error:
        return str(error)
    return (AnswerState.ANSWERED, MULTIPLE_SEPARATOR.join(sorted(set(codes))))


class _RowParser:
    """Checks rows one by one. It remembers what each distinct cell meant: exports repeat the
    same few hundred answers across a million rows, so each is matched once."""

    def __init__(self, positions: dict[str, int], mapping: Mapping, default_type: str) -> None:
        self.mapping = mapping
        self.default_type = default_type
        self.today = timezone.localdate()
        self.memo: dict[tuple[str, ...], Any] = {}
        # Each row is cut or padded to the header's width plus one blank cell, where columns
        # the file does not have are read.
        self.width = max(positions.values(), default=-1) + 1
        self.at = {column: positions.get(column, self.width) for column in CANONICAL}
        self.answer_columns = [
            (column, question, positions[column])
            for column, question in ANSWER_COLUMNS.items()
            if column in positions
        ]
        self.preference_columns = [
            (column, list_id, positions[column])
            for column, list_id in PREFERENCE_COLUMNS.items()
            if column in positions
        ]

    def _code(self, column: str, list_id: str, value: str) -> str | BadValue:
        key = (column, value)
        found = self.memo.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = match_codes(
                    code_list(list_id), value, self.mapping.values.get(column, {}), False
                )[0]
            except BadValue as error:
                found = error
            self.memo[key] = found
        return found  # type: ignore[no-any-return]

    def _date(self, value: str, *, birth: bool) -> dt.date | BadValue:
        key = ("birth" if birth else "date", value)
        found = self.memo.get(key, _MISSING)
        if found is _MISSING:
            found = self.memo[key] = self._checked_date(value, birth=birth)
        return found  # type: ignore[no-any-return]

    def _checked_date(self, value: str, *, birth: bool) -> dt.date | BadValue:
        try:
            day = parse_date(value)
        except BadValue as error:
            return error
        if birth and not dt.date(1900, 1, 1) <= day <= self.today:
            return BadValue("a date of birth must be after 1900 and not in the future")
        if not birth and day > self.today:
            return BadValue("the date is in the future")
        return day

    def parse(self, line: int, cells: list[str]) -> tuple[Row, list[Problem]]:
        problems: list[Problem] = []

        def fail(column: str, value: str, reason: object) -> None:
            problems.append(Problem(line, column, value[:60], str(reason)))

        padded = cells[: self.width]
        padded += [""] * (self.width + 1 - len(padded))
        at = self.at

        def cell(column: str) -> str:
            return padded[at[column]]

        ref = cell("customer_ref")
        row = Row(line=line, ref=ref, cells=cells, customer_type=self.default_type)
        if not ref:
            fail("customer_ref", ref, "the customer reference is blank")
        elif len(ref) > MAX_REF:
            fail("customer_ref", ref, f"longer than {MAX_REF} characters")
        if value := cell("customer_type"):
            code = self._code("customer_type", "customer_type", value)
            if isinstance(code, BadValue):
                fail("customer_type", value, code)
            else:
                row.customer_type, row.type_from_file = code, True
        for column in ("first_name", "last_name"):
            if value := cell(column):
                if len(value) > MAX_NAME:
                    fail(column, value, f"longer than {MAX_NAME} characters")
                row.identity[column] = value
        if value := cell("date_of_birth"):
            born = self._date(value, birth=True)
            if isinstance(born, BadValue):
                fail("date_of_birth", value, born)
            else:
                row.identity["date_of_birth"] = born
        for column in ("household_ref", "property_ref"):
            value = cell(column)
            if len(value) > MAX_REF:
                fail(column, value, f"longer than {MAX_REF} characters")
            setattr(row, column, value)
        if value := cell("touchpoint"):
            code = self._code("touchpoint", "touchpoint", value)
            if isinstance(code, BadValue):
                fail("touchpoint", value, code)
            else:
                row.touchpoint = code
        if value := cell("recorded_on"):
            day = self._date(value, birth=False)
            if isinstance(day, BadValue):
                fail("recorded_on", value, day)
            else:
                row.recorded_on = day

        for column, question, index in self.answer_columns:
            value = padded[index]
            key = (column, value)
            outcome = self.memo.get(key, _MISSING)
            if outcome is _MISSING:
                outcome = self.memo[key] = cell_answer(
                    question, value, self.mapping.values.get(column, {})
                )
            if isinstance(outcome, str):
                fail(column, value, outcome)
            elif outcome is not None:
                row.answers[question] = outcome

        for column, list_id, index in self.preference_columns:
            value = padded[index]
            remembered = ("preference", column, value)
            preference = self.memo.get(remembered, _MISSING)
            if preference is _MISSING:
                preference = self.memo[remembered] = self._preference(column, list_id, value)
            if isinstance(preference, BadValue):
                fail(column, value, preference)
            elif preference is not None:
                row.preferences[column] = preference
        return row, problems

    def _preference(self, column: str, list_id: str | None, value: str) -> Any:
        """What a preference cell says: a code (or yes/no), a ``BadValue``, or None (blank)."""
        if is_not_known(value):
            return None
        if list_id is None:
            try:
                return parse_yes_no(value)
            except BadValue as error:
                return error
        return self._code(column, list_id, value)


def validate(
    table: Table, mapping: Mapping, *, default_type: str = "", progress: Progress | None = None
) -> tuple[list[Row], list[Problem], list[str]]:
    """Every row parsed and checked; every problem found. Reads the database, never writes."""
    positions, ignored, problems = _columns(table.headers, mapping)
    if problems:
        return [], problems, ignored
    rows: list[Row] = []
    parser = _RowParser(positions, mapping, default_type)
    rejected: set[int] = set()
    first_seen: dict[str, int] = {}
    for count, (line, cells) in enumerate(table.rows, start=1):
        row, row_problems = parser.parse(line, cells)
        if row.ref in first_seen:
            row_problems.append(
                Problem(
                    line,
                    "customer_ref",
                    row.ref,
                    f"the same reference is on line {first_seen[row.ref]}",
                )
            )
        elif row.ref:
            first_seen[row.ref] = line
        if row_problems:
            rejected.add(line)
            problems.extend(row_problems)
        rows.append(row)
        if progress and count % 10_000 == 0:
            progress("checking", count, 0)
    lookups = _lookups(set(first_seen), {row.property_ref for row in rows if row.property_ref})
    area_column = positions.get("area")
    reported = {(p.row, p.column) for p in problems}
    for row in rows:
        row.held = row.ref in lookups.existing
        if not row.held:
            for column in ("first_name", "last_name"):
                if not row.identity.get(column):
                    problems.append(Problem(row.line, column, "", "a new customer needs a name"))
                    rejected.add(row.line)
            if not row.customer_type and (row.line, "customer_type") not in reported:
                problems.append(
                    Problem(
                        row.line, "customer_type", "", "a new customer needs a type (or use --type)"
                    )
                )
                rejected.add(row.line)
        if row.property_ref and row.property_ref not in lookups.properties:
            problems.append(
                Problem(
                    row.line,
                    "property_ref",
                    row.property_ref,
                    "no property has this reference: import the stock first (import places)",
                )
            )
            rejected.add(row.line)
        if area_column is not None and area_column < len(row.cells) and row.cells[area_column]:
            area = row.cells[area_column]
            if normalise(area) not in lookups.areas:
                problems.append(
                    Problem(
                        row.line,
                        "area",
                        area,
                        "no area has this code or name: import the stock first (import places)",
                    )
                )
                rejected.add(row.line)
    problems.sort(key=lambda p: (p.row, p.column))
    valid = [row for row in rows if row.line not in rejected]
    return valid, problems, ignored


def _at(day: dt.date | None, fallback: dt.datetime) -> dt.datetime:
    if day is None:
        return fallback
    return _noon(day)


@lru_cache(maxsize=65_536)
def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _chunks(items: list[Any], size: int = 5000) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A row's answers to add: (customer key, row, [(question, (state, value)), ...]).
_Adding = tuple[int, Row, list[tuple[str, tuple[str, str]]]]


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    added: int = 0
    confirmed: int = 0
    older: int = 0


def apply(rows: list[Row], *, actor: Any, progress: Progress | None = None) -> _Counts:
    """Writes valid rows. Call inside a transaction: a failure anywhere undoes everything.
    ``progress`` may be called while rows are being written, so must not use the database."""
    counts = _Counts()
    now = timezone.now()
    recorder = None if isinstance(actor, str) else actor

    households = {
        h.household_ref: h
        for h in Household.objects.filter(
            household_ref__in=list({r.household_ref for r in rows if r.household_ref})
        )
    }
    properties = {
        p.property_ref: p
        for p in Property.objects.filter(
            property_ref__in=list({r.property_ref for r in rows if r.property_ref})
        )
    }
    missing = [
        Household(household_ref=ref)
        for ref in {r.household_ref for r in rows if r.household_ref} - set(households)
    ]
    Household.objects.bulk_create(missing, batch_size=2000)
    households.update(
        {
            h.household_ref: h
            for h in Household.objects.filter(household_ref__in=[h.household_ref for h in missing])
        }
    )
    moved = []
    for row in rows:
        if row.household_ref and row.property_ref:
            home = households[row.household_ref]
            if home.property_id != properties[row.property_ref].pk:
                home.property = properties[row.property_ref]
                moved.append(home)
    Household.objects.bulk_update(moved, ["property"], batch_size=2000)

    customers: dict[str, Customer] = {}
    last_before = Customer.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for chunk in _chunks([row.ref for row in rows if row.held]):
        customers.update(
            {c.landlord_ref: c for c in Customer.objects.filter(landlord_ref__in=chunk)}
        )
    new: list[tuple[Row, Household | None]] = []
    changed: list[Customer] = []
    changed_fields: set[str] = set()
    for row in rows:
        customer = customers.get(row.ref)
        household = households.get(row.household_ref) if row.household_ref else None
        if customer is None:
            new.append((row, household))
            continue
        wanted = dict(row.identity)
        if row.type_from_file:
            wanted["customer_type"] = row.customer_type
        if household is not None:
            wanted["household_id"] = household.pk
        differs = {
            name: value for name, value in wanted.items() if getattr(customer, name) != value
        }
        if differs:
            for name, value in differs.items():
                setattr(customer, name, value)
            changed_fields.update(differs)
            changed.append(customer)
    public_ids: dict[str, uuid.UUID] = {}  # made as the rows are written

    def public_id(ref: str) -> uuid.UUID:
        public_ids[ref] = made = uuid.uuid4()
        return made

    insert_rows(
        Customer,
        CUSTOMER_FIELDS,
        (
            (
                public_id(row.ref),
                row.ref,
                row.customer_type,
                household.pk if household else None,
                row.identity.get("first_name", ""),
                row.identity.get("last_name", ""),
                row.identity.get("date_of_birth"),
            )
            for row, household in new
        ),
        constants={
            "email": "",
            "phone": "",
            "objects_to_monitoring": False,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        },
    )
    if changed:
        # An import's change is a new version: an edit form opened before it is told.
        for customer in changed:
            customer.version += 1
        Customer.objects.bulk_update(
            changed, sorted(changed_fields | {"updated_at", "version"}), batch_size=2000
        )
    # Each row's customer by key, and each key's public id (for the audit trail).
    keys = {ref: customer.pk for ref, customer in customers.items()}
    public = {customer.pk: customer.public_id for customer in customers.values()}
    if new:
        # The new keys read as a range rather than looked up by reference: keys only grow, and
        # whatever another writer added meanwhile (PostgreSQL) is left out by its reference.
        for ref, pk in Customer.objects.filter(pk__gt=last_before).values_list(
            "landlord_ref", "pk"
        ):
            if ref in public_ids:
                keys[ref], public[pk] = pk, public_ids[ref]
    counts.created, counts.updated = len(new), len(changed)
    if progress:
        progress("customers", len(rows), len(rows))

    # Only customers held before have answers held.
    ids = [keys[row.ref] for row in rows if keys[row.ref] <= last_before]
    current: dict[tuple[int, str], ProfileAnswer] = {}
    for chunk in _chunks(ids, 2000):
        for answer in ProfileAnswer.objects.current().filter(customer_id__in=chunk):
            current[(answer.customer_id, answer.characteristic)] = answer
    questions = characteristics()
    expiry = {item.id: lru_cache(maxsize=4096)(partial(answer_expiry, item)) for item in questions}
    recorder_id = recorder.pk if recorder else None
    kept: list[_Adding] = []  # of customers held before
    superseded: list[ProfileAnswer] = []
    confirmed: list[ProfileAnswer] = []
    touched: set[int] = {c.pk for c in changed} | {keys[row.ref] for row, _ in new}
    for row in rows:
        pk = keys[row.ref]
        if pk > last_before:
            continue  # created by this import: nothing held to compare with (see below)
        when = _at(row.recorded_on, now)
        adding = []
        for question, (state, value) in row.answers.items():
            held = current.get((pk, question))
            outcome = decide(
                None if held is None else Held(held.state, held.value, held.recorded_at),
                state=state, value=value, given_at=when, date_only=row.recorded_on is not None,
            )  # fmt: skip
            if outcome == Outcome.SKIP:
                counts.older += 1
                continue
            if held is not None and outcome == Outcome.CONFIRM:
                # An undated row confirms nothing: it says only that the file holds the answer.
                if row.recorded_on is not None and when > held.last_confirmed_at:
                    held.last_confirmed_at = when
                    confirmed.append(held)
                    touched.add(pk)
                continue
            if held is not None:
                held.is_current = False
                held.superseded_at = now
                superseded.append(held)
            adding.append((question, (state, value)))
        if adding:
            kept.append((pk, row, adding))
            touched.add(pk)
    # Superseded first: a customer has one current answer to each question at any time.
    ProfileAnswer.objects.bulk_update(superseded, ["is_current", "superseded_at"], batch_size=2000)

    def created() -> Iterator[_Adding]:
        """Every answer of the customers this import creates."""
        for done, row in enumerate(rows, start=1):
            pk = keys[row.ref]
            if pk > last_before and row.answers:
                yield pk, row, list(row.answers.items())
            if progress and done % 10_000 == 0:
                progress("answers", done, len(rows))

    def answer_rows(adding: Iterable[_Adding]) -> Iterator[tuple[Any, ...]]:
        """The answers as rows of the answers table, made as they are written (while the rows
        before them are being written)."""
        for pk, row, answers in adding:
            when = _at(row.recorded_on, now)
            day = when.date()
            for question, (state, value) in answers:
                yield (
                    pk,
                    question,
                    state,
                    Bound(value, pk) if value else value,  # sealed for this customer's row
                    row.touchpoint,
                    when,
                    when,
                    expiry[question](day),
                )

    counts.added = insert_rows(
        ProfileAnswer,
        ANSWER_FIELDS,
        answer_rows(chain(kept, created())),
        constants={"recorded_by": recorder_id, "is_current": True},
    )
    if progress:
        progress("saving", len(rows), len(rows))
    ProfileAnswer.objects.bulk_update(confirmed, ["last_confirmed_at"], batch_size=2000)
    counts.confirmed = len(confirmed)

    _preferences(rows, keys, last_before, recorder, now, touched)
    refresh_statistics(Household, Customer, ProfileAnswer, CommunicationPreference)
    if progress:
        progress("preferences", len(rows), len(rows))
    counts.unchanged = len(rows) - len({keys[row.ref] for row in rows} & touched)
    record_many(
        actor=actor,
        action=AuditAction.IMPORT,
        target_type="customer",
        # In order of public id: the audit trail's index on it is then filled from one end.
        target_ids=sorted(str(public[pk]) for pk in touched),
        section="profile",
    )
    return counts


def _preferences(
    rows: list[Row],
    keys: dict[str, int],
    last_before: int,
    recorder: Any,
    now: dt.datetime,
    touched: set[int],
) -> None:
    """Communication preferences from the rows. Only customers held before the import (keys up
    to ``last_before``) can have preferences held."""
    wanted = {keys[row.ref]: row for row in rows if row.preferences}
    held: dict[int, CommunicationPreference] = {}
    for chunk in _chunks([pk for pk in wanted if pk <= last_before], 2000):
        held.update(
            (p.customer_id, p)
            for p in CommunicationPreference.objects.filter(customer_id__in=chunk)
        )
    create: list[tuple[Any, ...]] = []
    update: list[CommunicationPreference] = []
    for customer_id, row in wanted.items():
        preference = held.get(customer_id)
        if preference is None:
            given = row.preferences
            create.append(
                (
                    customer_id,
                    row.touchpoint,
                    _at(row.recorded_on, now),
                    given.get("interpreter_needed", False),
                    given.get("preferred_format", ""),
                    given.get("preferred_contact_method", ""),
                )
            )
            touched.add(customer_id)
            continue
        if any(getattr(preference, name) != value for name, value in row.preferences.items()):
            for name, value in row.preferences.items():
                setattr(preference, name, value)
            preference.source, preference.recorded_at, preference.recorded_by = (
                row.touchpoint,
                _at(row.recorded_on, now),
                recorder,
            )
            update.append(preference)
            touched.add(customer_id)
    insert_rows(
        CommunicationPreference,
        PREFERENCE_FIELDS,
        create,
        constants={
            "recorded_by": recorder.pk if recorder else None,
            "preferred_language": "",
            "contact_times": "",
            "representative": "",
        },
    )
    CommunicationPreference.objects.bulk_update(
        update, [*PREFERENCE_COLUMNS, "source", "recorded_at", "recorded_by"], batch_size=2000
    )


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_customers(
    path: Path,
    *,
    actor: Any,
    mapping_path: Path | None = None,
    default_type: str = "",
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Validates the whole file, then writes it all (or, if asked, only its valid rows)."""
    report = ImportReport(file=path.name, dry_run=dry_run)
    mapping = load_mapping(mapping_path)
    if default_type and (
        default_type not in code_list("customer_type")
        or code_list("customer_type").get(default_type).group
    ):
        raise BadValue(f"{default_type!r} is not a customer type")
    table = read_table(path)
    report.encoding = table.encoding
    valid, problems, ignored = validate(
        table, mapping, default_type=default_type, progress=progress
    )
    report.problems, report.ignored_columns = problems, ignored
    report.valid_rows = len(valid)
    report.rows = len(valid) + len({p.row for p in problems if p.row > 1})
    if problems and not valid_only:
        return report
    with bulk_cache(), transaction.atomic():
        counts = apply(valid, actor=actor, progress=progress)
        Auditor.record(
            actor=actor,
            action=AuditAction.IMPORT,
            target_type="import",
            target_id=file_digest(path)[:16],
            purpose=(
                f"{'dry run: ' if dry_run else ''}{len(valid)} rows; {counts.created} created, "
                f"{counts.updated} updated, {counts.added} answers added"
            ),
        )
        if dry_run:
            transaction.set_rollback(True)
    report.created, report.updated, report.unchanged = (
        counts.created,
        counts.updated,
        counts.unchanged,
    )
    report.answers_added, report.answers_confirmed = counts.added, counts.confirmed
    report.answers_older_skipped = counts.older
    report.written = not dry_run
    return report


def rejected_rows(path: Path, problems: list[Problem]) -> tuple[list[str], list[list[str]]]:
    """The rejected rows of the file, each with its problems, to hand back for correction."""
    table = read_table(path)
    reasons: dict[int, list[str]] = {}
    for problem in problems:
        reasons.setdefault(problem.row, []).append(f"{problem.column}: {problem.reason}")
    rows = [[*cells, "; ".join(reasons[line])] for line, cells in table.rows if line in reasons]
    return [*table.headers, "problems"], rows
