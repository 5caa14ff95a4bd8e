"""The workforce results: the staff profile against the local labour market and the targets,
the recruitment funnel, pay gaps, training, the staff survey, cases and leavers by
characteristic, and the board and senior managers against the customers and the population.

Every figure comes from the analysis engine (``analysis.workforce`` and ``analysis.engine``)
run on DuckDB tables built from the HR records, whose equality answers are decrypted for the
purpose (and the read audited). Results are cached until any HR record changes. Published
results (for anyone but HR) have the customers' disclosure control applied: workforce groups are
small, so most board figures are withheld.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import ibis
import pyarrow as pa
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from equal_outcomes.analysis.disclosure import SUPPRESSED, THRESHOLD, suppress_linked
from equal_outcomes.analysis.engine import UNKNOWN, ResultTable, plain, representation
from equal_outcomes.analysis.workforce import funnel, pay_gaps, rates
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.insight.results import withhold_small
from equal_outcomes.insight.snapshot import ADULT, AGE_BANDS, age_band, ethnic_group
from equal_outcomes.standards.codelists import characteristics

AGE, ETHNIC_GROUP = "age_band", "ethnic_group"

# The characteristics every workforce table is broken down by. Ethnicity is analysed by its
# five broad groups: workforce groups are too small for the detailed categories.
BY = ("sex", AGE, ETHNIC_GROUP, "disability", "religion", "sexual_orientation")
PAY_BY = ("sex", ETHNIC_GROUP, "disability")
# Each pay gap is measured against this group, as the gender pay gap regulations do for men.
PAY_REFERENCE = {"sex": "male", ETHNIC_GROUP: "white", "disability": "no"}
LEADERSHIP_BY = ("sex", AGE, ETHNIC_GROUP, "disability")
TRAINING_YEARS = 3  # equality and diversity training counts for this long
RECRUITMENT_YEARS = 2  # applications analysed
CASE_YEARS = 2  # cases analysed
SURVEY_QUESTIONS = {
    "satisfied": "Satisfied working here",
    "fair_employer": "Say we are a good and fair employer",
    "treated_with_respect": "Say they are treated with dignity and respect",
    "safe_at_work": "Say the workplace is safe and secure",
}
CACHE_SECONDS = 3600
FORMAT = 2  # bump when the shape of the results changes, so cached ones are not used


def category_choices() -> dict[str, list[str]]:
    """The categories of each workforce characteristic, for benchmarks and targets."""
    choices = {
        name: [code.code for code in characteristics().get(name).codes.selectable]
        for name in BY
        if name not in {AGE, ETHNIC_GROUP}
    }
    choices[ETHNIC_GROUP] = [code.code for code in characteristics().get("ethnicity").codes.groups]
    choices[AGE] = [code for _low, high, code in AGE_BANDS if high > ADULT]
    return {name: choices[name] for name in BY}


def _profile(answers: dict[str, str], today: dt.date) -> dict[str, str]:
    born = answers.get("date_of_birth")
    return {
        "sex": answers.get("sex", ""),
        AGE: age_band(dt.date.fromisoformat(born), today) if born else "",
        ETHNIC_GROUP: ethnic_group(answers.get("ethnicity", "")),
        "disability": answers.get("disability", ""),
        "religion": answers.get("religion", ""),
        "sexual_orientation": answers.get("sexual_orientation", ""),
    }


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _table(rows: list[dict[str, Any]], columns: dict[str, pa.DataType]) -> Any:
    data = {
        name: pa.array([row.get(name) for row in rows], type=kind) for name, kind in columns.items()
    }
    return ibis.memtable(pa.table(data))


PROFILE_TYPES = {name: pa.string() for name in BY}


def _records(today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Every HR record as plain rows with each person's (decrypted) characteristics."""
    from equal_outcomes.workforce.models import (
        Application,
        Case,
        StaffMember,
        SurveyResponse,
        Training,
    )

    trained_since = _years_before(today, TRAINING_YEARS)
    year_ago = _years_before(today, 1)
    trained = set(
        Training.objects.filter(
            equality_and_diversity=True, completed_on__gte=trained_since
        ).values_list("staff_id", flat=True)
    )
    cases: dict[int, set[str]] = {}
    for staff_id, kind in Case.objects.filter(
        opened_on__gte=_years_before(today, CASE_YEARS), staff__isnull=False
    ).values_list("staff_id", "kind"):
        cases.setdefault(staff_id, set()).add(kind)
    staff: list[dict[str, Any]] = []
    board: list[dict[str, Any]] = []
    for member in StaffMember.objects.all():
        in_post = member.left_on is None or member.left_on > today
        row: dict[str, Any] = {
            **_profile(member.answers, today),
            "grade": member.grade,
            "hourly_pay": float(member.hourly_pay) if member.hourly_pay is not None else None,
            "in_post": in_post,
            "senior_manager": member.senior_manager,
            "trained": int(member.pk in trained),
            "harassment_or_bullying": int(
                bool(cases.get(member.pk, set()) & {"harassment", "bullying"})
            ),
            "grievance": int("grievance" in cases.get(member.pk, set())),
            "disciplinary": int("disciplinary" in cases.get(member.pk, set())),
        }
        # Leavers: of those in post a year ago, who has left since (and dismissals).
        if (member.started_on is None or member.started_on <= year_ago) and (
            member.left_on is None or member.left_on > year_ago
        ):
            row["left"] = int(not in_post)
            row["dismissed"] = int(not in_post and member.leaving_reason == "dismissed")
        (board if member.body == "board" else staff).append(row)
    applications = [
        {
            **_profile(application.answers, today),
            **{stage: int(application.reached(stage)) for stage in ("applied", "shortlisted",
                                                                     "interviewed", "appointed")},
        }
        for application in Application.objects.filter(
            applied_on__gte=_years_before(today, RECRUITMENT_YEARS)
        )
    ]  # fmt: skip
    latest = SurveyResponse.objects.aggregate(latest=Max("survey"))["latest"]
    responses = [
        {
            **_profile(response.answers, today),
            **{question: None if getattr(response, question) is None
               else int(getattr(response, question)) for question in SURVEY_QUESTIONS},
        }
        for response in SurveyResponse.objects.filter(survey=latest)
    ]  # fmt: skip
    return {
        "staff": staff,
        "board": board,
        "applications": applications,
        "responses": responses,
        "survey": [{"survey": latest or ""}],
    }


def _stamp() -> str:
    """Changes whenever any HR record or benchmark changes, for the cache key."""
    from equal_outcomes.workforce.models import (
        Application,
        Benchmark,
        Case,
        StaffMember,
        SurveyResponse,
        Training,
    )

    parts = []
    for model in (StaffMember, Application, Training, SurveyResponse, Case, Benchmark):
        found = model.objects.aggregate(n=Count("pk"), last=Max("pk"))
        parts.append(f"{found['n']}:{found['last']}")
    for model in (StaffMember, Application, Benchmark):
        parts.append(str(model.objects.aggregate(at=Max("updated_at"))["at"]))
    parts.append(str(timezone.localdate()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def _benchmarks() -> dict[tuple[str, str, str], dict[str, float]]:
    """(comparison, body, characteristic): {category: share}."""
    from equal_outcomes.workforce.models import Benchmark

    found: dict[tuple[str, str, str], dict[str, float]] = {}
    for item in Benchmark.objects.all():
        found.setdefault((item.comparison, item.body, item.characteristic), {})[item.category] = (
            float(item.share)
        )
    return found


def _rate_tables(
    rows: list[dict[str, Any]], outcomes: dict[str, tuple[str, bool]], publishable: bool
) -> dict[str, list[dict[str, Any]]]:
    """{characteristic: [table per outcome]}; published tables are suppressed together."""
    if not rows:
        return {}
    columns = {**PROFILE_TYPES, **dict.fromkeys(outcomes, pa.int64())}
    table = _table(rows, columns)
    return _published({name: rates(table, name, outcomes) for name in BY}, publishable)


def _published(
    found: dict[str, list[ResultTable]], publishable: bool
) -> dict[str, list[dict[str, Any]]]:
    """Tables by characteristic as JSON; published ones with disclosure control applied over
    all of them together (tables of one outcome share its total)."""
    if publishable:
        it = iter(
            suppress_linked([t for tables in found.values() for t in tables], merge_not_known=False)
        )
        found = {name: [next(it) for _ in tables] for name, tables in found.items()}
    return {name: [t.as_json() for t in tables] for name, tables in found.items()}


def _funnel(rows: list[dict[str, Any]], publishable: bool) -> dict[str, list[dict[str, Any]]]:
    if not rows:
        return {}
    stages = ("applied", "shortlisted", "interviewed", "appointed")
    table = _table(rows, {**PROFILE_TYPES, **dict.fromkeys(stages, pa.int64())})
    return _published({name: funnel(table, name) for name in BY}, publishable)


def _pay(rows: list[dict[str, Any]], publishable: bool) -> dict[str, dict[str, Any]]:
    paid = [row for row in rows if row["in_post"] and row["hourly_pay"] is not None]
    if not paid:
        return {}
    table = _table(paid, {**PROFILE_TYPES, "grade": pa.string(), "hourly_pay": pa.float64()})
    found = {}
    for name in PAY_BY:
        overall = pay_gaps(table, name, reference=PAY_REFERENCE[name])
        by_grade = pay_gaps(table, name, reference=PAY_REFERENCE[name], grade="grade")
        found[name] = {
            "overall": withhold_pay(overall) if publishable else overall,
            "by_grade": withhold_pay(by_grade) if publishable else by_grade,
        }
    return found


def withhold_pay(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pay figures of a group under the threshold are withheld; where the reference group of a
    grade is under it, every gap in that grade is too."""
    small_reference = {
        row.get("grade")
        for row in rows
        if row["category"] == row["reference"] and row["n"] < THRESHOLD
    }
    published = []
    for row in rows:
        row = dict(row)
        if row["n"] < THRESHOLD:
            for name in ("n", "mean_pay", "median_pay", "mean_gap", "median_gap"):
                row[name] = SUPPRESSED
        elif row.get("grade") in small_reference:
            row["mean_gap"] = row["median_gap"] = SUPPRESSED
        published.append(row)
    return published


def _represented(
    people: list[dict[str, Any]], name: str, benchmark: dict[str, float], publishable: bool
) -> list[dict[str, Any]]:
    table = _table(people, PROFILE_TYPES)
    rows = [
        {("people" if key == "customers" else key): value for key, value in row.items()}
        for row in representation(table, name, benchmark)
    ]
    return withhold_small(rows, "people") if publishable else rows


def _shares(people: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """How many answered (a known answer or "prefer not to say") and the known categories."""
    counts: dict[str, int] = {}
    for person in people:
        counts[person[name] or "not_known"] = counts.get(person[name] or "not_known", 0) + 1
    return counts


def _profile_tables(staff: list[dict[str, Any]], publishable: bool) -> dict[str, dict[str, Any]]:
    """Staff in post by each characteristic: shares against the local labour market, and the
    targets alongside."""
    benchmarks = _benchmarks()
    found = {}
    for name in BY:
        market = benchmarks.get(("labour_market", "staff", name), {})
        target = benchmarks.get(("target", "staff", name), {})
        rows = _represented(staff, name, market, publishable) if staff else []
        counts = _shares(staff, name)
        for row in rows:
            row["target_share"] = (
                target[row["category"]] / 100 if row["category"] in target else None
            )
            if not market:
                row["benchmark_share"] = row["ratio"] = row["p_value"] = row["q_value"] = None
                row["flag"] = "" if row["flag"] != SUPPRESSED else SUPPRESSED
        answered = sum(n for category, n in counts.items() if category != "not_known")
        found[name] = {
            "rows": rows,
            "response_rate": answered / len(staff) if staff else None,
            "benchmarked": bool(market),
            "targets": bool(target),
        }
    return found


def _customer_benchmarks() -> dict[str, dict[str, dict[str, float]]]:
    """The customers (last snapshot) and the census population, by each leadership
    characteristic, ethnicity by its broad groups."""
    from equal_outcomes.analysis.engine import category_counts
    from equal_outcomes.insight.population import benchmark
    from equal_outcomes.insight.snapshot import open_people

    found: dict[str, dict[str, dict[str, float]]] = {"customers": {}, "population": {}}
    people = open_people()
    for name in LEADERSHIP_BY:
        source = "ethnicity" if name == ETHNIC_GROUP else name
        if people is not None and source in people.columns:
            counts = category_counts(people, source)
            found["customers"][name] = _regroup(name, counts)
        population = benchmark(source)
        if population:
            found["population"][name] = _regroup(name, population)
    if people is not None:
        people.get_backend().disconnect()
    return found


def _regroup(name: str, counts: dict[str, float]) -> dict[str, float]:
    if name != ETHNIC_GROUP:
        # Children are customers but could not be on the board or the staff.
        children = {code for _low, high, code in AGE_BANDS if high <= ADULT}
        return {c: n for c, n in counts.items() if c not in UNKNOWN and c not in children}
    grouped: dict[str, float] = {}
    for category, n in counts.items():
        group = ethnic_group(category)
        if group and group not in UNKNOWN:
            grouped[group] = grouped.get(group, 0.0) + n
    return grouped


def _leadership(
    board: list[dict[str, Any]], staff: list[dict[str, Any]], publishable: bool
) -> dict[str, Any]:
    senior = [row for row in staff if row["in_post"] and row["senior_manager"]]
    members = [row for row in board if row["in_post"]]
    against = _customer_benchmarks()
    found: dict[str, Any] = {"board": len(members), "senior": len(senior), "tables": {}}
    for name in LEADERSHIP_BY:
        tables = {}
        for who, people in (
            ("board", members),
            ("senior", senior),
            ("leadership", members + senior),
        ):
            for comparison in ("customers", "population"):
                if people and name in against[comparison]:
                    tables[f"{who}_{comparison}"] = _represented(
                        people, name, against[comparison][name], publishable
                    )
        found["tables"][name] = tables
    return found


def compute(*, publishable: bool) -> dict[str, Any]:
    today = timezone.localdate()
    records = _records(today)
    staff = records["staff"]
    in_post = [row for row in staff if row["in_post"]]
    a_year_on = [row for row in staff if "left" in row]
    found: dict[str, Any] = plain(
        {
            "as_at": today.isoformat(),
            "survey": records["survey"][0]["survey"],
            "counts": {
                "staff": len(in_post),
                "board": sum(1 for row in records["board"] if row["in_post"]),
                "senior": sum(1 for row in in_post if row["senior_manager"]),
                "applications": len(records["applications"]),
                "responses": len(records["responses"]),
                "leavers": sum(row["left"] for row in a_year_on),
                "board_trained": sum(row["trained"] for row in records["board"] if row["in_post"]),
            },
            "profile": _profile_tables(in_post, publishable),
            "funnel": _funnel(records["applications"], publishable),
            "pay": _pay(staff, publishable),
            "training": _rate_tables(
                in_post + [row for row in records["board"] if row["in_post"]],
                {"trained": ("Equality and diversity training in the last three years", True)},
                publishable,
            ),
            "survey_results": _rate_tables(
                records["responses"],
                {name: (title, True) for name, title in SURVEY_QUESTIONS.items()},
                publishable,
            ),
            "cases": _rate_tables(
                in_post,
                {
                    "harassment_or_bullying": ("Raised harassment or bullying", False),
                    "grievance": ("Raised a grievance", False),
                    "disciplinary": ("Subject to a disciplinary", False),
                },
                publishable,
            ),
            "leavers": _rate_tables(
                a_year_on,
                {"left": ("Left in the last year", False), "dismissed": ("Dismissed", False)},
                publishable,
            ),
            "leadership": _leadership(records["board"], staff, publishable),
        }
    )
    return found


def workforce_results(*, actor: Any, publishable: bool) -> dict[str, Any]:
    """The workforce results, from the cache when no HR record has changed. Working them out
    decrypts everyone's equality answers, which is audited."""
    key = f"workforce:{FORMAT}:{'published' if publishable else 'internal'}:{_stamp()}"
    found = cache.get(key)
    if found is None:
        found = compute(publishable=publishable)
        Auditor.record(
            actor=actor,
            action=AuditAction.ANALYSE,
            target_type="workforce",
            target_id="equality",
            purpose="workforce results worked out from the HR records' equality answers",
        )
        cache.set(key, json.loads(json.dumps(found)), CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
