"""The workforce results laid out as tables: for the dashboard, and for the workforce report as
HTML, PDF (WeasyPrint) or XLSX. Each section is a list of tables of text cells, each row with
its findings, so the page, the report and the spreadsheet show exactly the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.analysis.disclosure import SUPPRESSED
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.spreadsheets import workbook_bytes
from equal_outcomes.core.templatetags.codes import category_label, figure, humanise, percent
from equal_outcomes.workforce.analysis import LEADERSHIP_BY, PAY_BY, workforce_results

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WORSE = frozenset({"worse", "under_represented"})
# A pay gap this wide or wider is a finding: the Equality and Human Rights Commission's equal
# pay audit guidance treats a gap of 5 % or more as significant.
PAY_GAP = 0.05
# Below this many people a group's share against a target says nothing.
SMALL_GROUP = 10


@dataclass
class Row:
    cells: list[str]
    findings: list[tuple[str, str]] = field(default_factory=list)  # (text, "worse"|"better"|...)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[Row]


@dataclass
class Section:
    id: str
    title: str
    intro: str
    tables: list[Table]


def _finding(flag: str, what: str = "") -> tuple[str, str] | None:
    words = {
        "worse": _("worse"),
        "better": _("better"),
        "under_represented": _("under-represented"),
        "over_represented": _("over-represented"),
    }
    if flag not in words:
        return None
    return (f"{what}: {words[flag]}" if what else str(words[flag]).capitalize(), flag)


def _money(value: Any) -> str:
    return f"£{value:,.2f}" if isinstance(value, int | float) else figure(value)


def rate_tables(
    tables_by: dict[str, list[dict[str, Any]]], titles: dict[str, str], count_label: str
) -> list[Table]:
    """One table per characteristic: each group's number and its rate for every outcome, with
    the outcomes where it is significantly worse or better than everyone else."""
    found = []
    for characteristic, tables in tables_by.items():
        categories: list[str] = []
        for table in tables:
            categories += [r["category"] for r in table["rows"] if r["category"] not in categories]
        rows = []
        for category in categories:
            mine = [next((r for r in t["rows"] if r["category"] == category), None) for t in tables]
            first: dict[str, Any] = next((r for r in mine if r is not None), {})
            row = Row([category_label(category, characteristic), figure(first.get("n"), 0)])
            for table, result in zip(tables, mine, strict=True):
                row.cells.append(percent(result["value"]) if result else "—")
                if result and (finding := _finding(result["flag"], titles[table["indicator"]])):
                    row.findings.append(finding)
            rows.append(row)
        headers = [_("Group"), count_label, *(titles[t["indicator"]] for t in tables)]
        found.append(Table(humanise(characteristic), headers, rows))
    return found


def _profile(results: dict[str, Any]) -> list[Table]:
    found = []
    for characteristic, data in results["profile"].items():
        rows = []
        for r in data["rows"]:
            row = Row([
                category_label(r["category"], characteristic), figure(r["people"], 0), percent(r["share"]),
                percent(r["benchmark_share"]), percent(r["target_share"]),
            ])  # fmt: skip
            if finding := _finding(r["flag"]):
                row.findings.append(finding)
            if (
                isinstance(r["share"], float)
                and r["target_share"] is not None
                and r["share"] < r["target_share"]
                and isinstance(r["people"], int)
                and r["people"] >= SMALL_GROUP  # a group of 3 is no finding either way
            ):
                row.findings.append((_("below target"), "worse"))
            rows.append(row)
        caption = _("%(name)s (answered: %(share)s)") % {
            "name": humanise(characteristic),
            "share": percent(data["response_rate"]),
        }
        found.append(Table(caption, [_("Group"), _("Staff"), _("Share"), _("Labour market"),
                                     _("Target")], rows))  # fmt: skip
    return found


def _pay(results: dict[str, Any]) -> list[Table]:
    headers = [_("Group"), _("Staff"), _("Mean hourly pay"), _("Median hourly pay"),
               _("Mean gap"), _("Median gap")]  # fmt: skip
    found = []
    for characteristic in PAY_BY:
        data = results["pay"].get(characteristic)
        if not data:
            continue
        for part, caption in (("overall", _("all staff")), ("by_grade", _("within each grade"))):
            rows = []
            for r in data[part]:
                group = category_label(r["category"], characteristic)
                if r["category"] == r["reference"]:
                    group = _("%(group)s (reference)") % {"group": group}
                row = Row([
                    *([r["grade"]] if part == "by_grade" else []), group, figure(r["n"], 0),
                    _money(r["mean_pay"]), _money(r["median_pay"]), percent_1(r["mean_gap"]),
                    percent_1(r["median_gap"]),
                ])  # fmt: skip
                gaps = [g for g in (r["mean_gap"], r["median_gap"]) if isinstance(g, int | float)]
                if r["category"] != r["reference"] and gaps and max(map(abs, gaps)) >= PAY_GAP:
                    widest = max(gaps, key=abs)
                    words = _("paid %(gap)s less") if widest > 0 else _("paid %(gap)s more")
                    row.findings.append(
                        (
                            words % {"gap": percent_1(abs(widest))},
                            "worse" if widest > 0 else "better",
                        )
                    )
                rows.append(row)
            found.append(Table(
                f"{humanise(characteristic)}: {caption}",
                [*([_("Grade")] if part == "by_grade" else []), *headers], rows,
            ))  # fmt: skip
    return found


def percent_1(value: Any) -> str:
    return f"{value:.1%}" if isinstance(value, int | float) else figure(value)


def _leadership(results: dict[str, Any]) -> list[Table]:
    data = results["leadership"]
    found = []
    for characteristic in LEADERSHIP_BY:
        tables = data["tables"].get(characteristic, {})
        if not tables:
            continue
        categories: list[str] = []
        for rows in tables.values():
            categories += [r["category"] for r in rows if r["category"] not in categories]
        headers = [_("Group")]
        columns = []
        for who, label in (("board", _("Board")), ("senior", _("Senior managers"))):
            key = f"{who}_customers"
            if key in tables:
                headers += [label, _("Share")]
                columns.append(key)
        rows = []
        first = next(iter(tables.values()))
        population = tables.get("leadership_population")
        for category in categories:
            row = Row([category_label(category, characteristic)])
            for key in columns:
                r = next((x for x in tables[key] if x["category"] == category), None)
                row.cells += [figure(r["people"], 0), percent(r["share"])] if r else ["—", "—"]
            customers = next((x for x in first if x["category"] == category), None)
            row.cells.append(percent(customers["benchmark_share"]) if customers else "—")
            if population is not None:
                p = next((x for x in population if x["category"] == category), None)
                row.cells.append(percent(p["benchmark_share"]) if p else "—")
            joint = next(
                (x for x in tables.get("leadership_customers", []) if x["category"] == category),
                None,
            )
            if joint and (finding := _finding(joint["flag"])):
                row.findings.append(finding)
            rows.append(row)
        headers.append(_("Customers"))
        if population is not None:
            headers.append(_("Local population"))
        found.append(Table(humanise(characteristic), headers, rows))
    return found


@dataclass
class Finding:
    section: Section
    caption: str
    group: str
    what: str
    worse: bool


def summary(found: list[Section]) -> list[Finding]:
    """Every finding the sections hold, worse ones first: the dashboard's summary, so the
    reader need not go through every table to learn what the figures show (issue 27, item 11)."""
    listed = [
        Finding(
            section,
            table.caption,
            # Within each grade, the grade and the group.
            " ".join(row.cells[:2]) if table.headers[0] == _("Grade") else row.cells[0],
            text,
            flag in WORSE,
        )
        for section in found
        for table in section.tables
        for row in table.rows
        for text, flag in row.findings
    ]
    return sorted(listed, key=lambda finding: not finding.worse)


def charts(results: dict[str, Any]) -> list[Any]:
    """The staff in post as charts, like the customer dashboards': each group's share of the
    staff for every characteristic, under-represented groups in red (issue 27, item 11)."""
    from equal_outcomes.insight.charts import Bar, bar_chart

    found = []
    for characteristic, data in results["profile"].items():
        bars = [
            Bar(
                category_label(r["category"], characteristic),
                r["share"] if isinstance(r["share"], int | float) else None,
                text=percent(r["share"]),
                flag={"under_represented": "worse", "over_represented": "better"}.get(
                    r["flag"], ""
                ),
            )
            for r in data["rows"]
        ]
        if not bars:
            continue
        name = humanise(characteristic)
        found.append(
            bar_chart(
                _("Staff in post by %(name)s") % {"name": name},
                _(
                    "Each group's share of the staff in post; groups under-represented against "
                    "the local labour market are marked worse."
                ),
                bars,
                maximum=1.0,
            )
        )
    return found


def sections(results: dict[str, Any]) -> list[Section]:
    counts = results["counts"]
    stages = {
        "shortlisted_of_applied": _("Shortlisted"),
        "interviewed_of_shortlisted": _("Interviewed"),
        "appointed_of_interviewed": _("Appointed"),
    }
    return [
        Section("profile", _("Staff in post"), _(
            "The %(n)s staff in post by each characteristic, against the local labour market and "
            "our targets. A group is marked under- or over-represented when the difference is "
            "statistically significant (exact binomial test, q < 0.05) and at least a tenth."
        ) % {"n": counts["staff"]}, _profile(results)),
        Section("recruitment", _("Recruitment"), _(
            "The %(n)s applications of the last two years: the share of each group reaching each "
            "stage, of those who reached the stage before, compared with everyone else."
        ) % {"n": counts["applications"]}, rate_tables(results["funnel"], stages, _("Applied"))),
        Section("pay", _("Pay gaps"), _(
            "The difference between the reference group's mean (and median) hourly pay and each "
            "group's, as a share of the reference group's: positive means the group is paid less. "
            "Staff whose answer is not known are left out."
        ), _pay(results)),
        Section("training", _("Equality and diversity training"), _(
            "Staff and board members who completed equality and diversity training in the last "
            "three years."
        ), rate_tables(results["training"], {"trained": _("Trained")}, _("People"))),
        Section("survey", _("Staff survey"), _(
            "%(n)s responses to %(survey)s, by the respondents' own answers."
        ) % {"n": counts["responses"], "survey": results["survey"] or _("the staff survey")},
            rate_tables(results["survey_results"], {
                "satisfied": _("Satisfied"), "fair_employer": _("Good and fair employer"),
                "treated_with_respect": _("Treated with dignity and respect"),
                "safe_at_work": _("Safe and secure"),
            }, _("Responses"))),
        Section("cases", _("Grievance, harassment and bullying"), _(
            "Staff in post who raised a grievance or a harassment or bullying case, or were "
            "subject to a disciplinary, in the last two years."
        ), rate_tables(results["cases"], {
            "harassment_or_bullying": _("Harassment or bullying"), "grievance": _("Grievance"),
            "disciplinary": _("Disciplinary"),
        }, _("Staff"))),
        Section("leavers", _("Leavers"), _(
            "Of the staff in post a year ago, those who have left since (%(n)s), and those dismissed."
        ) % {"n": counts["leavers"]}, rate_tables(results["leavers"], {
            "left": _("Left"), "dismissed": _("Dismissed")}, _("Staff"))),
        Section("leadership", _("Board and senior managers"), _(
            "The board (%(board)s) and senior managers (%(senior)s) against our customers and the "
            "local population. Groups under-represented among the two together are marked."
        ) % {"board": counts["board"], "senior": counts["senior"]}, _leadership(results)),
    ]  # fmt: skip


def html(results: dict[str, Any], *, publishable: bool) -> str:
    return render_to_string(
        "reports/workforce.html",
        {
            "results": results,
            "sections": sections(results),
            "publishable": publishable,
            "generated_at": timezone.now(),
        },
    )


def xlsx(results: dict[str, Any]) -> bytes:
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        ("About", ["item", "value"], [
            ["report", "Workforce equality report"],
            ["as at", results["as_at"]],
            *[[name, value] for name, value in results["counts"].items()],
        ]),
    ]  # fmt: skip
    for section in sections(results):
        rows: list[list[Any]] = []
        for table in section.tables:
            rows.append([table.caption])
            rows.append([*table.headers, "findings"])
            rows += [
                [*row.cells, "; ".join(text for text, _ in row.findings)] for row in table.rows
            ]
            rows.append([])
        sheets.append((section.title[:31], [section.title], rows))
    return workbook_bytes(sheets)


def render(results: dict[str, Any], file_format: str, *, publishable: bool) -> bytes:
    if file_format == "html":
        return html(results, publishable=publishable).encode()
    if file_format == "pdf":
        from weasyprint import HTML  # imported late: it loads system libraries

        return bytes(HTML(string=html(results, publishable=publishable)).write_pdf())
    if file_format == "xlsx":
        return xlsx(results)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


def workforce_report(*, actor: Any, file_format: str, publishable: bool) -> bytes:
    results = workforce_results(actor=actor, publishable=publishable)
    content = render(results, file_format, publishable=publishable)
    Auditor.record(
        actor=actor,
        action=AuditAction.REPORT,
        target_type="workforce",
        target_id="report",
        purpose=f"workforce {file_format}{' (publishable)' if publishable else ''}",
    )
    return content


__all__ = ["FORMATS", "SUPPRESSED", "WORSE", "sections", "workforce_report"]
