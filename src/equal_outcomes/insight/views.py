"""Dashboards: knowing our customers, equal outcomes (with drill-down) and who we serve.

Everything shown is an aggregate from the last snapshot (``insight.results``). The equality
lead sees results as computed; the board sees only what may be published, with disclosure
control applied. Filters come in the query string (area, customer group, period: no personal
data), so a filtered page can be bookmarked and works without JavaScript.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equal_outcomes.accounts.guards import role_required
from equal_outcomes.accounts.organisation import coverage_levels
from equal_outcomes.accounts.roles import (
    can_import,
    can_view_dashboards,
    sees_unsuppressed_results,
)
from equal_outcomes.accounts.services import require
from equal_outcomes.analysis.disclosure import SUPPRESSED
from equal_outcomes.analysis.indicators import default_indicators
from equal_outcomes.analysis.indicators import services as service_list
from equal_outcomes.core.readers import UnreadableFile
from equal_outcomes.core.templatetags.codes import (
    category_label,
    figure,
    gap_size,
    humanise,
    indicator_name,
    measured,
    percent,
)
from equal_outcomes.core.views import limit_exports
from equal_outcomes.customers.selectors import area_names
from equal_outcomes.customers.templatetags.places import area_name, customer_group
from equal_outcomes.imports.models import JobStatus
from equal_outcomes.insight import results
from equal_outcomes.insight.charts import Bar, bar_chart
from equal_outcomes.insight.jobs import report_of, report_start, reports_of, result_name, work_out
from equal_outcomes.insight.models import ReportJob
from equal_outcomes.insight.population import import_population
from equal_outcomes.standards import codelists


def levels() -> list[tuple[float, str]]:
    """The framework's coverage levels as the landlord set them, for the charts' marks."""
    achieving, excellent = coverage_levels()
    return [
        (achieving, _("Achieving %(n)d%%") % {"n": round(achieving * 100)}),
        (excellent, _("Excellent %(n)d%%") % {"n": round(excellent * 100)}),
    ]


class FilterForm(forms.Form):
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    customer_group = forms.ChoiceField(label=gettext_lazy("Customer group"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        # Areas and groups by name, as records show them (issue 27: codes and a Python list
        # of both languages' labels were on screen).
        names = area_names()
        self.fields["area"].choices = everyone + [  # type: ignore[attr-defined]
            (a, names.get(a, a)) for a in choices["area"]
        ]
        self.fields["customer_group"].choices = everyone + [  # type: ignore[attr-defined]
            (g, customer_group(g)) for g in choices["customer_group"]
        ]
        self.fields["period"].choices = [("", _("All events"))] + [  # type: ignore[attr-defined]
            (p, p) for p in choices["period"]
        ]


def _filters(request: HttpRequest) -> tuple[results.Filters, FilterForm]:
    form = FilterForm(request.GET or None, choices=results.filter_choices())
    if request.GET and form.is_valid():
        return results.Filters(**form.cleaned_data), form
    return results.Filters(), form


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 400 if context.get("form") is not None and context["form"].errors else 200
    return render(request, template, context, status=status)


def _guard(request: HttpRequest) -> bool:
    """Whether the user sees results unsuppressed (after checking they may see them at all)."""
    role = request.user.role  # type: ignore[union-attr]
    require(request, can_view_dashboards(role))
    return sees_unsuppressed_results(role)


def _waiting(
    request: HttpRequest,
    title: str,
    kind: str,
    filters: results.Filters,
    publishable: bool,
    **detail: str,
) -> HttpResponse | None:
    """None when the results are cached; otherwise asks the task worker to work them out (once)
    and gives a page that refreshes until they are ready. Large landlords' results can take
    longer than a web request may."""
    name = result_name(kind, **detail)
    if results.is_ready(name, filters, publishable):
        return None
    if results.claim(name, filters, publishable):
        work_out.enqueue(
            kind, filters.area, filters.customer_group, filters.period, publishable, **detail
        )
    if results.is_ready(name, filters, publishable):  # a worker in this process finished it
        return None
    return render(request, "insight/working.html", {"title": title})


def _results(
    request: HttpRequest,
    title: str,
    kind: str,
    fetch: Callable[[results.Filters], Any],
    *,
    publishable: bool,
    **detail: str,
) -> tuple[results.Filters, FilterForm, Any] | HttpResponse:
    """A dashboard's filters, form and results; or the page to show instead (no snapshot yet,
    or the results still being worked out)."""
    try:
        filters, form = _filters(request)
        if waiting := _waiting(request, title, kind, filters, publishable, **detail):
            return waiting
        return filters, form, fetch(filters)
    except results.NoSnapshot:
        return _no_snapshot(request, title)


def _no_snapshot(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "insight/no_snapshot.html", {"title": title})


@login_required
@require_GET
def knowing(request: HttpRequest) -> HttpResponse:
    _guard(request)
    title = _("Knowing our customers")
    found = _results(request, title, "knowing", results.knowing_our_customers, publishable=False)
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    rows = data["overall"]
    chart = bar_chart(
        _("Response rate by characteristic"),
        _(
            "Share of customers who answered or chose 'prefer not to say', for each "
            "characteristic, against the framework's Achieving and Excellent levels."
        ),
        [
            Bar(
                humanise(row["characteristic"]),
                row["response_rate"],
                text=percent(row["response_rate"]),
            )
            for row in rows
        ],
        maximum=1.0,
        marks=levels(),
    )
    context = {
        "title": title,
        "form": form,
        "filters": filters,
        "data": data,
        "chart": chart,
        "groups": _by_group(data["by_customer_group"], customer_group),
        "areas": _by_group(data["by_area"], area_name),
    }
    return _page(request, "insight/knowing.html", context)


def _by_group(rows: list[dict[str, Any]], name: Callable[[str], str]) -> list[dict[str, Any]]:
    """Coverage rows as one row per group (by ``name``), a column per characteristic."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(row["group"], {"group": name(row["group"]), "cells": []})
        group["cells"].append(row)
    return list(groups.values())


@login_required
@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    unsuppressed = _guard(request)
    title = _("Equal outcomes")
    found = _results(
        request,
        title,
        "outcomes",
        partial(results.equal_outcomes, publishable=not unsuppressed),
        publishable=not unsuppressed,
    )
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    # The grid has hundreds of cells: links and words are made here, once, not in the template.
    by_pair = {(t["indicator"], t["characteristic"]): t for t in data["tables"]}
    link = reverse("insight:outcome_detail", args=["INDICATOR", "CHARACTERISTIC"])
    query = f"?{request.GET.urlencode()}" if request.GET else ""

    def href(indicator_id: str, characteristic: str) -> str:
        return (
            link.replace("INDICATOR", indicator_id).replace("CHARACTERISTIC", characteristic)
            + query
        )

    characteristics = data.get("characteristics", [])
    # Age and the broad ethnic groups (race) are protected characteristics too.
    protected = {c.id for c in codelists.characteristics() if c.protected} | {
        "age_band",
        "ethnic_group",
    }
    grids = []
    for heading, columns in (
        (_("Protected characteristics"), [c for c in characteristics if c in protected]),
        (_("Other needs and circumstances"), [c for c in characteristics if c not in protected]),
    ):
        if not columns:
            continue
        lines = []
        for indicator in data["indicators"]:
            name = indicator_name(indicator["id"])
            cells = []
            for characteristic in columns:
                rows = by_pair.get((indicator["id"], characteristic), {"rows": []})["rows"]
                worse = sum(r["flag"] == "worse" for r in rows)
                better = sum(r["flag"] == "better" for r in rows)
                cells.append(
                    {
                        "href": href(indicator["id"], characteristic) if worse or better else "",
                        "worse": ngettext("%(n)d worse", "%(n)d worse", worse) % {"n": worse}
                        if worse
                        else "",
                        "better": ngettext("%(n)d better", "%(n)d better", better) % {"n": better}
                        if better
                        else "",
                        "hidden": _("for %(indicator)s by %(characteristic)s")
                        % {"indicator": name, "characteristic": humanise(characteristic)},
                    }
                )
            lines.append({"title": name, "href": href(indicator["id"], columns[0]), "cells": cells})
        grids.append({"heading": heading, "columns": columns, "lines": lines})
    context = {
        "title": title,
        "form": form,
        "filters": filters,
        "data": data,
        "grids": grids,
        "findings": _ranked_findings(data, href),
        "publishable": not unsuppressed,
        "query": request.GET.urlencode(),
        "no_difference": _("No difference"),
    }
    return _page(request, "insight/outcomes.html", context)


def _ranked_findings(data: dict[str, Any], href: Callable[[str, str], str]) -> list[dict[str, Any]]:
    """Every group significantly worse served, the widest gap first: what the board and the lead
    read before the grid (issue 27, item 5)."""
    found = []
    for table in data["tables"]:
        measure = table.get("measure", "rate")
        for row in table["rows"]:
            if row.get("flag") != "worse":
                continue
            gap = gap_size(row.get("difference"), measure)
            found.append(
                {
                    "indicator": indicator_name(table["indicator"]),
                    "characteristic": humanise(table["characteristic"]),
                    "group": category_label(row["category"], table["characteristic"]),
                    "value": measured(row["value"], measure),
                    "everyone": measured(row["comparator_value"], measure),
                    "gap": gap,
                    "gap_shown": (
                        _("%(gap)s points") % {"gap": figure(gap, 1)}
                        if measure == "rate"
                        else figure(gap, 1)
                    )
                    if gap is not None
                    else "—",
                    "people": row.get("n"),
                    "href": href(table["indicator"], table["characteristic"]),
                }
            )
    return sorted(found, key=lambda item: -(item["gap"] or 0))


def _edition(
    request: HttpRequest, title: str, kind: str, fetch: Callable[..., Any]
) -> tuple[bool, tuple[results.Filters, FilterForm, Any] | HttpResponse]:
    """Whether the user sees results unsuppressed, and a dashboard's results in that edition
    (``fetch`` takes the filters and ``publishable``); or the page to show instead."""
    unsuppressed = _guard(request)
    found = _results(
        request, title, kind, partial(fetch, publishable=not unsuppressed),
        publishable=not unsuppressed,
    )  # fmt: skip
    return unsuppressed, found


def _service_rows(
    data: dict[str, Any], indicators: list[Any], query: str, language: str
) -> list[dict[str, Any]]:
    """Each indicator of a service as a line of its page: the figure for everyone and the groups
    significantly worse served, each linked to its breakdown."""
    outcomes, overall = data["outcomes"], data["overall"]
    analysed = {i["id"] for i in outcomes["indicators"]}
    worse: dict[str, list[dict[str, Any]]] = {}
    for table in outcomes["tables"]:
        for row in table["rows"]:
            if row.get("flag") == "worse":
                worse.setdefault(table["indicator"], []).append(
                    {
                        "group": category_label(row["category"], table["characteristic"]),
                        "characteristic": humanise(table["characteristic"]),
                        "value": measured(row["value"], table.get("measure", "rate")),
                        "everyone": measured(row["comparator_value"], table.get("measure", "rate")),
                        "href": reverse(
                            "insight:outcome_detail",
                            args=[table["indicator"], table["characteristic"]],
                        )
                        + query,
                    }
                )
    first = (outcomes.get("characteristics") or ["age_band"])[0]
    lines = []
    for indicator in indicators:
        figures = overall.get(indicator.id, {})
        per_home = indicator.measure == "per_1000_homes"
        lines.append(
            {
                "id": indicator.id,
                "title": indicator.title_in(language),
                "analysed": indicator.id in analysed,
                "withheld": figures.get("withheld", False),
                "value": measured(figures.get("value"), indicator.measure),
                "n": figure(figures.get("n"), 0),
                "n_label": _("homes") if per_home else _("events"),
                "worse": worse.get(indicator.id, []),
                "href": reverse("insight:outcome_detail", args=[indicator.id, first]) + query,
            }
        )
    return lines


def _service_indicators(service_id: str) -> list[Any]:
    return [i for i in default_indicators() if i.service == service_id]


@login_required
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    """Every service the indicators measure, with how many groups each serves worse."""
    title = _("Services")
    unsuppressed, found = _edition(request, title, "services", results.service_figures)
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    language = get_language_code()
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    listed = []
    for item in service_list():
        lines = _service_rows(data, _service_indicators(item.id), query, language)
        listed.append(
            {
                "title": item.title_in(language),
                "href": reverse("insight:service", args=[item.id]) + query,
                "indicators": sum(line["analysed"] for line in lines),
                "worse": sum(len(line["worse"]) for line in lines),
            }
        )
    context = {
        "title": title, "form": form, "filters": filters, "data": data["outcomes"],
        "services": listed, "publishable": not unsuppressed,
    }  # fmt: skip
    return _page(request, "insight/services.html", context)


@login_required
@require_GET
def service(request: HttpRequest, service: str) -> HttpResponse:
    """One service's figures: each of its indicators for everyone, against the service
    standard where it has one, and the groups it serves significantly worse."""
    _guard(request)  # who may see dashboards at all, before saying whether the service exists
    found_service = next((item for item in service_list() if item.id == service), None)
    if found_service is None:
        raise Http404("no such service")
    language = get_language_code()
    title = found_service.title_in(language)
    unsuppressed, found = _edition(request, title, "services", results.service_figures)
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    taking_part = (
        _taking_part(results.engagement(filters, publishable=not unsuppressed))
        if service == "involvement"
        else None
    )
    context = {
        "title": title, "form": form, "filters": filters, "data": data["outcomes"],
        "taking_part": taking_part,
        "standard": found_service.standard_in(language),
        "lines": _service_rows(data, _service_indicators(service), query, language),
        "publishable": not unsuppressed,
        "back": reverse("insight:services") + query,
    }  # fmt: skip
    return _page(request, "insight/service.html", context)


def _taking_part(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Who takes part in engagement against the customer base, per characteristic: each group
    with its share of those taking part and of the customer base, under-represented first."""
    shown = []
    for name, rows in data["characteristics"].items():
        groups = [
            {
                "group": category_label(row["category"], name),
                "share": percent(row["share"]) if row["share"] != SUPPRESSED else SUPPRESSED,
                "base": percent(row["benchmark_share"]),
                "under": row["flag"] == "under_represented",
                "over": row["flag"] == "over_represented",
            }
            for row in rows
        ]
        if groups:
            shown.append({"characteristic": humanise(name), "groups": groups,
                          "under": sum(g["under"] for g in groups)})  # fmt: skip
    return shown


@login_required
@require_GET
def contractors(request: HttpRequest) -> HttpResponse:
    """The contractors' scorecard for procurement: each contractor's figures on the work it
    does, and the groups of its customers it serves significantly worse."""
    title = _("Contractors' scorecard")
    unsuppressed, found = _edition(request, title, "contractors", results.contractor_scorecard)
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    indicators = data["indicators"]
    cards = []
    for contractor in data["contractors"]:
        lines = []
        for indicator in indicators:
            cell = contractor["cells"].get(indicator)
            if cell is None:
                continue
            measure = cell["measure"]
            lines.append(
                {
                    "title": indicator_name(indicator),
                    "value": measured(cell["value"], measure) if cell["value"] is not None else "",
                    # The board's edition withholds a figure no table shows whole.
                    "withheld": cell.get("events", False) and not cell["complete"],
                    "n": figure(cell["n"], 0),
                    "worse": [
                        {
                            "group": category_label(w["category"], w["characteristic"]),
                            "characteristic": humanise(w["characteristic"]),
                            "value": measured(w["value"], measure),
                            "everyone": measured(w["everyone"], measure),
                        }
                        for w in cell["worse"]
                    ],
                }
            )
        shown = [line for line in lines if line["value"] or line["withheld"]]
        cards.append(
            {
                "name": contractor["name"],
                "lines": shown,
                "without": ", ".join(str(line["title"]) for line in lines if line not in shown),
            }
        )
    context = {
        "title": title, "form": form, "filters": filters, "data": data, "cards": cards,
        "publishable": not unsuppressed,
    }  # fmt: skip
    return _page(request, "insight/contractors.html", context)


def get_language_code() -> str:
    return (get_language() or "en")[:2]


@login_required
@require_GET
def outcome_detail(request: HttpRequest, indicator: str, characteristic: str) -> HttpResponse:
    unsuppressed = _guard(request)
    if indicator not in {i.id for i in default_indicators()}:
        raise Http404("no such indicator")
    # Checked before any work: an address made up by hand queues nothing and caches nothing.
    known = set(results.dashboard_characteristics())
    parts = characteristic.split("*")
    if len(parts) > 2 or len(set(parts)) != len(parts) or not set(parts) <= known:
        raise Http404("no such characteristic")
    if other := request.GET.get("by"):
        # Another characteristic for the same indicator, chosen on the page.
        if other not in results.filter_choices()["characteristics"]:
            raise Http404("no such characteristic")
        kept = request.GET.copy()
        del kept["by"]
        target = reverse("insight:outcome_detail", args=[indicator, other])
        return redirect(f"{target}?{kept.urlencode()}" if kept else target)
    if (second := request.GET.get("and_by")) and "*" not in characteristic:
        # The two-way breakdown chosen on the page: its own address, the filters kept.
        if second == characteristic or second not in results.filter_choices()["characteristics"]:
            raise Http404("no such characteristic")
        kept = request.GET.copy()
        del kept["and_by"]
        target = reverse("insight:outcome_detail", args=[indicator, f"{characteristic}*{second}"])
        return redirect(f"{target}?{kept.urlencode()}" if kept else target)
    found = _results(
        request,
        _("Equal outcomes"),
        "detail",
        lambda filters: results.outcome_detail(
            filters, indicator, characteristic, publishable=not unsuppressed
        ),
        publishable=not unsuppressed,
        indicator=indicator,
        characteristic=characteristic,
    )
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    if data is None:
        raise Http404("no such indicator or characteristic")
    measure = data["indicator"]["measure"]
    show = partial(measured, measure=measure)
    rows = data["table"]["rows"]
    chart = bar_chart(
        indicator_name(data["indicator"]["id"]),
        _("%(indicator)s for each %(characteristic)s group, with 95%% intervals.")
        % {
            "indicator": indicator_name(data["indicator"]["id"]),
            "characteristic": humanise(characteristic),
        },
        [
            Bar(
                category_label(row["category"], characteristic),
                row["value"],
                row["ci_low"],
                row["ci_high"],
                text=show(row["value"]),
                flag=row["flag"],
            )
            for row in rows
        ],
        maximum=1.0 if measure == "rate" else None,
    )
    context = {
        "title": indicator_name(data["indicator"]["id"]),
        "form": form,
        "filters": filters,
        "data": data,
        "chart": chart,
        "rows": [
            {
                **row,
                "shown": show(row["value"]),
                "low": show(row["ci_low"]),
                "high": show(row["ci_high"]),
                "comparator": show(row["comparator_value"]),
                "gap": _points(row["difference"])
                if measure == "rate"
                else figure(row["difference"], 1),
            }
            for row in rows
        ],
        "trend": [
            {
                "period": t["period"],
                # Each figure with the number of people it rests on (issue 27, item 12).
                "rows": {
                    r["category"]: _("%(value)s (%(n)s)")
                    % {"value": show(r["value"]), "n": figure(r.get("n"), 0)}
                    for r in t["rows"]
                },
            }
            for t in data["trend"]
        ],
        "categories": [row["category"] for row in rows],
        "second_choices": [
            (name, humanise(name))
            for name in results.filter_choices()["characteristics"]
            if name != characteristic and "*" not in characteristic
        ],
        "publishable": not unsuppressed,
    }
    return _page(request, "insight/detail.html", context)


def _points(value: Any) -> str:
    """A difference between two rates in percentage points."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _("%(points)+.0f points") % {"points": value * 100}
    return figure(value)


@login_required
@require_GET
def serve(request: HttpRequest) -> HttpResponse:
    unsuppressed = _guard(request)
    title = _("Who we serve")
    found = _results(
        request,
        title,
        "serve",
        partial(results.who_we_serve, publishable=not unsuppressed),
        publishable=not unsuppressed,
    )
    if isinstance(found, HttpResponse):
        return found
    filters, form, data = found
    sections = []
    for characteristic, rows in data["characteristics"].items():
        sections.append(
            {
                "characteristic": characteristic,
                "rows": rows,
                "chart": bar_chart(
                    _("%(characteristic)s: customers against the population")
                    % {"characteristic": humanise(characteristic)},
                    _("Each group's share of customers, with its share of the local population "
                      "marked as the end of its interval line."),
                    [
                        Bar(
                            category_label(row["category"], characteristic),
                            row["share"],
                            row["benchmark_share"],
                            row["benchmark_share"],
                            text=percent(row["share"]),
                            flag=row["flag"],
                        )
                        for row in rows
                    ],
                ),
            }
        )  # fmt: skip
    context = {
        "title": title, "form": form, "filters": filters, "data": data, "sections": sections,
        "can_load": can_import(request.user.role),  # type: ignore[union-attr]
    }  # fmt: skip
    return _page(request, "insight/serve.html", context)


class ReportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("pdf", gettext_lazy("PDF, to read and print")),
            ("xlsx", gettext_lazy("Spreadsheet (XLSX), one sheet per table")),
            ("html", gettext_lazy("Web page (HTML)")),
        ],
        error_messages={"required": gettext_lazy("Choose a format")},
    )
    internal = forms.BooleanField(
        label=gettext_lazy("Internal edition: show small groups (not for publication)"),
        required=False,
    )


@login_required
@limit_exports
def report_page(request: HttpRequest) -> HttpResponse:
    unsuppressed = _guard(request)
    filters, filter_form = (results.Filters(), None)
    with contextlib.suppress(results.NoSnapshot):  # the job will say so
        filters, filter_form = _filters(request)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        job = report_start(
            actor=request.user, file_format=form.cleaned_data["file_format"],
            publishable=not (unsuppressed and form.cleaned_data["internal"]), filters=filters,
        )  # fmt: skip
        return redirect("insight:report_job", public_id=job.public_id)
    recent = reports_of(request.user)
    context = {
        "title": _("Equality report"),
        "form": form,
        "filter_form": filter_form,
        "filters": filters,
        "may_choose_internal": unsuppressed,
        "recent": recent,
    }
    return render(request, "insight/reports.html", context, status=400 if form.errors else 200)


def _own_job(request: HttpRequest, public_id: str) -> ReportJob:
    _guard(request)
    found = report_of(request.user, public_id)
    if found is None:
        raise Http404("no such report")
    return found


@login_required
@require_GET
def report_job(request: HttpRequest, public_id: str) -> HttpResponse:
    job = _own_job(request, public_id)
    return render(request, "insight/report_job.html", {"job": job})


@login_required
@require_GET
def report_download(request: HttpRequest, public_id: str) -> FileResponse:
    job = _own_job(request, public_id)
    if job.status != JobStatus.DONE or not job.stored_path or not Path(job.stored_path).exists():
        raise Http404("the report is not ready")
    stamp = job.created_at.date().isoformat()
    edition = "publishable" if job.publishable else "internal"
    return FileResponse(
        Path(job.stored_path).open("rb"),
        as_attachment=True,
        filename=f"equality-report-{edition}-{stamp}.{job.file_format}",
        content_type=CONTENT_TYPES[job.file_format],
    )


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


class PopulationForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Census table"),
        help_text=gettext_lazy(
            "A CSV file from Nomis (nomisweb.co.uk): a Census 2021 table for your local "
            "authority, with a column for each group"
        ),
        error_messages={"required": gettext_lazy("Choose a census table (CSV)")},
    )
    characteristic = forms.ChoiceField(
        label=gettext_lazy("What the table counts"),
        error_messages={"required": gettext_lazy("Choose what the table counts")},
    )
    geography = forms.CharField(
        label=gettext_lazy("Areas to load (optional)"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Area codes such as W06000022, or your local authority's name for a table of small "
            "areas, separated by commas. Needed when the table holds areas that overlap, such "
            "as England and Wales, England and Wales."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["characteristic"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose")),  # no default: a table loaded as the wrong thing is refused
            *((item.id, humanise(item.id)) for item in codelists.characteristics()),
            ("age_band", humanise("age_band")),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file"),
            Field.select("characteristic"),
            Field.text("geography"),
            Submit("load", _("Load the table")),
        )


@role_required(can_import)
@require_http_methods(["GET", "POST"])
def population_upload(request: HttpRequest) -> HttpResponse:
    """The census tables Who we serve compares customers with, loaded from the browser as the
    command line does (issue 27, item 12: the page told the lead to run a command)."""
    form = PopulationForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "census.csv"
            path.write_bytes(upload.read())
            try:
                report = import_population(
                    path,
                    characteristic=form.cleaned_data["characteristic"],
                    actor=request.user,
                    geography=[
                        part.strip()
                        for part in form.cleaned_data["geography"].split(",")
                        if part.strip()
                    ],
                )
            except UnreadableFile as error:
                form.add_error("file", str(error))
            else:
                if report.unmatched:
                    form.add_error(
                        "file",
                        _(
                            "These columns match no group of %(counted)s, so nothing was "
                            "loaded: %(names)s. Check what the table counts."
                        )
                        % {
                            "counted": humanise(form.cleaned_data["characteristic"]).lower(),
                            "names": ", ".join(report.unmatched),
                        },
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "Loaded for %(n)d area. Who we serve now compares with it.",
                            "Loaded for %(n)d areas. Who we serve now compares with them.",
                            report.areas,
                        )
                        % {"n": report.areas},
                    )
                    return redirect("insight:serve")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Load a census table"),
            "multipart": True,
            "back": reverse("insight:serve"),
            "intro": _(
                "Who we serve compares each group's share of your customers with its share of "
                "the local population. Load one table for each characteristic you compare."
            ),
        },
        status=400 if form.errors else 200,
    )
