"""What a newly given answer does to the one held: the one rule for every way answers arrive
(a member of staff, the tenant's questionnaire, an import, the housing system's API)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    RECORD = "record"  # nothing held: the answer is recorded
    CONFIRM = "confirm"  # the same answer as held: the held one is confirmed as still true
    SUPERSEDE = "supersede"  # a different answer: it becomes current, the held one history
    SKIP = "skip"  # given before the held answer was: the newer one is never overwritten


@dataclass(frozen=True)
class Held:
    state: str
    value: str
    recorded_at: dt.datetime


def decide(
    held: Held | None, *, state: str, value: str, given_at: dt.datetime, date_only: bool = False
) -> Outcome:
    """``given_at`` is when the new answer was given; ``date_only`` when its source gives only
    the day (an import's date column), so that an answer of the same day as the held one is
    not taken for an older one."""
    if held is None:
        return Outcome.RECORD
    older = given_at.date() < held.recorded_at.date() if date_only else given_at < held.recorded_at
    if older:
        return Outcome.SKIP
    if held.state == state and held.value == value:
        return Outcome.CONFIRM
    return Outcome.SUPERSEDE
