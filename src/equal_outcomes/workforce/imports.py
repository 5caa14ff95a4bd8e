"""Importing HR records (CSV or XLSX) by the customers' import rules.

Files are read by the same reader (UTF-8 with or without a byte-order mark, or Windows-1252;
XLSX; leading zeros kept), with the same mapping files for other columns and values, and the
same code lists and synonyms for equality answers. Every row is checked first and every problem
reported (row, column, value, reason); nothing is written unless every row passes, unless the
caller asks for the valid rows only. Each kind has a key (a reference, or the columns that
identify a row), so re-importing the same file changes nothing.

The canonical columns of each kind are in ``KINDS``; every kind with people takes the equality
columns ``sex``, ``gender_identity``, ``sexual_orientation``, ``ethnicity``, ``religion``,
``disability`` and ``date_of_birth``.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.readers import read_table
from equal_outcomes.imports.customers import Problem, cell_answer, file_digest
from equal_outcomes.imports.mapping import Mapping, load_mapping
from equal_outcomes.imports.values import BadValue, is_not_known, parse_date, parse_yes_no
from equal_outcomes.standards.codelists import normalise
from equal_outcomes.workforce.analysis import category_choices
from equal_outcomes.workforce.models import (
    Application,
    Benchmark,
    Body,
    Case,
    CaseKind,
    Comparison,
    LeavingReason,
    StaffMember,
    Stage,
    SurveyResponse,
    Training,
)

EQUALITY_COLUMNS = (
    "sex",
    "gender_identity",
    "sexual_orientation",
    "ethnicity",
    "religion",
    "disability",
)
AGREE = frozenset({"agree", "strongly agree", "mostly agree", "satisfied", "very satisfied"})
DISAGREE = frozenset(
    {
        "disagree",
        "strongly disagree",
        "neither agree nor disagree",
        "neither",
        "dissatisfied",
        "very dissatisfied",
        "neither satisfied nor dissatisfied",
    }
)
MAX_TEXT = 100
MAX_PAY = Decimal(1000)


class Parser(ABC):
    """Checks one kind of cell; ``__call__`` returns the value or raises ``BadValue``."""

    @abstractmethod
    def __call__(self, value: str, extra: dict[str, str]) -> Any: ...


@dataclass(frozen=True)
class Text(Parser):
    length: int = MAX_TEXT

    def __call__(self, value: str, extra: dict[str, str]) -> str:
        if len(value) > self.length:
            raise BadValue(f"longer than {self.length} characters")
        return value


@dataclass(frozen=True)
class Day(Parser):
    """A date, not in the future."""

    def __call__(self, value: str, extra: dict[str, str]) -> dt.date:
        day = parse_date(value)
        if day > timezone.localdate():
            raise BadValue("the date is in the future")
        if day.year < 1900:
            raise BadValue("the date is before 1900")
        return day


@dataclass(frozen=True)
class YesNo(Parser):
    """Yes or no, or a survey's agree / disagree scale."""

    def __call__(self, value: str, extra: dict[str, str]) -> bool:
        folded = normalise(extra.get(value, value))
        if folded in AGREE:
            return True
        if folded in DISAGREE:
            return False
        return parse_yes_no(folded)


@dataclass(frozen=True)
class Pay(Parser):
    """Hourly pay in pounds: "12.50", "£12.50"."""

    def __call__(self, value: str, extra: dict[str, str]) -> Decimal:
        try:
            amount = Decimal(value.replace("£", "").replace(",", "").strip())
        except InvalidOperation:
            raise BadValue("not an amount of money, for example 12.50") from None
        if not amount.is_finite() or not 0 < amount < MAX_PAY:
            raise BadValue(f"hourly pay must be more than £0 and less than £{MAX_PAY}")
        return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Share(Parser):
    """A percentage from 0 to 100: "12.5", "12.5%"."""

    def __call__(self, value: str, extra: dict[str, str]) -> Decimal:
        try:
            share = Decimal(value.replace("%", "").strip())
        except InvalidOperation:
            raise BadValue("not a percentage, for example 12.5") from None
        if not share.is_finite() or not 0 <= share <= 100:
            raise BadValue("a share must be from 0 to 100")
        return share.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Choice(Parser):
    """One of a set of choices, by code or label in any case, or a mapping file's value."""

    choices: type[models.TextChoices]
    synonyms: tuple[tuple[str, str], ...] = ()

    def __call__(self, value: str, extra: dict[str, str]) -> str:
        wanted = normalise(extra.get(value, value))
        known = {normalise(code): code for code in self.choices.values}
        known.update({normalise(str(label)): code for code, label in self.choices.choices})
        known.update({normalise(text): code for text, code in self.synonyms})
        if wanted not in known:
            raise BadValue(f"not one of: {', '.join(self.choices.values)}")
        return known[wanted]


@dataclass(frozen=True)
class Answer(Parser):
    """An equality answer from the customers' code lists: a code, or prefer not to say."""

    question: str

    def __call__(self, value: str, extra: dict[str, str]) -> str:
        outcome = cell_answer(self.question, value, extra)
        if isinstance(outcome, str):
            raise BadValue(outcome)
        assert outcome is not None  # blank and "not known" cells never reach a parser
        state, code = outcome
        return code if state == "answered" else "prefer_not_to_say"


@dataclass(frozen=True)
class Born(Parser):
    def __call__(self, value: str, extra: dict[str, str]) -> str:
        day = parse_date(value)
        today = timezone.localdate()
        if not dt.date(1900, 1, 1) <= day <= today.replace(year=today.year - 14):
            raise BadValue("a date of birth must be after 1900 and at least 14 years ago")
        return day.isoformat()


@dataclass(frozen=True)
class Kind:
    """One kind of HR record: its canonical columns, the ones that must be filled, the columns
    that identify a row, and whether rows carry equality answers."""

    model: type[models.Model]
    columns: dict[str, Parser]
    required: tuple[str, ...]
    key: tuple[str, ...]
    equality: bool = True
    fixed: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # column: model field, where they differ


STAFF_COLUMNS: dict[str, Parser] = {
    "staff_ref": Text(32),
    "senior_manager": YesNo(),
    "job_title": Text(),
    "grade": Text(32),
    "hourly_pay": Pay(),
    "started_on": Day(),
    "left_on": Day(),
    "leaving_reason": Choice(
        LeavingReason, (("resignation", "resigned"), ("retirement", "retired"))
    ),
}
STAFF_FIELDS = {"staff_ref": "reference"}
KINDS: dict[str, Kind] = {
    "staff": Kind(
        StaffMember, STAFF_COLUMNS, ("staff_ref",), ("staff_ref",),
        fixed={"body": Body.STAFF}, fields=STAFF_FIELDS,
    ),
    "board": Kind(
        StaffMember, STAFF_COLUMNS, ("staff_ref",), ("staff_ref",),
        fixed={"body": Body.BOARD}, fields=STAFF_FIELDS,
    ),
    "applications": Kind(
        Application,
        {
            "application_ref": Text(32),
            "vacancy": Text(64),
            "applied_on": Day(),
            "stage": Choice(Stage, (("short-listed", "shortlisted"), ("offered", "appointed"),
                                    ("hired", "appointed"), ("rejected at sift", "applied"))),
        },
        ("application_ref", "applied_on", "stage"), ("application_ref",),
        fields={"application_ref": "reference"},
    ),
    "training": Kind(
        Training,
        {
            "staff_ref": Text(32),
            "course": Text(),
            "equality_and_diversity": YesNo(),
            "completed_on": Day(),
        },
        ("staff_ref", "course", "completed_on"), ("staff_ref", "course", "completed_on"),
        equality=False, fields={"staff_ref": "staff"},
    ),
    "survey": Kind(
        SurveyResponse,
        {
            "survey": Text(64),
            "response_ref": Text(32),
            "responded_on": Day(),
            "satisfied": YesNo(),
            "fair_employer": YesNo(),
            "treated_with_respect": YesNo(),
            "safe_at_work": YesNo(),
        },
        ("survey", "response_ref", "responded_on"), ("survey", "response_ref"),
        fields={"response_ref": "reference"},
    ),
    "cases": Kind(
        Case,
        {
            "case_ref": Text(32),
            "kind": Choice(CaseKind),
            "staff_ref": Text(32),
            "opened_on": Day(),
            "closed_on": Day(),
            "upheld": YesNo(),
        },
        ("case_ref", "kind", "opened_on"), ("case_ref",), equality=False,
        fields={"case_ref": "reference", "staff_ref": "staff"},
    ),
    "benchmarks": Kind(
        Benchmark,
        {
            "comparison": Choice(Comparison, (("labour market", "labour_market"),)),
            "body": Choice(Body),
            "characteristic": Text(40),
            "category": Text(40),
            "share": Share(),
            "source": Text(200),
        },
        ("comparison", "characteristic", "category", "share"),
        ("comparison", "body", "characteristic", "category"), equality=False,
    ),
}  # fmt: skip
ANSWER_COLUMNS = (*EQUALITY_COLUMNS, "date_of_birth")
for _kind in KINDS.values():
    if _kind.equality:
        _kind.columns.update({name: Answer(name) for name in EQUALITY_COLUMNS})
        _kind.columns["date_of_birth"] = Born()


@dataclass
class WorkforceImportReport:
    file: str
    kind: str
    rows: int = 0
    valid_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    dry_run: bool = False
    encoding: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [asdict(problem) for problem in self.problems]
        return data


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    answers: dict[str, str]


def _positions(
    headers: list[str], kind: Kind, mapping: Mapping
) -> tuple[dict[str, int], list[str], list[Problem]]:
    renamed = {
        normalise(theirs).replace(" ", "_"): ours for theirs, ours in mapping.columns.items()
    }
    positions: dict[str, int] = {}
    ignored, problems = [], []
    for index, header in enumerate(headers):
        key = normalise(header).replace(" ", "_")
        canonical = renamed.get(key, key)
        if canonical == "ignore":
            continue
        if canonical not in kind.columns:
            ignored.append(header)
        elif canonical in positions:
            problems.append(Problem(1, header, header, "this column appears twice"))
        else:
            positions[canonical] = index
    for column in kind.required:
        if column not in positions:
            problems.append(Problem(1, column, "", f"there is no {column} column"))
    return positions, ignored, problems


def _check(kind_name: str, kind: Kind, row: _Row, fail: Callable[[str, str, str], None]) -> None:
    """Rules across columns, and references to other records."""
    values = row.values
    if (
        values.get("left_on")
        and values.get("started_on")
        and values["left_on"] < values["started_on"]
    ):
        fail("left_on", str(values["left_on"]), "the leaving date is before the start date")
    if values.get("leaving_reason") and not values.get("left_on"):
        fail(
            "leaving_reason", values["leaving_reason"], "a reason for leaving needs a left_on date"
        )
    if values.get("closed_on") and values["closed_on"] < values["opened_on"]:
        fail("closed_on", str(values["closed_on"]), "the case closed before it opened")
    if kind_name == "benchmarks":
        characteristic, category = values["characteristic"], values["category"]
        choices = category_choices()
        if characteristic not in choices:
            fail("characteristic", characteristic, f"not one of: {', '.join(choices)}")
        elif category not in choices[characteristic]:
            fail("category", category, f"not a {characteristic} category")


def validate(
    path: Path, kind_name: str, mapping: Mapping
) -> tuple[list[_Row], list[Problem], list[str], str, int, set[str]]:
    kind = KINDS[kind_name]
    table = read_table(path)
    positions, ignored, problems = _positions(table.headers, kind, mapping)
    if problems:
        return [], problems, ignored, table.encoding, 0, set(positions)
    staff_refs = set(StaffMember.objects.values_list("reference", flat=True))
    rows: list[_Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    total = 0
    for line, cells in table.rows:
        total += 1
        row = _Row(line, dict(kind.fixed), {})
        bad: list[Problem] = []

        def fail(
            column: str, value: str, reason: str, line: int = line, bad: list[Problem] = bad
        ) -> None:
            bad.append(Problem(line, column, value[:60], reason))

        for column, index in positions.items():
            value = cells[index] if index < len(cells) else ""
            if is_not_known(value):
                if column in kind.required:
                    fail(column, value, "this column must be filled in")
                continue
            try:
                parsed = kind.columns[column](value, mapping.values.get(column, {}))
            except BadValue as error:
                fail(column, value, str(error))
                continue
            if isinstance(kind.columns[column], Answer | Born):
                row.answers[column] = parsed
            else:
                row.values[column] = parsed
        if (
            "staff_ref" in row.values
            and kind.model is not StaffMember
            and row.values["staff_ref"] not in staff_refs
        ):
            fail("staff_ref", row.values["staff_ref"], "no member of staff has this reference")
        if not bad:
            _check(kind_name, kind, row, fail)
        key = tuple(row.values.get(column) for column in kind.key)
        if not bad and key in seen:
            fail(kind.key[0], str(key[0]), f"the same as row {seen[key]}")
        if bad:
            problems.extend(bad)
        else:
            seen[key] = line
            rows.append(row)
    return rows, problems, ignored, table.encoding, total, set(positions)


def _field_values(
    kind: Kind, row: _Row, staff: dict[str, StaffMember], present: set[str]
) -> dict[str, Any]:
    """The model's values from the columns the file has (a column left out keeps what is
    held; a blank cell clears it)."""
    values: dict[str, Any] = {}
    for column in kind.columns:
        if column not in present:
            continue
        if isinstance(kind.columns[column], Answer | Born):
            continue
        name = kind.fields.get(column, column)
        value = row.values.get(column)
        if name == "staff":
            value = staff.get(value) if value else None
        elif value is None:
            value = _blank(kind.model, name)
        values[name] = value
    values.update(kind.fixed)
    return values


def _blank(model: type[models.Model], name: str) -> Any:
    model_field: Any = model._meta.get_field(name)
    if model_field.null:
        return None
    return model_field.get_default() if model_field.has_default() else ""


def _key_of(kind: Kind, obj: models.Model) -> tuple[Any, ...]:
    key = []
    for column in kind.key:
        name = kind.fields.get(column, column)
        value = getattr(obj, name)
        key.append(value.reference if isinstance(value, StaffMember) else value)
    return tuple(key)


def _apply(kind: Kind, rows: list[_Row], present: set[str]) -> tuple[int, int, int]:
    staff = {member.reference: member for member in StaffMember.objects.all()}
    manager: Any = kind.model._default_manager
    held: dict[tuple[Any, ...], Any] = {
        _key_of(kind, obj): obj for obj in manager.select_related().all()
    }
    new: list[Any] = []
    changed: list[Any] = []
    unchanged = 0
    for row in rows:
        values = _field_values(kind, row, staff, present)
        key = tuple(row.values.get(column) for column in kind.key)
        obj = held.get(key)
        if obj is None:
            created: Any = kind.model(**values)
            if kind.equality:
                created.set_answers(row.answers)
            new.append(created)
            continue
        differs = [name for name, value in values.items() if getattr(obj, name) != value]
        if kind.equality and present & set(ANSWER_COLUMNS) and obj.answers != row.answers:
            obj.set_answers(row.answers)
            differs.append("equality")
        if not differs:
            unchanged += 1
            continue
        for name in differs:
            if name != "equality":
                setattr(obj, name, values[name])
        changed.append(obj)
    manager.bulk_create(new, batch_size=2000)
    fields = [f.name for f in kind.model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for obj in changed:
        if hasattr(obj, "updated_at"):
            obj.updated_at = now
    if changed:
        manager.bulk_update(changed, fields, batch_size=2000)
    return len(new), len(changed), unchanged


def import_workforce(
    path: Path,
    kind_name: str,
    *,
    actor: Any,
    mapping_path: Path | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
) -> WorkforceImportReport:
    """Validates the whole file, then writes it all (or, if asked, only its valid rows)."""
    if kind_name not in KINDS:
        raise BadValue(f"the kind must be one of: {', '.join(KINDS)}")
    report = WorkforceImportReport(file=path.name, kind=kind_name, dry_run=dry_run)
    mapping = load_mapping(mapping_path)
    rows, problems, ignored, encoding, total, present = validate(path, kind_name, mapping)
    report.problems, report.ignored_columns, report.encoding = problems, ignored, encoding
    report.rows, report.valid_rows = total, len(rows)
    if problems and (not valid_only or any(p.row == 1 for p in problems)):
        return report
    with transaction.atomic():
        report.created, report.updated, report.unchanged = _apply(KINDS[kind_name], rows, present)
        Auditor.record(
            actor=actor,
            action=AuditAction.IMPORT,
            target_type="workforce",
            target_id=f"{kind_name}:{file_digest(path)[:16]}",
            purpose=(
                f"{'dry run: ' if dry_run else ''}{len(rows)} {kind_name} rows; "
                f"{report.created} created, {report.updated} updated"
            ),
        )
        if dry_run:
            transaction.set_rollback(True)
    report.written = not dry_run
    return report


__all__ = ["KINDS", "WorkforceImportReport", "import_workforce"]
