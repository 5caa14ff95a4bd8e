"""Plain words on every page, in both languages (issue 27, items 2 and 3): each role's pages,
walked by following links from the start page as a person would, show no code, key or Python
value, and the Welsh pages no English."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from equal_outcomes.accounts.models import User
from equal_outcomes.accounts.roles import Role
from equal_outcomes.customers.models import Area
from equal_outcomes.imports.customers import CANONICAL
from equal_outcomes.imports.places import COLUMNS
from equal_outcomes.standards import codelists
from tests.auth import signed_in
from tests.pages import Words, crawl, entered_texts, read

pytestmark = pytest.mark.django_db

LOCALE = settings.LOCALE_PATHS[0]

# A Python value printed as it is: a list of pairs, a dict, an object, None or a bool.
REPR = re.compile(
    r"\[\(|\('|\{'|': |object at 0x|<\w+(\.\w+)*: |Decimal\(|datetime\.|\b(True|False)\b"
)
SNAKE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.@/-])")
CRITERION_ID = re.compile(r"\b[a-z]{2,4}-[a-z]\d+\b")
# Words that a Welsh sentence does not use and nearly every English one does.
ENGLISH = {
    "the", "and", "with", "for", "of", "your", "this", "that", "are", "has", "have", "been",
    "what", "who", "how", "you", "we", "by", "from", "not", "there", "their", "was", "were",
    "will", "can", "which", "when", "should", "no", "yes", "or", "on", "in", "at", "it", "be",
}  # fmt: skip


# The columns an import file may have are named as the file must name them.
FILE_COLUMNS = set(COLUMNS) | set(CANONICAL)


@pytest.fixture(scope="module")
def landlord(module_db: Any) -> dict[Role, User]:
    call_command("demo", customers=300, seed=3, stdout=io.StringIO())
    return {role: User.objects.filter(role=role).first() for role in Role}


def codes() -> set[str]:
    """Codes that differ from every label: a page showing one shows a code."""
    found = {area.code for area in Area.objects.all() if area.code != area.name}
    labels: set[str] = set()
    for listed in codelists.all_code_lists():
        for category in listed.codes:
            found.add(category.code)
            labels.update((category.label.en, category.label.cy))
    return {code for code in found if code not in labels and len(code) > 2}


def english_msgids() -> set[str]:
    """English a Welsh page would show if a string were not translated."""
    with (LOCALE / "cy" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    return {
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and message.string
        and message.string != message.id
        and len(message.id) > 3
    }


def code_findings(words: list[Words], known: set[str]) -> Iterator[str]:
    for run in words:
        text = run.text
        found = [
            match.group(0)
            for pattern in (REPR, SNAKE, CRITERION_ID)
            for match in pattern.finditer(text)
            if match.group(0) not in FILE_COLUMNS
        ]
        if text in known:
            found.append(text)
        if found:
            yield f"{found[0]!r} in {text[:80]!r}"


def english_findings(words: list[Words], english: set[str]) -> Iterator[str]:
    for run in words:
        if run.lang and not run.lang.startswith("cy"):
            continue
        said = re.findall(r"[A-Za-z]+", run.text.lower())
        if run.text in english or sum(word in ENGLISH for word in said) >= 2:
            yield run.text


def typed(found: list[str], entered: list[str]) -> list[str]:
    """Findings that are not text a person typed (a name, an address, an action's title)."""
    return sorted({text for text in found if not any(value in text for value in entered)})


@pytest.mark.parametrize("role", list(Role))
def test_no_page_shows_a_code_or_a_python_value(landlord: dict[Role, User], role: Role) -> None:
    known, entered = codes(), entered_texts()
    problems: dict[str, list[str]] = {}
    for path, html in crawl(signed_in(landlord[role])):
        if found := typed(list(code_findings(read(html)[0], known)), entered):
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize("role", list(Role))
def test_no_welsh_page_shows_english(landlord: dict[Role, User], role: Role) -> None:
    english, entered = english_msgids(), entered_texts()
    client = signed_in(landlord[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    problems: dict[str, list[str]] = {}
    for path, html in crawl(client):
        if found := typed(list(english_findings(read(html)[0], english)), entered):
            problems[path] = [text[:100] for text in found]
    assert problems == {}
