"""Turning one cell of another system's export into a code, a date or a yes/no."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from equal_outcomes.standards.codelists import CodeList, characteristics, normalise

NOT_KNOWN = frozenset(
    normalise(text)
    for text in (
        "not known",
        "unknown",
        "n/k",
        "nk",
        "not recorded",
        "not asked",
        "n/a",
        "-",
        "?",
        "not stated",
        "don't know",
        "not known (not recorded)",
        "person asked and does not know or is not sure",
    )
)
YES = frozenset({"y", "yes", "true", "1", "ie", "oes", "ydw", "ydy"})
NO = frozenset({"n", "no", "false", "0", "na", "nac oes", "nac ydw", "nac ydy"})
SEPARATORS = re.compile(r"\s*[;|]\s*")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?$")
WORDY_DATE = re.compile(r"^(\d{1,2})[\s\-]+([a-z]+)[\s\-]+(\d{4})$")


class BadValue(ValueError):
    """A cell that cannot be used; the message is the reason shown to the user."""


def is_not_known(value: str) -> bool:
    return not value or normalise(value) in NOT_KNOWN or value.strip() in NOT_KNOWN


@lru_cache(maxsize=131_072)
def parse_date(value: str) -> dt.date:
    """UK day-first dates (31/01/1985, 31-1-1985, 31.01.1985, 31 Jan 1985) or ISO 1985-01-31."""
    text = value.strip().lower()
    if match := ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := NUMERIC_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif (match := WORDY_DATE.match(text)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    else:
        raise BadValue("not a date: use day/month/year, for example 31/01/1985")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue("no such date") from None


def parse_yes_no(value: str) -> bool:
    folded = normalise(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise BadValue("not yes or no")


def match_codes(listing: CodeList, value: str, extra: dict[str, str], multiple: bool) -> list[str]:
    """The codes a cell names: stored codes, labels or synonyms (any case, English or Welsh),
    or the mapping file's own values."""
    parts = SEPARATORS.split(value) if multiple else [value]
    codes = []
    for part in parts:
        target = extra.get(part) or extra.get(normalise(part))
        if target is not None:
            # The mapping file's target: a code, or a label or synonym of one.
            code = target if target in listing else listing.match(target)
            if code is None or listing.get(code).group:
                raise BadValue(
                    f"the mapping file sends “{part}” to “{target}”, which is not an answer "
                    f"in the {listing.title.en.lower()} list"
                )
        else:
            code = listing.match(part)
        if code is None or code not in listing or listing.get(code).group:
            raise BadValue(f"not a known {listing.title.en.lower()} answer")
        codes.append(code)
    return codes


def is_prefer_not_to_say(value: str, extra: dict[str, str]) -> bool:
    mapped = extra.get(value) or extra.get(normalise(value))
    return mapped == "prefer_not_to_say" or characteristics().is_prefer_not_to_say(value)
