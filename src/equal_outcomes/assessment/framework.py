"""The Social Housing Equality Framework and Tai Pawb's toolkits, loaded from the data files
shipped in ``assessment/data`` (``frameworks/*.yaml``, ``toolkits/*.yaml``).

An edition is every area of the framework with its criteria (numbered ``L.N``, where ``L`` is
the level: 1 Developing, 2 Achieving, 3 Excellent) and the questions to ask at each level.
Editions are selectable per assessment; the files keep the source's wording, including where
editions differ ("every three years" in 2012, "every four years" later).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from equal_outcomes.standards.codelists import SafeLoader

DATA = Path(__file__).parent / "data"
# The Welsh of every text in the framework and toolkit files, by its English (data/cy.yaml).
WELSH = DATA / "cy.yaml"
# Keys whose value a person reads, and keys holding lists of such texts.
TEXTS = frozenset(
    {"title", "short_title", "text", "outcome", "reference_text", "problem", "source"}
)
TEXT_LISTS = frozenset({"risks", "actions", "people", "story"})
LEVELS: tuple[str, ...] = ("developing", "achieving", "excellent")
# A level as people read it; "" is an area that has not reached Developing.
LEVEL_NAMES = {"": _("Not yet Developing"), "developing": _("Developing"),
               "achieving": _("Achieving"), "excellent": _("Excellent")}  # fmt: skip
Level = Literal["developing", "achieving", "excellent"]
_T = TypeVar("_T", bound=BaseModel)


class FrameworkError(ValueError):
    """A framework or toolkit file that cannot be used; the message says why."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Frozen):
    """How live figures answer a question (see ``assessment.evidence``)."""

    kind: Literal[
        "coverage",
        "coverage_groups",
        "kept_up_to_date",
        "analysed",
        "no_worse_groups",
        "standard_met",
        "contractors",
        "cross_section",
        "communication_met",
        "benchmarks",
        "objectives_reviewed",
        "impact_assessments",
        "impact_mitigation",
        # The workforce's (``assessment.workforce_evidence``).
        "labour_market",
        "workforce_targets",
        "recruitment_monitored",
        "targets_met",
        "pay_review",
        "pay_gaps_closed",
        "training_complete",
        "staff_agree",
        "leadership_representative",
        "board_trained",
    ]
    at_least: float = Field(default=0.0, ge=0, le=1)
    within_years: int = Field(default=3, ge=1, le=10)
    indicators: tuple[str, ...] = ()
    measure: str = ""  # staff_agree: the staff survey question


class Question(_Frozen):
    id: str = Field(pattern=r"^[a-z]+-[dae]\d+$")
    text: str = Field(min_length=5)
    evidence: Evidence | None = None


class Criterion(_Frozen):
    number: str = Field(pattern=r"^[123]\.\d+$")
    text: str = Field(min_length=5)
    printed_as: str | None = None  # where the source prints another number, or none

    @property
    def level(self) -> str:
        return LEVELS[int(self.number[0]) - 1]


class Theme(_Frozen):
    title: str
    criteria: tuple[Criterion, ...]


class Area(_Frozen):
    id: str
    code: str
    title: str
    themes: tuple[Theme, ...]
    questions: dict[Level, tuple[Question, ...]]

    @property
    def criteria(self) -> list[Criterion]:
        return [criterion for theme in self.themes for criterion in theme.criteria]

    def criteria_at(self, level: str) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.level == level]

    def questions_at(self, level: str) -> tuple[Question, ...]:
        return self.questions.get(level, ())  # type: ignore[call-overload,no-any-return]

    @property
    def all_questions(self) -> list[Question]:
        return [q for level in LEVELS for q in self.questions_at(level)]


class Edition(_Frozen):
    id: str
    title: str
    short_title: str
    source: str
    levels: dict[Level, str]
    areas: tuple[Area, ...]

    @model_validator(mode="after")
    def _unique(self) -> Edition:
        numbers = [c.number for area in self.areas for c in area.criteria]
        ids = [q.id for area in self.areas for q in area.all_questions]
        for kind, values in (("criterion number", numbers), ("question id", ids)):
            if len(values) != len(set(values)):
                raise ValueError(f"a {kind} appears twice")
        return self

    @cached_property
    def questions(self) -> dict[str, tuple[Area, str, Question]]:
        """Every question by id, with its area and level."""
        return {
            q.id: (area, level, q)
            for area in self.areas
            for level in LEVELS
            for q in area.questions_at(level)
        }

    @cached_property
    def criteria(self) -> dict[str, tuple[Area, Criterion]]:
        return {c.number: (area, c) for area in self.areas for c in area.criteria}

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"{self.id} has no area {area_id!r}")


class StatisticalIndicator(_Frozen):
    text: str
    indicators: tuple[str, ...] = ()
    among: str = ""  # an event type whose customers are compared with the customer base
    figure: str = ""  # a figure from the landlord's own registers


class RiskGroup(_Frozen):
    problem: str
    risks: tuple[str, ...]
    actions: tuple[str, ...]


class SubOutcome(_Frozen):
    id: str
    title: str
    reference_text: str
    statistics: tuple[StatisticalIndicator, ...]
    people: tuple[str, ...]
    story: tuple[str, ...]
    risks_and_actions: tuple[RiskGroup, ...]


class Toolkit(_Frozen):
    id: str
    title: str
    source: str
    outcome: str
    sub_outcomes: tuple[SubOutcome, ...]

    def sub_outcome(self, sub_id: str) -> SubOutcome:
        for sub in self.sub_outcomes:
            if sub.id == sub_id:
                return sub
        raise KeyError(f"{self.id} has no sub-outcome {sub_id!r}")


def texts(data: object) -> Iterator[str]:
    """Every text a person reads in a framework or toolkit file's data, in order."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "levels" and isinstance(value, dict):
                yield from (str(text) for text in value.values())
            elif key in TEXTS and isinstance(value, str):
                yield value
            elif key in TEXT_LISTS and isinstance(value, list):
                yield from (text for text in value if isinstance(text, str))
            else:
                yield from texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from texts(item)


def _translated(data: object, welsh: dict[str, str]) -> object:
    """The file's data with each text a person reads in Welsh, where ``welsh`` has it."""
    if isinstance(data, dict):
        found: dict[str, object] = {}
        for key, value in data.items():
            if key == "levels" and isinstance(value, dict):
                found[key] = {level: welsh.get(text, text) for level, text in value.items()}
            elif key in TEXTS and isinstance(value, str):
                found[key] = welsh.get(value, value)
            elif key in TEXT_LISTS and isinstance(value, list):
                found[key] = [welsh.get(text, text) for text in value]
            else:
                found[key] = _translated(value, welsh)
        return found
    if isinstance(data, list):
        return [_translated(item, welsh) for item in data]
    return data


@cache
def welsh() -> dict[str, str]:
    """English text → its Welsh, for everything the framework and toolkit files say."""
    loaded = yaml.load(WELSH.read_text(encoding="utf-8"), Loader=SafeLoader) or []  # noqa: S506 - a safe loader, in C
    return {str(pair["en"]): str(pair["cy"]) for pair in loaded}


def _load(path: Path, model: type[_T], language: str = "en") -> _T:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506 - a safe loader, in C
        if language == "cy":
            data = _translated(data, welsh())
        return model.model_validate(data)
    except (OSError, yaml.YAMLError) as error:
        raise FrameworkError(f"cannot read {path}: {error}") from None
    except ValidationError as error:
        raise FrameworkError(f"{path.name}: {error}") from None


def _catalogue(folder: str, model: type[_T], language: str) -> dict[str, _T]:
    """Every file in a data folder, by its id, in ``language``."""
    found = [_load(path, model, language) for path in sorted((DATA / folder).glob("*.yaml"))]
    return {item.id: item for item in found}  # type: ignore[attr-defined]


def _one(found: dict[str, _T], wanted: str, kind: str) -> _T:
    try:
        return found[wanted]
    except KeyError:
        raise FrameworkError(f"no {kind} {wanted!r}") from None


def _language() -> str:
    return "cy" if (get_language() or "en").startswith("cy") else "en"


@cache
def _editions(language: str) -> dict[str, Edition]:
    return _catalogue("frameworks", Edition, language)


def editions() -> dict[str, Edition]:
    """Every edition of the framework shipped, by id, in the reader's language."""
    return _editions(_language())


def edition(edition_id: str) -> Edition:
    return _one(editions(), edition_id, "framework edition")


@cache
def _toolkits(language: str) -> dict[str, Toolkit]:
    return _catalogue("toolkits", Toolkit, language)


def toolkits() -> dict[str, Toolkit]:
    """Every toolkit shipped, by id, in the reader's language."""
    return _toolkits(_language())


def toolkit(toolkit_id: str) -> Toolkit:
    return _one(toolkits(), toolkit_id, "toolkit")


def translated(toolkit_id: str, language: str) -> Toolkit:
    """A toolkit in a given language, whoever is reading: for texts stored in either."""
    return _one(_toolkits(language), toolkit_id, "toolkit")
