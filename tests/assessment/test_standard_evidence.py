"""Live evidence that a service standard is met (issue 31): the adaptations and harassment
questions of the framework (srv-a13, srv-e1) answered from the outcome tables."""

from __future__ import annotations

from typing import Any

import pytest

from equal_outcomes.assessment.evidence import Sources, live_evidence
from equal_outcomes.assessment.framework import edition
from equal_outcomes.assessment.models import Answer


def _sources(rows: list[dict[str, Any]]) -> Sources:
    """What the dashboards hold for one indicator: reporters' satisfaction by disability."""
    sources = Sources()
    sources.__dict__["outcomes"] = {
        "indicators": [{"id": "asb_reporter_satisfied", "measure": "rate"}],
        "tables": [
            {"indicator": "asb_reporter_satisfied", "characteristic": "disability", "rows": rows}
        ],
    }
    sources.__dict__["as_at"] = "2026-11-01"
    return sources


def _row(category: str, n: int, k: int, flag: str) -> dict[str, Any]:
    return {"category": category, "n": n, "numerator": k, "flag": flag, "q_value": 0.01}


@pytest.mark.parametrize(
    ("rows", "expected", "shown"),
    [
        # 16 of 40 disabled reporters satisfied, 44 of 60 others: 60 % for everyone, which is
        # most, but disabled reporters are worse served: partly.
        ([_row("yes", 40, 16, "worse"), _row("no", 60, 44, "better")], Answer.PARTLY, "60%"),
        # 30 of 40 and 44 of 60: 74 % and no group worse: yes.
        (
            [_row("yes", 40, 30, "no_difference"), _row("no", 60, 44, "no_difference")],
            Answer.YES,
            "74%",
        ),
        # 10 of 40 and 20 of 60: 30 %, not most: no.
        (
            [_row("yes", 40, 10, "no_difference"), _row("no", 60, 20, "no_difference")],
            Answer.NO,
            "30%",
        ),
    ],
)
def test_most_reporters_satisfied_by_hand(
    rows: list[dict[str, Any]], expected: str, shown: str
) -> None:
    question = edition("shef-2012").questions["srv-e1"][2]
    found = live_evidence(question, _sources(rows))
    assert found is not None
    assert found.suggested == expected
    assert f"{shown} of 100" in found.figures[0][1]
    if expected == Answer.PARTLY:
        assert "Disabled" in found.figures[0][1] or "Yes" in found.figures[0][1]


def test_no_results_yet_is_no() -> None:
    question = edition("shef-2012").questions["srv-a13"][2]
    sources = _sources([])
    sources.__dict__["outcomes"]["tables"] = []
    found = live_evidence(question, sources)
    assert found is not None
    assert found.suggested == Answer.NO


def _scorecard(worse_by_contractor: dict[str, list[str]]) -> Sources:
    sources = Sources()
    sources.__dict__["contractors"] = {
        "indicators": ["contractor_no_access"],
        "contractors": [
            {
                "name": name,
                "cells": {
                    "contractor_no_access": {
                        "value": 0.1, "n": 80, "measure": "rate", "complete": True,
                        "worse": [{"characteristic": "disability", "category": c, "value": 0.3,
                                   "everyone": 0.1} for c in worse],
                    }
                },
            }
            for name, worse in worse_by_contractor.items()
        ],
    }  # fmt: skip
    sources.__dict__["as_at"] = "2026-11-01"
    return sources


@pytest.mark.parametrize(
    ("worse", "expected"),
    [
        ({"Valleys Repairs": [], "Coast Gas": []}, Answer.YES),
        ({"Valleys Repairs": [], "Coast Gas": ["yes"]}, Answer.PARTLY),
        ({"Valleys Repairs": ["yes"], "Coast Gas": ["yes"]}, Answer.NO),
        ({}, Answer.NO),
    ],
)
def test_contractors_working_with_us_by_hand(worse: dict[str, list[str]], expected: str) -> None:
    """Framework lead-e5: "Does our monitoring show that our contractors are consistently
    working with us...?" read from the contractors' scorecard (issue 31, item 8)."""
    question = edition("shef-2012").questions["lead-e5"][2]
    found = live_evidence(question, _scorecard(worse))
    assert found is not None
    assert found.suggested == expected
    if expected == Answer.PARTLY:
        assert ("Coast Gas", "Contractors' visits with no access: Disabled") in found.figures


def _engagement(flags: dict[str, list[str]]) -> Sources:
    sources = Sources()
    sources.__dict__["engagement"] = {
        "characteristics": {
            name: [{"category": f"c{i}", "flag": flag} for i, flag in enumerate(found)]
            for name, found in flags.items()
        }
    }
    sources.__dict__["as_at"] = "2026-11-01"
    return sources


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"sex": ["as_expected", "as_expected"], "age_band": ["as_expected"]}, Answer.YES),
        ({"sex": ["under_represented", "as_expected"], "age_band": ["as_expected"]}, Answer.PARTLY),
        ({"sex": ["under_represented"], "age_band": ["under_represented"]}, Answer.NO),
        ({}, Answer.NO),
    ],
)
def test_a_broad_cross_section_takes_part_by_hand(
    flags: dict[str, list[str]], expected: str
) -> None:
    """Framework eng-e1 ("Is a broad cross section of our service users ... involved?") read
    from who takes part against the customer base (issue 31, item 10)."""
    question = edition("shef-2012").questions["eng-e1"][2]
    found = live_evidence(question, _engagement(flags))
    assert found is not None
    assert found.suggested == expected
