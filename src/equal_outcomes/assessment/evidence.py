"""Live evidence: the framework questions that figures can answer, answered from the latest
snapshot's results and the registers kept here (objectives, policies, impact assessments).

Each question's ``evidence`` in the framework file names a kind below and its parameters. The
result suggests an answer (yes, partly or no) with the figures behind it; the assessor accepts
it or overrides it with a reason. The rules, so that an assessor can check them:

- ``coverage`` (at least X): every protected characteristic's response rate (answered or
  "prefer not to say") is at least X: yes; at least half of them: partly; otherwise no.
- ``coverage_groups`` (at least X): leaseholders and shared owners, and other service users,
  are both in the records and each group's lowest response rate over the protected
  characteristics is at least X: yes; one group or lower rates: partly; neither: no.
- ``kept_up_to_date``: share of answers confirmed within the staleness period
  (``EQUAL_OUTCOMES_STALE_AFTER_DAYS``): at least 80%: yes; at least 50%: partly.
- ``analysed`` (indicators): every listed indicator (any, if none listed) has been broken down
  by the protected characteristics: yes; some: partly; none: no.
- ``no_worse_groups`` (indicators): analysed, and no group is flagged worse (q < 0.05 and the
  minimum effect) on any of them: yes; otherwise no, naming the groups.
- ``standard_met`` (indicators, at least X): each listed rate (a service standard, or the share
  satisfied) is at least X for everyone, and no group is flagged worse on it: yes; at least X
  for everyone but a group is worse, or some of them at least X: partly; none: no.
- ``contractors``: the contractors' scorecard has figures for at least one contractor and no
  contractor serves a group of its customers significantly worse on any of them: yes; some
  contractors do: partly; one and all do, or no contractor has figures: no.
- ``cross_section``: among the people who took part in engagement, no group of a protected
  characteristic is under-represented against the customer base: yes; under-represented
  groups in at most half the characteristics: partly; more, or no one recorded taking part: no.
- ``communication_met``: outgoing letters in the customer's recorded format and language:
  at least 98%: yes; at least 90%: partly.
- ``benchmarks``: census population tables are loaded to compare customers with: yes.
- ``objectives_reviewed`` (within N years): every active equality objective was set or reviewed
  within N years: yes; some: partly; none, or no objectives recorded: no.
- ``impact_assessments``: every policy on the register has an impact assessment within its
  review cycle: yes; some: partly; none: no.
- ``impact_mitigation``: every adverse impact recorded in an impact assessment has a mitigation:
  yes; some: partly; none: no.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.accounts.organisation import stale_after_days
from equal_outcomes.assessment.framework import Evidence, Question
from equal_outcomes.assessment.models import (
    Answer,
    Impact,
    ImpactAssessment,
    ImpactKind,
    Objective,
    ObjectiveStatus,
    Policy,
    PolicyReview,
    _years_after,
)
from equal_outcomes.assessment.workforce_evidence import KINDS as WORKFORCE
from equal_outcomes.core.templatetags.codes import (
    category_label,
    figure,
    humanise,
    indicator_name,
    measured,
    percent,
)
from equal_outcomes.insight.stores import open_store
from equal_outcomes.standards.codelists import characteristics

OWNERS, SERVICE_USERS = "owner", "service_user"


@dataclass
class LiveEvidence:
    suggested: str  # an Answer value
    summary: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    as_at: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "suggested": self.suggested,
            "summary": self.summary,
            "figures": [list(pair) for pair in self.figures],
            "as_at": self.as_at,
        }


def protected() -> list[str]:
    """Profile questions that evidence a protected characteristic, asked of everyone."""
    return [c.id for c in characteristics() if c.protected and not c.asked_when]


def protected_held() -> list[str]:
    """The protected characteristics held for everyone: age, known from the date of birth
    (issue 28, item 8), and the profile questions that evidence one."""
    return ["age_band", *protected()]


def _grade(share: float, yes: float, partly: float) -> str:
    return Answer.YES if share >= yes else Answer.PARTLY if share >= partly else Answer.NO


class Sources:
    """What live evidence is read from, each loaded once and only when a question needs it."""

    @cached_property
    def knowing(self) -> dict[str, Any] | None:
        from equal_outcomes.insight import results

        try:
            return results.knowing_our_customers(results.Filters())
        except results.NoSnapshot:
            return None

    @cached_property
    def outcomes(self) -> dict[str, Any] | None:
        from equal_outcomes.insight import results

        try:
            return results.equal_outcomes(results.Filters(), publishable=False)
        except results.NoSnapshot:
            return None

    @cached_property
    def workforce(self) -> dict[str, Any]:
        from equal_outcomes.workforce.analysis import workforce_results

        return workforce_results(actor="system:live-evidence", publishable=False)

    @cached_property
    def contractors(self) -> dict[str, Any] | None:
        from equal_outcomes.insight import results

        try:
            return results.contractor_scorecard(results.Filters(), publishable=False)
        except results.NoSnapshot:
            return None

    @cached_property
    def engagement(self) -> dict[str, Any] | None:
        from equal_outcomes.insight import results

        try:
            return results.engagement(results.Filters(), publishable=False)
        except results.NoSnapshot:
            return None

    @cached_property
    def as_at(self) -> str:
        from equal_outcomes.insight import results

        return results.data_as_at() or ""


NO_SNAPSHOT = "no snapshot"


def _coverage(spec: Evidence, sources: Sources) -> LiveEvidence:
    data = sources.knowing
    if data is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    names = set(protected_held())
    rows = [row for row in data["overall"] if row["characteristic"] in names]
    if not rows:
        return LiveEvidence(Answer.NO, _("No protected characteristics are recorded yet."))
    meeting = [row for row in rows if row["response_rate"] >= spec.at_least]
    lowest = min(rows, key=lambda row: row["response_rate"])
    suggested = (
        Answer.YES
        if len(meeting) == len(rows)
        else Answer.PARTLY
        if len(meeting) * 2 >= len(rows)
        else Answer.NO
    )
    summary = _(
        "%(meeting)d of %(all)d protected characteristics have a response rate of at least "
        "%(level)s; the lowest is %(name)s at %(rate)s."
    ) % {
        "meeting": len(meeting),
        "all": len(rows),
        "level": percent(spec.at_least),
        "name": humanise(lowest["characteristic"]),
        "rate": percent(lowest["response_rate"]),
    }
    figures = [(humanise(row["characteristic"]), percent(row["response_rate"])) for row in rows]
    return LiveEvidence(suggested, summary, figures)


def _coverage_groups(spec: Evidence, sources: Sources) -> LiveEvidence:
    data = sources.knowing
    if data is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    names = set(protected_held())
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in data["by_customer_group"]:
        if row["characteristic"] in names and row["people"]:
            groups.setdefault(row["group"], []).append(row)
    figures = []
    meeting = 0
    for group, label in ((OWNERS, _("Leaseholders and shared owners")),
                         (SERVICE_USERS, _("Other service users"))):  # fmt: skip
        rows = groups.get(group, [])
        if not rows:
            figures.append((label, _("none in the records")))
            continue
        lowest = min(row["response_rate"] for row in rows)
        figures.append(
            (label, _("%(people)s people; lowest response rate %(rate)s")
             % {"people": f"{rows[0]['people']:,}", "rate": percent(lowest)})
        )  # fmt: skip
        meeting += lowest >= spec.at_least
    present = sum(1 for group in (OWNERS, SERVICE_USERS) if groups.get(group))
    if meeting == 2:
        suggested = Answer.YES
    elif present:
        suggested = Answer.PARTLY
    else:
        suggested = Answer.NO
    if spec.at_least:
        summary = _(
            "Response rates for leaseholders and other service users against %(level)s."
        ) % {"level": percent(spec.at_least)}
    else:
        summary = _("Whether profiles are held for leaseholders and other service users.")
    return LiveEvidence(suggested, summary, figures)


def _kept_up_to_date(spec: Evidence, sources: Sources) -> LiveEvidence:
    data = sources.knowing
    if data is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    names = set(protected())
    rows = [row for row in data["overall"] if row["characteristic"] in names]
    answered = sum(row["answered"] for row in rows)
    stale = sum(row.get("stale", 0) for row in rows)
    confirmed = 1 - stale / answered if answered else 0.0
    days = stale_after_days()
    summary = _("%(share)s of answers were given or confirmed in the last %(days)d days.") % {
        "share": percent(confirmed),
        "days": days,
    }
    figures = [
        (humanise(row["characteristic"]), percent(1 - row.get("stale_share", 0))) for row in rows
    ]
    return LiveEvidence(_grade(confirmed, 0.8, 0.5), summary, figures)


def _tables_for(spec: Evidence, sources: Sources) -> tuple[list[str], dict[str, list[Any]]]:
    data = sources.outcomes or {"tables": [], "indicators": []}
    wanted = list(spec.indicators) or [i["id"] for i in data["indicators"]]
    names = set(protected())
    found: dict[str, list[Any]] = {}
    for table in data["tables"]:
        if (
            table["indicator"] in wanted
            and table["characteristic"] in names
            and any(row["n"] for row in table["rows"])
        ):
            found.setdefault(table["indicator"], []).append(table)
    return wanted, found


def _analysed(spec: Evidence, sources: Sources) -> LiveEvidence:
    if sources.outcomes is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    wanted, found = _tables_for(spec, sources)
    if spec.indicators:
        share = len(found) / len(wanted)
        suggested = _grade(share, 1.0, 1e-9)
    else:
        suggested = Answer.YES if found else Answer.NO
    summary = _(
        "%(found)d of %(wanted)d indicators are broken down by protected characteristic from "
        "the last snapshot."
    ) % {"found": len(found), "wanted": len(wanted)}
    figures = [
        (indicator_name(indicator), _("by %(count)d characteristics") % {"count": len(found[indicator])}
         if indicator in found else _("no results"))
        for indicator in wanted
    ]  # fmt: skip
    return LiveEvidence(suggested, summary, figures)


def _no_worse_groups(spec: Evidence, sources: Sources) -> LiveEvidence:
    if sources.outcomes is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    _wanted, found = _tables_for(spec, sources)
    if not found:
        return LiveEvidence(Answer.NO, _("None of these indicators has results yet."))
    worse = [
        (table["indicator"], table["characteristic"], row)
        for tables in found.values()
        for table in tables
        for row in table["rows"]
        if row["flag"] == "worse"
    ]
    figures = [
        (
            f"{indicator_name(indicator)}: {category_label(row['category'], characteristic)}",
            _("worse than everyone else (q = %(q)s)") % {"q": figure(row["q_value"])},
        )
        for indicator, characteristic, row in worse[:10]
    ]
    if worse:
        summary = _("%(count)d groups fare significantly worse than everyone else.") % {
            "count": len(worse)
        }
        return LiveEvidence(Answer.NO, summary, figures)
    summary = _("No group fares significantly worse on %(count)d indicators analysed.") % {
        "count": len(found)
    }
    return LiveEvidence(Answer.YES, summary)


def _overall_rate(tables: list[dict[str, Any]]) -> tuple[float, int]:
    """A rate for everyone, and the events it rests on, from one breakdown of it: its groups
    together are everyone."""
    rows = tables[0]["rows"]
    events = sum(row["n"] or 0 for row in rows)
    met = sum(row["numerator"] or 0 for row in rows)
    return (met / events if events else 0.0), events


def _standard_met(spec: Evidence, sources: Sources) -> LiveEvidence:
    if sources.outcomes is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    wanted, found = _tables_for(spec, sources)
    if not found:
        return LiveEvidence(Answer.NO, _("None of these indicators has results yet."))
    figures, meeting, fair = [], 0, 0
    for indicator in wanted:
        tables = found.get(indicator)
        if not tables:
            figures.append((indicator_name(indicator), _("no results")))
            continue
        share, events = _overall_rate(tables)
        worse = sorted(
            {
                f"{category_label(row['category'], table['characteristic'])} "
                f"({humanise(table['characteristic'])})"
                for table in tables
                for row in table["rows"]
                if row["flag"] == "worse"
            }
        )
        meets = share >= spec.at_least
        meeting += meets
        fair += meets and not worse
        shown = _("%(share)s of %(events)s") % {"share": percent(share), "events": f"{events:,}"}
        if worse:
            shown += "; " + _("worse for: %(groups)s") % {"groups": ", ".join(worse[:5])}
        figures.append((indicator_name(indicator), shown))
    suggested = Answer.YES if fair == len(wanted) else Answer.PARTLY if meeting else Answer.NO
    summary = _(
        "%(meeting)d of %(all)d indicators reach %(level)s for everyone; %(fair)d of them with "
        "no group significantly worse served."
    ) % {"meeting": meeting, "all": len(wanted), "level": percent(spec.at_least), "fair": fair}
    return LiveEvidence(suggested, summary, figures)


def _contractors(spec: Evidence, sources: Sources) -> LiveEvidence:
    data = sources.contractors
    if data is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    scored = [c for c in data["contractors"] if any(c["cells"].values())]
    if not scored:
        return LiveEvidence(Answer.NO, _("No events name a contractor yet."))
    figures, fair = [], 0
    for contractor in scored:
        worse = sorted(
            {
                f"{indicator_name(indicator)}: {category_label(w['category'], w['characteristic'])}"
                for indicator, cell in contractor["cells"].items()
                for w in cell["worse"]
            }
        )
        fair += not worse
        figures.append(
            (contractor["name"], "; ".join(worse[:4]) if worse else _("no group served worse"))
        )
    suggested = Answer.YES if fair == len(scored) else Answer.PARTLY if fair else Answer.NO
    summary = _(
        "%(fair)d of %(all)d contractors serve no group of their customers significantly worse "
        "on the scorecard."
    ) % {"fair": fair, "all": len(scored)}
    return LiveEvidence(suggested, summary, figures)


def _cross_section(spec: Evidence, sources: Sources) -> LiveEvidence:
    data = sources.engagement
    if data is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    found = data["characteristics"]
    if not found:
        return LiveEvidence(Answer.NO, _("No one is recorded as taking part yet."))
    under = {
        name: [category_label(row["category"], name) for row in rows
               if row["flag"] == "under_represented"]
        for name, rows in found.items()
    }  # fmt: skip
    short = [name for name, groups in under.items() if groups]
    suggested = (
        Answer.YES if not short else Answer.PARTLY if len(short) * 2 <= len(found) else Answer.NO
    )
    summary = _(
        "%(fair)d of %(all)d characteristics have no group under-represented among the people "
        "taking part, against the customer base."
    ) % {"fair": len(found) - len(short), "all": len(found)}
    figures = [(humanise(name), ", ".join(under[name])) for name in short]
    return LiveEvidence(suggested, summary, figures)


def _communication_met(spec: Evidence, sources: Sources) -> LiveEvidence:
    if sources.outcomes is None:
        return LiveEvidence(Answer.NO, NO_SNAPSHOT)
    tables = [
        t for t in sources.outcomes["tables"] if t["indicator"] == "letters_in_preferred_format"
    ]
    if not tables:
        return LiveEvidence(Answer.NO, _("No outgoing letters have been loaded."))
    share, letters = _overall_rate(tables)  # one breakdown's groups together: every letter
    summary = _(
        "%(share)s of %(letters)s letters went in the customer's preferred format and language."
    ) % {
        "share": percent(share),
        "letters": f"{letters:,}",
    }
    return LiveEvidence(_grade(share, 0.98, 0.9), summary)


def _benchmarks(spec: Evidence, sources: Sources) -> LiveEvidence:
    from equal_outcomes.insight.population import population_path

    if not population_path().exists():
        return LiveEvidence(
            Answer.NO, _("No census tables are loaded ('equal-outcomes import population').")
        )

    with open_store(population_path(), read_only=True) as con:
        found = [
            row[0]
            for row in con.execute("SELECT DISTINCT characteristic FROM population").fetchall()
        ]
    summary = _("Census tables are loaded for: %(names)s.") % {
        "names": ", ".join(humanise(name) for name in sorted(found))
    }
    return LiveEvidence(Answer.YES if found else Answer.NO, summary)


def _objectives_reviewed(spec: Evidence, sources: Sources) -> LiveEvidence:
    today = timezone.localdate()
    active = list(Objective.objects.filter(status=ObjectiveStatus.ACTIVE))
    if not active:
        return LiveEvidence(Answer.NO, _("No active equality objectives are recorded."))
    since = _years_after(today, -spec.within_years)
    current = [o for o in active if (o.last_reviewed_on or o.set_on) >= since]
    summary = _(
        "%(current)d of %(all)d active equality objectives were set or reviewed in the last "
        "%(years)d years."
    ) % {"current": len(current), "all": len(active), "years": spec.within_years}
    figures = [(o.title, str(o.last_reviewed_on or o.set_on)) for o in active if o not in current]
    return LiveEvidence(_grade(len(current) / len(active), 1.0, 1e-9), summary, figures)


def _impact_assessments(spec: Evidence, sources: Sources) -> LiveEvidence:
    policies = list(Policy.objects.prefetch_related("reviews", "impact_assessments"))
    if not policies:
        return LiveEvidence(Answer.NO, _("No policies are on the register."))
    assessed = [p for p in policies if p.current_assessment is not None]
    summary = _(
        "%(assessed)d of %(all)d policies have an equality impact assessment within their "
        "review cycle."
    ) % {"assessed": len(assessed), "all": len(policies)}
    figures = [(p.name, _("no current impact assessment")) for p in policies if p not in assessed]
    return LiveEvidence(_grade(len(assessed) / len(policies), 1.0, 1e-9), summary, figures)


def _impact_mitigation(spec: Evidence, sources: Sources) -> LiveEvidence:
    adverse = list(Impact.objects.filter(impact=ImpactKind.NEGATIVE))
    if not adverse:
        if not Impact.objects.exists():
            return LiveEvidence(Answer.NO, _("No impact assessments are recorded."))
        return LiveEvidence(Answer.YES, _("No adverse impacts are recorded."))
    mitigated = [impact for impact in adverse if impact.mitigation.strip()]
    summary = _("%(mitigated)d of %(all)d adverse impacts have a mitigation recorded.") % {
        "mitigated": len(mitigated),
        "all": len(adverse),
    }
    return LiveEvidence(_grade(len(mitigated) / len(adverse), 1.0, 1e-9), summary)


def _workforce(spec: Evidence, sources: Sources) -> LiveEvidence:
    """The workforce and leadership kinds, in ``assessment.workforce_evidence``."""

    suggested, summary, figures = WORKFORCE[spec.kind](sources.workforce, spec)
    return LiveEvidence(suggested, summary, figures)


KINDS: dict[str, Callable[[Evidence, Sources], LiveEvidence]] = {
    "coverage": _coverage,
    "coverage_groups": _coverage_groups,
    "kept_up_to_date": _kept_up_to_date,
    "analysed": _analysed,
    "no_worse_groups": _no_worse_groups,
    "standard_met": _standard_met,
    "contractors": _contractors,
    "cross_section": _cross_section,
    "communication_met": _communication_met,
    "benchmarks": _benchmarks,
    "objectives_reviewed": _objectives_reviewed,
    "impact_assessments": _impact_assessments,
    "impact_mitigation": _impact_mitigation,
    **dict.fromkeys(
        (
            "labour_market", "workforce_targets", "recruitment_monitored", "targets_met",
            "pay_review", "pay_gaps_closed", "training_complete", "staff_agree",
            "leadership_representative", "board_trained",
        ),
        _workforce,
    ),
}  # fmt: skip


def live_evidence(question: Question, sources: Sources | None = None) -> LiveEvidence | None:
    """What the figures say about a question, or None when no figures can answer it."""
    if question.evidence is None:
        return None
    sources = sources or Sources()
    found = KINDS[question.evidence.kind](question.evidence, sources)
    if found.summary == NO_SNAPSHOT:
        found.summary = _("There is no snapshot yet: run 'equal-outcomes snapshot'.")
    found.as_at = sources.as_at
    return found


def impact_figures(indicators: list[str], sources: Sources | None = None) -> dict[str, str]:
    """Where an impact assessment starts (issue 31, item 12): per protected characteristic, what
    the outcome tables of ``indicators`` say, in words: each group significantly worse or
    better served with its figure against everyone else's, or that no group differs. Empty when
    there are no results yet."""
    sources = sources or Sources()
    data = sources.outcomes
    if data is None or not indicators:
        return {}
    by_pair = {(t["indicator"], t["characteristic"]): t for t in data["tables"]}
    heading = _("From the outcome tables (data as at %(when)s):") % {"when": sources.as_at[:10]}
    found: dict[str, str] = {}
    for name in protected():
        lines = [heading]
        for indicator in indicators:
            title = indicator_name(indicator)
            table = by_pair.get((indicator, name))
            if table is None or not table["rows"]:
                lines.append(_("%(indicator)s: no results") % {"indicator": title})
                continue
            measure = table.get("measure", "rate")
            flagged = [row for row in table["rows"] if row["flag"] in {"worse", "better"}]
            if not flagged:
                lines.append(
                    _("%(indicator)s: no group differs significantly") % {"indicator": title}
                )
            for row in flagged:
                lines.append(
                    _("%(indicator)s: %(group)s %(value)s against %(everyone)s for everyone else "
                      "(%(finding)s)")
                    % {
                        "indicator": title,
                        "group": category_label(row["category"], name),
                        "value": measured(row["value"], measure),
                        "everyone": measured(row["comparator_value"], measure),
                        "finding": _("worse served") if row["flag"] == "worse" else _("better served"),
                    }
                )  # fmt: skip
        found[name] = "\n".join(lines)
    return found


def worse_group(indicators: list[str], characteristic: str) -> tuple[str, str]:
    """The first of ``indicators`` on which a group of ``characteristic`` is significantly worse
    served, and that group: what a mitigation's action would measure. Blank when none is."""
    data = Sources().outcomes or {"tables": []}
    for indicator in indicators:
        for table in data["tables"]:
            if (table["indicator"], table["characteristic"]) != (indicator, characteristic):
                continue
            for row in table["rows"]:
                if row["flag"] == "worse":
                    return indicator, row["category"]
    return (indicators[0] if indicators else ""), ""


def impact_assessments_per_policy_review(year: int) -> dict[str, int]:
    """The toolkit's indicator: impact assessments completed in a year against the policies
    reviewed that year."""

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {
        "impact_assessments": ImpactAssessment.objects.filter(
            completed_on__range=(start, end)
        ).count(),
        "policies_reviewed": PolicyReview.objects.filter(reviewed_on__range=(start, end))
        .values("policy")
        .distinct()
        .count(),
    }
