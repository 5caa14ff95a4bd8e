"""A synthetic workforce and board for the demo landlord, with documented disparities for the
workforce dashboard to find:

- **Pay**: women are more often in the lower grades, so the overall mean and median hourly pay
  gaps by sex are large even though pay within each grade is nearly equal.
- **Seniority**: Asian and Black staff are rare in the top grades and among senior managers.
- **Recruitment**: disabled applicants are shortlisted about half as often as others.
- **Staff survey**: disabled staff far less often say they are treated with dignity and respect.
- **Training**: staff under 25 have less often had equality and diversity training.
- **Board**: mostly older white men, unlike the customers.

Labour-market benchmarks (sex, ethnic group, disability, age) and targets (ethnic group,
disability) are loaded so that the profile can be compared with them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from equal_outcomes.workforce.models import (
    Application,
    Benchmark,
    Body,
    Case,
    StaffMember,
    SurveyResponse,
    Training,
)

GRADES = [("G1", 11.90), ("G2", 13.20), ("G3", 15.10), ("G4", 17.80), ("G5", 21.40),
          ("G6", 26.50), ("G7", 33.00), ("G8", 41.00)]  # fmt: skip
JOBS = ["Customer service advisor", "Housing officer", "Repairs operative", "Income officer",
        "Caretaker", "Finance officer", "Team leader", "Service manager"]  # fmt: skip
ETHNICITIES = [("white_british", 0.72), ("white_other", 0.06), ("asian_indian", 0.04),
               ("asian_pakistani", 0.03), ("black_african", 0.04), ("black_caribbean", 0.02),
               ("mixed_other", 0.03), ("other_arab", 0.01), ("prefer_not_to_say", 0.05)]  # fmt: skip
RELIGIONS = [("none", 0.45), ("christian", 0.38), ("muslim", 0.06), ("hindu", 0.02),
             ("sikh", 0.01), ("other", 0.02), ("prefer_not_to_say", 0.06)]  # fmt: skip
ORIENTATIONS = [("heterosexual", 0.86), ("gay_lesbian", 0.03), ("bisexual", 0.03),
                ("prefer_not_to_say", 0.08)]  # fmt: skip
LABOUR_MARKET = {
    "sex": {"female": 47.5, "male": 52.5},
    "ethnic_group": {"white": 80.0, "asian": 9.0, "black": 5.5, "mixed": 3.5, "other": 2.0},
    "disability": {"yes": 16.0, "no": 84.0},
    "age_band": {"15_24": 13.0, "25_34": 22.0, "35_44": 21.0, "45_54": 21.0, "55_64": 17.0,
                 "65_74": 5.0, "75_84": 1.0},
}  # fmt: skip
TARGETS = {
    "ethnic_group": {"white": 78.0, "asian": 10.0, "black": 6.0, "mixed": 4.0, "other": 2.0},
    "disability": {"yes": 15.0, "no": 85.0},
}
SOURCE = "Census 2021, economically active residents of the landlord's area (demo figures)"


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([item for item, _ in weighted], [w for _, w in weighted])[0]


def _person(rng: random.Random, today: dt.date, *, young: float = 0.12) -> dict[str, str]:
    age = rng.randint(18, 24) if rng.random() < young else rng.randint(25, 66)
    answers = {
        "sex": "female" if rng.random() < 0.58 else "male",
        "ethnicity": _pick(rng, ETHNICITIES),
        "disability": "yes" if rng.random() < 0.11 else "no",
        "religion": _pick(rng, RELIGIONS),
        "sexual_orientation": _pick(rng, ORIENTATIONS),
        "date_of_birth": today.replace(
            year=today.year - age, month=1 + age % 12, day=15
        ).isoformat(),
    }
    if rng.random() < 0.06:  # some never answered the form
        for name in ("religion", "sexual_orientation", "disability"):
            answers.pop(name, None)
    return answers


def _grade(rng: random.Random, answers: dict[str, str]) -> int:
    """Women lean to lower grades; Asian and Black staff rarely reach the top two."""
    grade = min(7, max(0, int(rng.triangular(0, 8, 2.5))))
    if answers["sex"] == "female" and rng.random() < 0.45:
        grade = max(0, grade - 2)
    if answers["ethnicity"].startswith(("asian", "black")) and grade >= 6:
        grade = rng.randint(1, 5)
    return grade


def generate_workforce(seed: int, today: dt.date) -> dict[str, int]:
    rng = random.Random(seed * 7919)
    staff = []
    for number in range(1, 421):
        answers = _person(rng, today)
        grade = _grade(rng, answers)
        name, pay = GRADES[grade]
        started = today - dt.timedelta(days=rng.randint(30, 365 * 20))
        left = None
        reason = ""
        if rng.random() < 0.11:
            left = today - dt.timedelta(days=rng.randint(1, 360))
            started = min(started, left - dt.timedelta(days=200))
            reason = rng.choice(["resigned", "resigned", "retired", "end_of_contract", "dismissed"])
        member = StaffMember(
            reference=f"E{number:05d}", body=Body.STAFF, job_title=JOBS[grade], grade=name,
            hourly_pay=Decimal(str(round(pay * rng.uniform(0.97, 1.03), 2))),
            senior_manager=grade == 7 or (grade == 6 and rng.random() < 0.2), started_on=started, left_on=left,
            leaving_reason=reason,
        )  # fmt: skip
        member.set_answers(answers)
        staff.append(member)
    board = []
    for number in range(1, 13):
        answers = _person(rng, today, young=0.0)
        answers["sex"] = "male" if number <= 8 else "female"
        answers["ethnicity"] = "white_british" if number != 5 else "asian_indian"
        answers["disability"] = "yes" if number == 12 else "no"
        born = dt.date.fromisoformat(answers["date_of_birth"])
        answers["date_of_birth"] = born.replace(year=today.year - rng.randint(52, 72)).isoformat()
        member = StaffMember(
            reference=f"B{number:03d}", body=Body.BOARD, job_title="Board member",
            started_on=today - dt.timedelta(days=rng.randint(200, 3000)),
        )  # fmt: skip
        member.set_answers(answers)
        board.append(member)
    StaffMember.objects.bulk_create(staff + board)
    saved = {member.reference: member for member in StaffMember.objects.all()}
    training = []
    for member in staff + board:
        young = (
            member.answers.get("date_of_birth", "")
            > today.replace(year=today.year - 25).isoformat()
        )
        if rng.random() < (0.35 if young else 0.82):
            training.append(Training(
                staff=saved[member.reference], course="Equality, diversity and inclusion",
                equality_and_diversity=True,
                completed_on=today - dt.timedelta(days=rng.randint(10, 365 * 3 - 10)),
            ))  # fmt: skip
        if rng.random() < 0.5:
            training.append(Training(
                staff=saved[member.reference], course="Safeguarding adults",
                equality_and_diversity=False, completed_on=today - dt.timedelta(days=rng.randint(10, 900)),
            ))  # fmt: skip
    Training.objects.bulk_create(training)
    applications = []
    for number in range(1, 1501):
        answers = _person(rng, today, young=0.25)
        answers["disability"] = "yes" if rng.random() < 0.14 else "no"
        shortlist = 0.22 if answers["disability"] == "yes" else 0.45
        stage = "applied"
        if rng.random() < shortlist:
            stage = "shortlisted"
            if rng.random() < 0.7:
                stage = "interviewed"
                if rng.random() < 0.3:
                    stage = "appointed"
        application = Application(
            reference=f"A{number:06d}", vacancy=f"V{rng.randint(1, 80):03d}",
            applied_on=today - dt.timedelta(days=rng.randint(1, 700)), stage=stage,
        )  # fmt: skip
        application.set_answers(answers)
        applications.append(application)
    Application.objects.bulk_create(applications)
    responses = []
    in_post = [member for member in staff if member.left_on is None]
    survey = f"Staff survey {today.year}"
    for number, member in enumerate(rng.sample(in_post, 300), start=1):
        answers = {k: v for k, v in member.answers.items() if rng.random() < 0.95}
        disabled = answers.get("disability") == "yes"
        response = SurveyResponse(
            survey=survey, reference=f"R{number:04d}",
            responded_on=today - dt.timedelta(days=rng.randint(20, 60)),
            satisfied=rng.random() < 0.74, fair_employer=rng.random() < 0.7,
            treated_with_respect=rng.random() < (0.45 if disabled else 0.84),
            safe_at_work=rng.random() < 0.88 if rng.random() < 0.97 else None,
        )  # fmt: skip
        response.set_answers(answers)
        responses.append(response)
    SurveyResponse.objects.bulk_create(responses)
    cases = []
    for number in range(1, 37):
        member = rng.choice(in_post)
        opened = today - dt.timedelta(days=rng.randint(5, 700))
        cases.append(Case(
            reference=f"C{number:04d}", kind=rng.choice(["grievance", "harassment", "bullying",
                                                         "disciplinary"]),
            staff=saved[member.reference], opened_on=opened,
            closed_on=opened + dt.timedelta(days=40) if opened < today - dt.timedelta(days=60) else None,
            upheld=rng.random() < 0.4,
        ))  # fmt: skip
    Case.objects.bulk_create(cases)
    benchmarks = [
        Benchmark(comparison=kind, body=Body.STAFF, characteristic=name, category=category,
                  share=Decimal(str(share)), source=SOURCE if kind == "labour_market" else "Workforce plan 2025-2028")
        for kind, table in (("labour_market", LABOUR_MARKET), ("target", TARGETS))
        for name, shares in table.items()
        for category, share in shares.items()
    ]  # fmt: skip
    Benchmark.objects.bulk_create(benchmarks)
    return {
        "staff": len(staff),
        "board": len(board),
        "applications": len(applications),
        "responses": len(responses),
        "cases": len(cases),
    }
