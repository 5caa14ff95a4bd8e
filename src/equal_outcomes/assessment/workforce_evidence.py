"""Live evidence for the framework's workforce and leadership questions, from the workforce
results (``workforce.analysis``). The rules, so that an assessor can check them:

- ``labour_market``: local labour-market benchmarks are held for sex, ethnic group and
  disability: yes; for some of them: partly.
- ``workforce_targets``: workforce targets are set for at least one characteristic: yes.
- ``recruitment_monitored``: applications of the last two years are held and at least 60% of
  applicants gave their ethnic group and their disability: yes; some held: partly.
- ``targets_met``: every target group's share of staff in post is at least its target less two
  points: yes; at least half of them: partly.
- ``pay_review``: hourly pay is held for at least 80% of staff in post and the gaps by sex,
  ethnic group and disability are worked out: yes; pay held for some: partly.
- ``pay_gaps_closed``: within every grade, no group of ten or more is paid on average 5% or more
  less than the reference group: yes; in at least half the grades: partly.
- ``training_complete`` (at least X): the share of staff and board members with equality and
  diversity training in the last three years is at least X: yes; at least half: partly.
- ``staff_agree`` (measure, at least X): in the latest staff survey, at least X say yes to the
  question, and no group is significantly less likely to: yes; one of the two: partly.
- ``leadership_representative``: among the board and senior managers together, no sex, ethnic
  group or disability group making up 5% or more of customers is held at under half its share
  of customers (or flagged under-represented): yes; one characteristic falls short: partly.
- ``board_trained`` (at least X): the share of board members with equality and diversity
  training in the last three years is at least X: yes; at least half: partly.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from equal_outcomes.assessment.models import Answer
from equal_outcomes.core.templatetags.codes import category_label, humanise, percent

Results = dict[str, Any]
MAIN = ("sex", "ethnic_group", "disability")
TARGET_SLACK = 0.02
EQUAL_PAY = 0.05
SMALL = 10


def _grade(share: float, yes: float, partly: float) -> str:
    return Answer.YES if share >= yes else Answer.PARTLY if share >= partly else Answer.NO


def labour_market(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    held = [name for name in MAIN if results["profile"].get(name, {}).get("benchmarked")]
    summary = _("Local labour-market benchmarks are held for: %(names)s.") % {
        "names": ", ".join(humanise(name) for name in held) or _("none")
    }
    return _grade(len(held) / len(MAIN), 1.0, 1e-9), summary, []


def workforce_targets(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    held = [name for name, data in results["profile"].items() if data.get("targets")]
    summary = _("Workforce targets are set for: %(names)s.") % {
        "names": ", ".join(humanise(name) for name in held) or _("none")
    }
    return (Answer.YES if held else Answer.NO), summary, []


def _answered(tables: list[dict[str, Any]]) -> float:
    rows = tables[0]["rows"] if tables else []
    total = sum(row["n"] for row in rows)
    known = sum(
        row["n"] for row in rows if row["category"] not in {"not_known", "prefer_not_to_say"}
    )
    return known / total if total else 0.0


def recruitment_monitored(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    count = results["counts"]["applications"]
    if not count:
        return Answer.NO, _("No job applications of the last two years are held."), []
    shares = {
        name: _answered(results["funnel"].get(name, [])) for name in ("ethnic_group", "disability")
    }
    summary = _("%(n)d applications of the last two years; equality answers given by:") % {
        "n": count
    }
    figures = [(humanise(name), percent(share)) for name, share in shares.items()]
    return _grade(min(shares.values()), 0.6, 0.0), summary, figures


def targets_met(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    targets = [
        (name, row)
        for name, data in results["profile"].items()
        for row in data["rows"]
        if row.get("target_share") is not None and isinstance(row.get("share"), float)
    ]
    if not targets:
        return Answer.NO, _("No workforce targets are set."), []
    met = [(n, r) for n, r in targets if r["share"] >= r["target_share"] - TARGET_SLACK]
    summary = _("%(met)d of %(all)d workforce targets are met (within two points).") % {
        "met": len(met), "all": len(targets),
    }  # fmt: skip
    figures = [
        (f"{humanise(name)}: {category_label(row['category'], name)}",
         _("%(share)s of staff against a target of %(target)s")
         % {"share": percent(row["share"]), "target": percent(row["target_share"])})
        for name, row in targets if (name, row) not in met
    ]  # fmt: skip
    return _grade(len(met) / len(targets), 1.0, 0.5), summary, figures


def pay_review(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    staff = results["counts"]["staff"]
    paid = sum(
        row["n"]
        for row in results["pay"].get("sex", {}).get("overall", [])
        if isinstance(row["n"], int)
    )
    worked_out = [name for name in MAIN if results["pay"].get(name)]
    if not staff or not worked_out:
        return Answer.NO, _("No hourly pay is held for staff in post."), []
    summary = _("Pay gaps are worked out by: %(names)s.") % {
        "names": ", ".join(humanise(name) for name in worked_out)
    }
    figures = [(_("Staff in post whose pay and sex are held"), f"{paid} / {staff}")]
    complete = paid / staff >= 0.8 and len(worked_out) == len(MAIN)
    return (Answer.YES if complete else Answer.PARTLY), summary, figures


def pay_gaps_closed(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    grades: dict[str, bool] = {}
    figures = []
    for name in MAIN:
        for row in results["pay"].get(name, {}).get("by_grade", []):
            gap = row["mean_gap"]
            fair = not (isinstance(row["n"], int) and row["n"] >= SMALL and isinstance(gap, float)
                        and gap >= EQUAL_PAY)  # fmt: skip
            grades[row["grade"]] = grades.get(row["grade"], True) and fair
            if not fair:
                figures.append(
                    (f"{row['grade']}: {category_label(row['category'], name)}", percent(gap))
                )
    if not grades:
        return Answer.NO, _("No pay gaps can be worked out: no hourly pay is held."), []
    equal = sum(grades.values())
    summary = _(
        "In %(equal)d of %(all)d grades no group of ten or more is paid on average 5%% or more "
        "less than the reference group."
    ) % {"equal": equal, "all": len(grades)}
    return _grade(equal / len(grades), 1.0, 0.5), summary, figures


def _overall(tables: list[dict[str, Any]], indicator: str) -> tuple[float, int]:
    table = next((t for t in tables if t["indicator"] == indicator), None)
    if table is None:
        return 0.0, 0
    n = sum(row["n"] for row in table["rows"])
    k = sum(row["numerator"] for row in table["rows"])
    return (k / n if n else 0.0), n


def training_complete(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    share, n = _overall(results["training"].get("sex", []), "trained")
    if not n:
        return Answer.NO, _("No staff in post are recorded."), []
    summary = _("%(share)s of %(n)d staff and board members had equality and diversity training in the last three years.") % {
        "share": percent(share), "n": n,
    }  # fmt: skip
    return _grade(share, spec.at_least, 0.5), summary, []


def staff_agree(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    survey = results["survey_results"]
    share, n = _overall(survey.get("sex", []), spec.measure)
    if not n:
        return Answer.NO, _("No staff survey responses are held."), []
    worse = [
        (humanise(name), category_label(row["category"], name))
        for name, tables in survey.items()
        for table in tables if table["indicator"] == spec.measure
        for row in table["rows"] if row["flag"] == "worse"
    ]  # fmt: skip
    summary = _("%(share)s of %(n)d respondents to %(survey)s agree; groups significantly less likely to: %(worse)s.") % {
        "share": percent(share), "n": n, "survey": results["survey"],
        "worse": ", ".join(group for _name, group in worse) or _("none"),
    }  # fmt: skip
    score = (share >= spec.at_least) + (not worse)
    return [Answer.NO, Answer.PARTLY, Answer.YES][score], summary, worse


def leadership_representative(
    results: Results, spec: Any
) -> tuple[str, str, list[tuple[str, str]]]:
    tables = results["leadership"]["tables"]
    if not results["counts"]["board"] and not results["counts"]["senior"]:
        return Answer.NO, _("No board members or senior managers are recorded."), []
    short: dict[str, list[str]] = {}
    for name in MAIN:
        for row in tables.get(name, {}).get("leadership_customers", []):
            share, customers = row["share"], row["benchmark_share"]
            if not isinstance(share, float) or not isinstance(customers, float):
                continue
            if row["flag"] == "under_represented" or (customers >= 0.05 and share < customers / 2):
                short.setdefault(name, []).append(category_label(row["category"], name))
    if not any(tables.get(name, {}).get("leadership_customers") for name in MAIN):
        return Answer.NO, _("There is no customer snapshot to compare with."), []
    summary = _("Board and senior managers together against customers; groups held at under half their share: %(groups)s.") % {
        "groups": "; ".join(f"{humanise(n)}: {', '.join(g)}" for n, g in short.items()) or _("none"),
    }  # fmt: skip
    answer = Answer.YES if not short else Answer.PARTLY if len(short) == 1 else Answer.NO
    return answer, summary, []


def board_trained(results: Results, spec: Any) -> tuple[str, str, list[tuple[str, str]]]:
    board, trained = results["counts"]["board"], results["counts"]["board_trained"]
    if not board:
        return Answer.NO, _("No board members are recorded."), []
    summary = _("%(trained)d of %(board)d board members had equality and diversity training in the last three years.") % {
        "trained": trained, "board": board,
    }  # fmt: skip
    return _grade(trained / board, spec.at_least, 0.5), summary, []


KINDS = {
    "labour_market": labour_market,
    "workforce_targets": workforce_targets,
    "recruitment_monitored": recruitment_monitored,
    "targets_met": targets_met,
    "pay_review": pay_review,
    "pay_gaps_closed": pay_gaps_closed,
    "training_complete": training_complete,
    "staff_agree": staff_agree,
    "leadership_representative": leadership_representative,
    "board_trained": board_trained,
}
