"""Rates read against a service standard (``at_most``) or a set of values (``one_of``), issue 31:
the share of adaptations finished within the standard's days, of contacts made online."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest
from pydantic import ValidationError

from equal_outcomes.analysis import Indicator, breakdown
from equal_outcomes.analysis.engine import analyse_all


def _world() -> tuple[ibis.Table, ibis.Table]:
    people = ibis.memtable(
        pd.DataFrame({"person_key": ["a", "b", "c", "d"], "disability": ["yes", "yes", "no", "no"]})
    )
    events = ibis.memtable(
        pd.DataFrame(
            {
                "person_key": ["a", "a", "b", "c", "c", "d", "d"],
                "event_type": ["adaptation_request"] * 7,
                "event_date": pd.to_datetime(["2026-03-01"] * 7),
                # a: 20 and 40 days; b: not finished; c: 10 and 28; d: 29 and " 5 "
                "days_to_complete": ["20", "40", "", "10", "28", "29", " 5 "],
                "channel": ["Online", "phone", None, "email", " EMAIL ", "office", "letter"],
            }
        )
    )
    return people, events


STANDARD = Indicator(
    id="minor", event_type="adaptation_request", measure="rate", value="days_to_complete",
    at_most=28,
)  # fmt: skip
DIGITAL = Indicator(
    id="digital", event_type="adaptation_request", measure="rate", value="channel",
    one_of=["online", "email"],
)  # fmt: skip


def test_a_standard_counts_the_events_within_it_by_hand() -> None:
    people, events = _world()
    rows = {r["category"]: r for r in breakdown(people, events, STANDARD, "disability").rows}
    # Disabled: 20 (in), 40 (out); the unfinished request has no outcome. Others: 10, 28 (in,
    # the standard's day itself counts), 29 (out), 5 (in).
    assert (rows["yes"]["numerator"], rows["yes"]["n"]) == (1, 2)
    assert (rows["no"]["numerator"], rows["no"]["n"]) == (3, 4)
    assert rows["no"]["value"] == pytest.approx(0.75)


def test_one_of_counts_the_events_with_those_values_however_spelt() -> None:
    people, events = _world()
    rows = {r["category"]: r for r in breakdown(people, events, DIGITAL, "disability").rows}
    assert (rows["yes"]["numerator"], rows["yes"]["n"]) == (1, 2)  # Online; phone; blank
    assert (rows["no"]["numerator"], rows["no"]["n"]) == (2, 4)  # email, EMAIL; office, letter


def test_the_one_query_path_agrees_with_the_single_breakdown() -> None:
    people, events = _world()
    plain = Indicator(id="days", event_type="adaptation_request", measure="mean",
                      value="days_to_complete")  # fmt: skip
    tables = analyse_all(people, events, [STANDARD, DIGITAL, plain], ["disability"])
    together = {
        (t.indicator, r["category"]): (r["numerator"], r["n"]) for t in tables for r in t.rows
    }
    assert together[("minor", "no")] == (3, 4)
    assert together[("digital", "no")] == (2, 4)
    assert together[("days", "yes")] == (60, 2)  # the same column read as a number


@pytest.mark.parametrize(
    "extra",
    [
        {"measure": "median", "at_most": 28},
        {"measure": "rate", "at_most": 28, "one_of": ["a"]},
        {"measure": "rate", "at_most": float("inf")},
    ],
)
def test_a_standard_only_makes_a_rate(extra: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Indicator(id="x", event_type="e", value="v", **extra)  # type: ignore[arg-type]


def test_contacts_are_matched_to_the_way_each_person_asked_to_be_contacted() -> None:
    """Issue 31, item 4: whether an incoming contact came the way the person asked for, by
    hand: a phone preference met by a call, in person by an office or home visit, anything by a
    representative; nothing to compare where either side is not recorded."""
    from functools import partial

    from equal_outcomes.analysis.engine import with_communication_match

    people = ibis.memtable(
        pd.DataFrame(
            {
                "person_key": ["a", "b", "c", "d", "e"],
                "digital_inclusion": ["never", "never", "daily", "daily", "daily"],
                "preferred_contact_method": ["phone", "in_person", "email", "representative", ""],
            }
        )
    )
    events = ibis.memtable(
        pd.DataFrame(
            {
                "person_key": ["a", "a", "b", "b", "c", "c", "d", "e", "a"],
                "event_type": ["contact"] * 8 + ["repair"],
                # a: phone (met), online (not); b: visit, Office (met); c: email (met), phone
                # (not); d: letter (met: a representative); e: no preference (not compared)
                "channel": [
                    "phone",
                    "online",
                    "visit",
                    " Office ",
                    "email",
                    "phone",
                    "letter",
                    "phone",
                    "phone",
                ],
            }
        )
    )
    matched = Indicator(id="preferred", event_type="contact", measure="rate",
                        value="channel_matches_preference")  # fmt: skip
    tables = analyse_all(
        people, events, [matched], ["digital_inclusion"],
        prepare=partial(with_communication_match, people),
    )  # fmt: skip
    rows = {r["category"]: (r["numerator"], r["n"]) for r in tables[0].rows}
    assert rows == {"never": (3, 4), "daily": (2, 3)}


def test_the_people_who_took_part_are_those_who_said_yes_however_spelt() -> None:
    """Issue 31, item 10: who takes part in engagement is everyone with an offer taken up (a
    yes in any spelling), not everyone offered."""
    from equal_outcomes.analysis.engine import service_users

    people = ibis.memtable(pd.DataFrame({"person_key": ["a", "b", "c", "d"]}))
    events = ibis.memtable(
        pd.DataFrame(
            {
                "person_key": ["a", "a", "b", "c", "d"],
                "event_type": ["involvement_offer"] * 4 + ["repair"],
                "took_part": ["no", " Yes ", "0", "1", "1"],
            }
        )
    )
    offered = service_users(people, events, "involvement_offer")
    took_part = service_users(people, events, "involvement_offer", "took_part")
    assert sorted(offered.person_key.to_pyarrow().to_pylist()) == ["a", "b", "c"]
    assert sorted(took_part.person_key.to_pyarrow().to_pylist()) == ["a", "c"]
