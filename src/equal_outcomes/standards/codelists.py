"""Versioned code lists with English and Welsh labels, loaded from ``data/*.yaml``.

Stored values are always the stable ``code``; labels are for display only. A list may group its
codes under parent groups (GSS ethnicity's five groups, say); a child names its group in
``parent``. The loader validates every list when first used and raises ``CodeListError`` on a
malformed file, so a broken list cannot reach a form or an import.

This module imports no Django at load time, so the analysis engine can use it too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "cy")
PREFER_NOT_TO_SAY = "prefer_not_to_say"

DataClass = Literal["special_category", "vulnerability", "personal"]


class CodeListError(ValueError):
    """A code list file is missing or malformed."""


def current_language() -> str:
    """``cy`` when Django's active language is Welsh, otherwise ``en``."""
    try:
        from django.utils.translation import get_language
    except ImportError:  # pragma: no cover - only without Django installed
        return "en"
    language = get_language() or "en"
    return "cy" if language.startswith("cy") else "en"


@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing, for matching labels and synonyms.

    Cached: imports normalise the same few hundred answers millions of times."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", stripped.casefold()).strip()


#: Words that join a label's parts and may be written as "/" or "," instead.
JOINING_WORDS = frozenset({"or", "and"})


def _words(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split()) - JOINING_WORDS


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Label(_Frozen):
    """A text in English and Welsh."""

    en: str = Field(min_length=1)
    cy: str = Field(min_length=1)

    def text(self, language: str | None = None) -> str:
        return self.cy if (language or current_language()) == "cy" else self.en

    def __str__(self) -> str:
        return self.text()


class Change(_Frozen):
    date: dt.date
    note: str


class Code(_Frozen):
    """One entry of a code list."""

    code: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    label: Label
    # The people who gave this answer, where the answer alone ("Yes") says nothing without its
    # question: "Disabled", "Trans or gender identity differs". Breakdowns and records use it.
    name: Label | None = None
    parent: str | None = None
    group: bool = False
    synonyms: tuple[str, ...] = ()
    since: dt.date | None = None
    expires_after_days: int | None = Field(default=None, gt=0)
    alert: str | None = None
    #: The code's number in a standard that numbers its codes (UK Housing Data Standards 3.5
    #: PersonAlertTypeCode: "10", "20-10" ...).
    hds_code: str | None = None
    shareable: bool = False
    exclusive: bool = False
    min: int | None = None
    max: int | None = None


class CodeList(_Frozen):
    """A versioned list of codes, with the question that asks for one (when it is asked)."""

    id: str
    version: dt.date
    title: Label
    question: Label | None = None
    hint: Label | None = None
    source: str
    changes: tuple[Change, ...] = ()
    multiple: bool = False
    codes: tuple[Code, ...]

    @model_validator(mode="after")
    def _check(self) -> CodeList:
        seen: set[str] = set()
        for code in self.codes:
            if code.code in seen:
                raise ValueError(f"code {code.code!r} appears twice")
            seen.add(code.code)
        groups = {code.code for code in self.codes if code.group}
        for code in self.codes:
            if code.group and code.parent:
                raise ValueError(f"group {code.code!r} cannot have a parent")
            if code.parent is not None and code.parent not in groups:
                raise ValueError(
                    f"{code.code!r} names parent {code.parent!r}, which is not a group"
                )
        return self

    @cached_property
    def _by_code(self) -> dict[str, Code]:
        return {code.code: code for code in self.codes}

    @cached_property
    def _matcher(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for code in self.codes:
            if code.group:
                continue
            for text in (code.code, code.label.en, code.label.cy, *code.synonyms):
                table.setdefault(normalise(text), code.code)
        return table

    @cached_property
    def _token_matcher(self) -> dict[frozenset[str], str]:
        """Labels and synonyms as sets of words, for wordings that order or join the same words
        differently ("English, Welsh, Northern Irish, Scottish or British"; "Straight/
        Heterosexual"); a set that two codes share matches neither."""
        table: dict[frozenset[str], str] = {}
        shared: set[frozenset[str]] = set()
        for code in self.codes:
            if code.group:
                continue
            for text in (code.label.en, code.label.cy, *code.synonyms):
                words = _words(text)
                if table.setdefault(words, code.code) != code.code:
                    shared.add(words)
        return {words: code for words, code in table.items() if words not in shared}

    def _lookup(self, text: str) -> str | None:
        found = self._matcher.get(normalise(text))
        return found if found is not None else self._token_matcher.get(_words(text))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def get(self, code: str) -> Code:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a code in {self.id}") from None

    def label(self, code: str, language: str | None = None) -> str:
        return self.get(code).label.text(language)

    def group_name(self, code: str, language: str | None = None) -> str:
        """The people who gave an answer, in words that stand without the question."""
        found = self.get(code)
        return (found.name or found.label).text(language)

    @property
    def groups(self) -> tuple[Code, ...]:
        return tuple(code for code in self.codes if code.group)

    @property
    def selectable(self) -> tuple[Code, ...]:
        """The codes a person can choose (groups are headings, not answers)."""
        return tuple(code for code in self.codes if not code.group)

    def children(self, group: str) -> tuple[Code, ...]:
        return tuple(code for code in self.codes if code.parent == group)

    def parent_of(self, code: str) -> str | None:
        return self.get(code).parent

    def match(self, value: str) -> str | None:
        """The code for a stored code, label (English or Welsh) or synonym, in any case; or,
        as housing systems write a group and its answer ("White: Welsh", "Asian or Asian
        British - Indian"), the answer when the group named is its own."""
        found = self._lookup(value)
        if found is not None:
            return found
        for separator in (":", " - ", " \u2013 "):
            head, _sep, tail = value.partition(separator)
            if not tail:
                continue
            code = self._lookup(tail)
            parent = self.get(code).parent if code is not None and code in self else None
            if parent and (
                self._matcher.get(normalise(head)) == parent or parent in normalise(head).split()
            ):
                return code
        return None

    def choices(self, language: str | None = None) -> list[tuple[str, str]]:
        return [(code.code, code.label.text(language)) for code in self.selectable]


class Characteristic(_Frozen):
    """A profile question: which code list answers it and how its data is classed."""

    id: str
    code_list: str
    data_class: DataClass
    protected: str | None = None
    asked_when: dict[str, str] = Field(default_factory=dict)
    #: Who the question is for (issue 28, item 9): people this age or older, as the census
    #: asks sexual orientation, gender identity and legal partnership status of those 16 and
    #: over. Coverage and comparisons count only them.
    min_age: int | None = Field(default=None, ge=0)
    #: Answers that hold only for a while (pregnancy): coverage is judged against the people
    #: asked within the answers' life, not everyone.
    asked_in_period: bool = False

    @property
    def codes(self) -> CodeList:
        return code_list(self.code_list)

    def eligible(self, age: int | None) -> bool:
        """Whether someone of this age is asked the question (an unknown age is)."""
        return self.min_age is None or age is None or age >= self.min_age

    @property
    def period_days(self) -> int | None:
        """How long an answer to a question asked in a period holds: its shortest expiry."""
        if not self.asked_in_period:
            return None
        days = [code.expires_after_days for code in self.codes.codes if code.expires_after_days]
        return min(days) if days else None


class PreferNotToSay(_Frozen):
    label: Label
    synonyms: tuple[str, ...]


class Characteristics(_Frozen):
    version: dt.date
    prefer_not_to_say: PreferNotToSay
    characteristics: tuple[Characteristic, ...]

    @cached_property
    def _by_id(self) -> dict[str, Characteristic]:
        return {item.id: item for item in self.characteristics}

    def get(self, characteristic_id: str) -> Characteristic:
        try:
            return self._by_id[characteristic_id]
        except KeyError:
            raise KeyError(f"{characteristic_id!r} is not a profile characteristic") from None

    def __iter__(self) -> Iterator[Characteristic]:  # type: ignore[override]
        return iter(self.characteristics)

    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    @cached_property
    def _prefer_not_to_say(self) -> frozenset[str]:
        texts = (
            PREFER_NOT_TO_SAY,
            self.prefer_not_to_say.label.en,
            self.prefer_not_to_say.label.cy,
            *self.prefer_not_to_say.synonyms,
        )
        return frozenset(normalise(text) for text in texts)

    def is_prefer_not_to_say(self, value: str) -> bool:
        return normalise(value) in self._prefer_not_to_say


# YAML's safe loader in C (libyaml, in PyYAML's wheels), where there is one: the same values as
# yaml.safe_load, seven times faster on the shipped code lists, framework and indicators (0.05 s
# against 0.35 s), which every process reads.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SafeLoader)  # noqa: S506 - a safe loader, in C
    except FileNotFoundError:
        raise CodeListError(f"no code list file {path.name}") from None
    except yaml.YAMLError as error:
        raise CodeListError(f"{path.name} is not valid YAML: {error}") from None


@cache
def code_list(list_id: str) -> CodeList:
    """The code list with this id, validated."""
    if not re.fullmatch(r"[a-z0-9_]+", list_id):
        raise CodeListError(f"{list_id!r} is not a code list name")
    path = DATA_DIR / f"{list_id}.yaml"
    try:
        loaded = CodeList.model_validate(_read(path))
    except ValidationError as error:
        raise CodeListError(f"{path.name}: {error}") from None
    if loaded.id != list_id:
        raise CodeListError(f"{path.name} declares id {loaded.id!r}")
    return loaded


@cache
def characteristics() -> Characteristics:
    """The profile questions, in order, each tied to its code list."""
    path = DATA_DIR / "characteristics.yaml"
    try:
        manifest = Characteristics.model_validate(_read(path))
    except ValidationError as error:
        raise CodeListError(f"{path.name}: {error}") from None
    for item in manifest.characteristics:
        code_list(item.code_list)
    return manifest


def all_code_lists() -> list[CodeList]:
    """Every code list shipped in ``data/``."""
    return [
        code_list(path.stem)
        for path in sorted(DATA_DIR.glob("*.yaml"))
        if path.stem != "characteristics"
    ]
