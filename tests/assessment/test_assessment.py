"""Assessment runs: the level rule as documented, live evidence recomputed from snapshots, and
what the equality lead does in the web app (answer, accept or override, rate, upload)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from equal_outcomes.assessment.evidence import (
    impact_assessments_per_policy_review,
    live_evidence,
    protected,
)
from equal_outcomes.assessment.framework import LEVELS, edition
from equal_outcomes.assessment.models import (
    Answer,
    Assessment,
    Decision,
    EvidenceFile,
    Impact,
    ImpactAssessment,
    Objective,
    Policy,
    PolicyReview,
)
from equal_outcomes.assessment.services import (
    area_levels,
    assessment_start,
    level_of,
    refresh_evidence,
)
from tests.auth import signed_in
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db
KYC = edition("shef-kyc-later").area("knowing-your-customers")


def everything_met(up_to: str) -> tuple[dict[str, str], dict[str, int | None]]:
    """Answers and ratings meeting every level up to and including ``up_to``."""
    levels = LEVELS[: LEVELS.index(up_to) + 1]
    answers = {q.id: Answer.YES for level in levels for q in KYC.questions_at(level)}
    ratings: dict[str, int | None] = {
        c.number: 3 for level in levels for c in KYC.criteria_at(level)
    }
    return answers, ratings


def test_nothing_answered_is_not_yet_developing() -> None:
    found = level_of(KYC, {}, {})
    assert found.level == ""
    assert len(found.blockers) == 7 + 3  # Developing's questions and criteria


@pytest.mark.parametrize("level", LEVELS)
def test_every_question_yes_and_criterion_in_place_reaches_the_level(level: str) -> None:
    answers, ratings = everything_met(level)
    assert level_of(KYC, answers, ratings).level == level


def test_not_applicable_counts_as_met_and_partly_does_not() -> None:
    answers, ratings = everything_met("achieving")
    answers["kyc-a6"] = Answer.NOT_APPLICABLE
    assert level_of(KYC, answers, ratings).level == "achieving"
    answers["kyc-a6"] = Answer.PARTLY
    found = level_of(KYC, answers, ratings)
    assert found.level == "developing"
    assert found.blockers == [
        "“Are we regularly sharing customer profiling data with our partners and contractors?”: "
        "Partly"
    ], "the question in words, not its id (issue 27, item 2)"
    assert found.progress["achieving"] == pytest.approx(6.5 / 7)


def test_a_criterion_rated_below_three_or_unrated_holds_the_area_back() -> None:
    answers, ratings = everything_met("excellent")
    ratings["2.2"] = 2
    found = level_of(KYC, answers, ratings)
    assert (found.level, found.blockers) == ("developing", ["Criterion 2.2: rated 2"])
    del ratings["2.2"]
    assert level_of(KYC, answers, ratings).blockers == ["Criterion 2.2: not rated"]


def test_a_higher_level_cannot_be_reached_over_a_gap_below_it() -> None:
    answers, ratings = everything_met("excellent")
    answers["kyc-d1"] = Answer.NO
    found = level_of(KYC, answers, ratings)
    assert found.level == ""
    assert found.progress["excellent"] == 1.0


def answer_everything(lead: Any, customer: Any) -> None:
    for name in protected():
        record_answer(lead, customer, name)  # "prefer not to say" is a response


def test_live_coverage_evidence_changes_when_coverage_crosses_sixty_percent(lead: Any) -> None:
    customers = [CustomerFactory() for _ in range(10)]
    for customer in customers[:5]:
        answer_everything(lead, customer)
    call_command("snapshot", "--no-warm")
    assessment = assessment_start(
        actor=lead,
        edition_id="shef-kyc-later",
        title="Knowing your customers 2026",
        assessed_on=dt.date(2026, 11, 21),
        areas=["knowing-your-customers"],
        assessors="Equality lead",
    )
    sixty = assessment.responses.get(question="kyc-a1")
    ninety = assessment.responses.get(question="kyc-e1")
    assert sixty.live["suggested"] == Answer.NO
    # Age (from dates of birth) and pregnancy (judged against the five asked this period).
    assert "2 of 9 protected characteristics" in sixty.live["summary"]
    assert ("Age", "100%") in [tuple(pair) for pair in sixty.live["figures"]]
    assert ("Sex", "50%") in [tuple(pair) for pair in sixty.live["figures"]]
    # The assessor accepts today's evidence for one question and overrides the other.
    client = signed_in(lead)
    client.post(
        reverse("assessment:question", args=[assessment.public_id, "kyc-a1"]), {"accept": "1"}
    )
    client.post(
        reverse("assessment:question", args=[assessment.public_id, "kyc-e1"]),
        {
            "answer": "partly",
            "override_reason": "A survey closes next week",
            "notes": "",
            "links": "",
        },
    )
    sixty.refresh_from_db()
    assert (sixty.answer, sixty.decision) == (Answer.NO, Decision.ACCEPTED)

    for customer in customers[5:7]:
        answer_everything(lead, customer)
    call_command("snapshot", "--no-warm")
    refresh_evidence(actor=lead, assessment=assessment)
    sixty.refresh_from_db()
    ninety.refresh_from_db()
    assert sixty.live["suggested"] == Answer.YES
    assert "9 of 9" in sixty.live["summary"]
    assert sixty.answer == Answer.YES  # an accepted suggestion follows the figures
    assert (ninety.live["suggested"], ninety.answer) == (
        Answer.NO,
        Answer.PARTLY,
    )  # override stands
    assert ninety.decision == Decision.OVERRIDDEN


def test_without_a_snapshot_live_evidence_says_so(lead: Any) -> None:
    _area, _level, question = edition("shef-2012").questions["kyc-a1"]
    found = live_evidence(question)
    assert found is not None
    assert found.suggested == Answer.NO
    assert "no snapshot yet" in found.summary


def test_objectives_review_period_differs_between_editions(lead: Any) -> None:
    Objective.objects.create(
        title="Close the satisfaction gap", owner="Lead", set_on=dt.date(2021, 1, 1),
        last_reviewed_on=dt.date(2023, 1, 10),
    )  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)):
        three = live_evidence(edition("shef-2012").questions["kyc-e3"][2])
        four = live_evidence(edition("shef-kyc-later").questions["kyc-e5"][2])
    assert three is not None
    assert four is not None
    assert (three.suggested, four.suggested) == (Answer.NO, Answer.YES)
    assert "in the last 3 years" in three.summary
    assert "in the last 4 years" in four.summary


def test_impact_assessment_evidence_and_the_toolkit_figure(lead: Any) -> None:
    question = edition("shef-2012").questions["lead-a6"][2]
    mitigation = edition("shef-2012").questions["lead-a7"][2]
    knowing = Policy.objects.create(
        name="Knowing Our Customers", owner="Head", adopted_on=dt.date(2024, 3, 1)
    )
    Policy.objects.create(name="Lettings", owner="Head", adopted_on=dt.date(2025, 6, 1))
    assert live_evidence(question).suggested == Answer.NO  # type: ignore[union-attr]
    eia = ImpactAssessment.objects.create(
        policy=knowing, completed_on=dt.date(2026, 2, 1), assessor="Lead", recorded_by=lead
    )
    Impact.objects.create(assessment=eia, characteristic="religion", impact="negative")
    PolicyReview.objects.create(policy=knowing, reviewed_on=dt.date(2026, 1, 20), recorded_by=lead)
    with time_machine.travel(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)):
        partly = live_evidence(question)
    assert partly is not None
    assert (partly.suggested, partly.summary[:7]) == (Answer.PARTLY, "1 of 2 ")
    assert live_evidence(mitigation).suggested == Answer.NO  # type: ignore[union-attr]
    assert impact_assessments_per_policy_review(2026) == {
        "impact_assessments": 1,
        "policies_reviewed": 1,
    }
    assert impact_assessments_per_policy_review(2025) == {
        "impact_assessments": 0,
        "policies_reviewed": 0,
    }


def start_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "edition": "shef-2012",
        "areas": ["knowing-your-customers", "responsive-services"],
        "title": "Annual self-assessment",
        "assessed_on_0": "21",
        "assessed_on_1": "11",
        "assessed_on_2": "2026",
        "assessors": "Equality lead and two board members",
    }
    return {**data, **overrides}


def test_starting_an_assessment_in_the_web_app(lead: Any) -> None:
    client = signed_in(lead)
    response = client.post(reverse("assessment:new"), start_form())
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessment:detail", args=[assessment.public_id])
    assert assessment.areas == ["knowing-your-customers", "responsive-services"]
    assert assessment.responses.count() == 16 + 32  # both areas' questions
    assert assessment.ratings.count() == 9 + 15
    page = client.get(response.url).content.decode()
    assert "Knowing your customers" in page
    assert "Not yet Developing" in page
    assert [found.level for found in area_levels(assessment)] == ["", ""]


def test_a_bad_start_gets_an_error_summary_and_writes_nothing(lead: Any) -> None:
    client = signed_in(lead)
    response = client.post(
        reverse("assessment:new"),
        start_form(edition="shef-kyc-later", areas=["workforce"], title="", assessed_on_1="13"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "does not cover: A skilled and committed workforce" in page
    assert "Enter a title" in page
    assert not Assessment.objects.exists()


def test_an_override_needs_a_reason_and_files_and_links_are_kept(lead: Any) -> None:
    CustomerFactory()
    call_command("snapshot", "--no-warm")
    assessment = assessment_start(
        actor=lead, edition_id="shef-kyc-later", title="t", assessed_on=dt.date(2026, 11, 21),
        areas=["knowing-your-customers"], assessors="a",
    )  # fmt: skip
    client = signed_in(lead)
    url = reverse("assessment:question", args=[assessment.public_id, "kyc-a1"])
    refused = client.post(url, {"answer": "yes", "notes": "", "links": ""})
    assert refused.status_code == 400
    assert "Give the reason your answer differs" in refused.content.decode()
    bad_link = client.post(url, {"answer": "no", "links": "minutes of the board"})
    assert "is not a web address" in bad_link.content.decode()
    bad_file = client.post(
        url,
        {"answer": "no", "upload": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert "must be a PDF" in bad_file.content.decode()
    assert not EvidenceFile.objects.exists()
    saved = client.post(
        url,
        {
            "answer": "no",
            "notes": "Survey under way",
            "links": "https://intranet.example/survey\n\nhttps://intranet.example/plan",
            "upload": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        },
    )
    assert saved.status_code == 302
    response = assessment.responses.get(question="kyc-a1")
    assert response.link_list == [
        "https://intranet.example/survey",
        "https://intranet.example/plan",
    ]
    assert response.decision == Decision.ACCEPTED  # "no" is what the figures say
    stored = EvidenceFile.objects.get()
    download = client.get(reverse("assessment:file", args=[assessment.public_id, stored.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"  # type: ignore[attr-defined]


def test_rating_a_criterion(lead: Any) -> None:
    assessment = assessment_start(
        actor=lead, edition_id="shef-kyc-later", title="t", assessed_on=dt.date(2026, 11, 21),
        areas=["knowing-your-customers"], assessors="a",
    )  # fmt: skip
    client = signed_in(lead)
    url = reverse("assessment:criterion", args=[assessment.public_id, "1.2"])
    assert client.post(url, {"difference": "x"}).status_code == 400
    client.post(url, {"rating": "4", "difference": "Data is encrypted and every read audited"})
    rating = assessment.ratings.get(criterion="1.2")
    assert (rating.rating, rating.difference[:4]) == (4, "Data")
    area = client.get(
        reverse("assessment:area", args=[assessment.public_id, "knowing-your-customers"])
    )
    assert "4: in place and effective" in area.content.decode()
