"""Jobs: the work that gives a contractor a reason to visit a home, and so to read its job pack.

Jobs come from the housing or repairs system (``equal-outcomes import jobs FILE``, or the API
with the ``jobs`` scope) or are raised by staff. A job is open from the day it opens until the
day it closes. A contractor's user, or token, sees a home's job pack only while one of its
agreements has an open job there; otherwise the answer is the same as for a home that does not
exist, so a pack is never a way to look a property up.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from equal_outcomes.accounts.roles import Role, can_raise_jobs
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.readers import read_table
from equal_outcomes.customers.models import AdjustmentStatus, Property, ReasonableAdjustment
from equal_outcomes.imports.values import BadValue, parse_date
from equal_outcomes.sharing.models import (
    Agreement,
    ApiToken,
    Job,
    JobSource,
    PartnerKind,
    ShareField,
)

COLUMNS = ("job_ref", "property_ref", "contractor", "work", "opened_on", "due_on", "closed_on")
REQUIRED = ("job_ref", "property_ref", "contractor")


PRIORITY_ADJUSTMENT = "priority_repair"


def with_priority(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """Jobs marked ``priority`` where someone living at the home has an agreed adjustment to
    prioritise repairs (seed 004 section 4.4), those first. Worked out when read, so a job
    follows the adjustment as it is agreed or ended; it says nothing of why."""
    agreed = ReasonableAdjustment.objects.filter(
        customer__household__property=OuterRef("property"), customer__erased_at__isnull=True,
        status=AdjustmentStatus.AGREED, adjustment=PRIORITY_ADJUSTMENT,
    )  # fmt: skip
    return jobs.annotate(priority=Exists(agreed)).order_by(
        "-priority", "due_on", "opened_on", "job_ref"
    )


def open_on(day: dt.date | None = None) -> Q:
    """Jobs open on ``day``: opened by then and not yet closed."""
    day = day or timezone.localdate()
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def open_jobs_for(user: Any) -> QuerySet[Job]:
    """The open jobs of the agreements that name ``user``: priority jobs, then soonest due."""
    return with_priority(
        Job.objects.filter(open_on(), agreement__users=user, agreement__revoked_at__isnull=True)
        .select_related("property", "agreement")
        .distinct()
    )


def open_jobs_matching(user: Any, query: str) -> list[Job]:
    """The user's open jobs at homes whose reference (any case, with or without leading zeros),
    address or postcode matches: never a home where they have no open job, and by address only
    where the job's agreement shares the address."""
    wanted = " ".join(query.split()).lower()
    squeezed = wanted.replace(" ", "")
    digits = re.fullmatch(r"([a-z]*)0*(\d+)", squeezed)

    def matches(home: Property, address_shared: bool) -> bool:
        ref = home.property_ref.lower()
        if ref == squeezed or (digits and re.fullmatch(
            rf"{re.escape(digits.group(1)) or '[a-z]*'}0*{digits.group(2)}", ref
        )):  # fmt: skip
            return True
        if not address_shared:
            return False
        # From the start of a word: "3 Mill Street" is not in "13 Mill Street".
        return bool(re.search(rf"(?<!\w){re.escape(wanted)}", home.address.lower())) or (
            len(squeezed) >= 2 and home.postcode.lower().replace(" ", "").startswith(squeezed)
        )

    return [
        job
        for job in open_jobs_for(user)
        if matches(job.property, ShareField.ADDRESS in job.agreement.fields)
    ]


def open_job(*, agreements: QuerySet[Agreement] | list[Agreement], home: Property) -> Job | None:
    """An open job at ``home`` for one of ``agreements``, or None."""
    return (
        Job.objects.filter(open_on(), agreement__in=agreements, property=home)
        .select_related("agreement")
        .first()
    )


def recent_job(*, agreements: QuerySet[Agreement] | list[Agreement], home: Property) -> Job | None:
    """A job at ``home`` for one of ``agreements`` that is open or closed in the last 30 days:
    a contractor reports back after the visit, when the job may have closed."""
    since = timezone.localdate() - dt.timedelta(days=30)
    return (
        Job.objects.filter(agreement__in=agreements, property=home)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since))
        .select_related("agreement")
        .first()
    )


def jobs_in_scope(user: Any) -> QuerySet[Job]:
    """Open jobs staff may see: a housing officer's areas, or every home."""
    jobs = Job.objects.filter(open_on()).select_related("property", "agreement")
    if user.role == Role.HOUSING_OFFICER:
        jobs = jobs.filter(property__estate__area__officers=user)
    return with_priority(jobs)


def contractor_agreements() -> QuerySet[Agreement]:
    """Agreements a job can be given under: contractors', in force today."""
    today = timezone.localdate()
    return Agreement.objects.filter(
        kind=PartnerKind.CONTRACTOR,
        revoked_at__isnull=True,
        starts_on__lte=today,
        expires_on__gte=today,
    ).order_by("partner")


def _contractor(value: str) -> Agreement:
    """A contractor's agreement by its number or its partner's name."""
    agreements = contractor_agreements()
    text = value.strip()
    # ASCII digits only: "²" is a digit to str.isdigit() but not a number to int().
    if text.isascii() and text.isdigit():
        found = list(agreements.filter(pk=int(text)))
    else:
        found = list(agreements.filter(partner__iexact=value.strip()))
    if not found:
        raise BadValue(_("no contractor agreement in force has this name or number"))
    if len(found) > 1:
        raise BadValue(_("several agreements have this name: give the agreement number"))
    return found[0]


def _home(value: str) -> Property:
    home = Property.objects.filter(property_ref__iexact=value.strip()).first()
    if home is None:
        raise BadValue(_("no property has this reference"))
    return home


@dataclass(frozen=True)
class JobValues:
    job_ref: str
    home: Property
    agreement: Agreement
    work: str
    opened_on: dt.date
    due_on: dt.date | None
    closed_on: dt.date | None


def _values(cells: dict[str, str]) -> tuple[JobValues | None, dict[str, str]]:
    """One job's values from text, or the problem with each column."""
    problems: dict[str, str] = {}
    for name in REQUIRED:
        if not cells.get(name, "").strip():
            problems[name] = _("this is needed")
    parsed: dict[str, Any] = {}
    parsers = {"property_ref": _home, "contractor": _contractor}
    for name, parse in parsers.items():
        if name not in problems:
            try:
                parsed[name] = parse(cells[name])
            except BadValue as error:
                problems[name] = str(error)
    for name in ("opened_on", "due_on", "closed_on"):
        text = cells.get(name, "").strip()
        try:
            parsed[name] = parse_date(text) if text else None
        except BadValue as error:
            problems[name] = str(error)
    job_ref = cells.get("job_ref", "").strip()
    if len(job_ref) > Job._meta.get_field("job_ref").max_length:  # type: ignore[operator]
        problems["job_ref"] = _("at most 40 characters")
    work = cells.get("work", "").strip()
    if len(work) > 200:
        problems["work"] = _("at most 200 characters")
    opened = parsed.get("opened_on") or timezone.localdate()
    if parsed.get("closed_on") and parsed["closed_on"] < opened:
        problems["closed_on"] = _("a job cannot close before it opens")
    if problems:
        return None, problems
    return JobValues(
        job_ref=job_ref,
        home=parsed["property_ref"],
        agreement=parsed["contractor"],
        work=work,
        opened_on=opened,
        due_on=parsed["due_on"],
        closed_on=parsed["closed_on"],
    ), {}


def _save(values: JobValues, *, actor: Any, source: str, api_token: ApiToken | None = None) -> str:
    """Creates or updates the job with this reference; says which (or "unchanged")."""
    job = Job.objects.filter(job_ref=values.job_ref).first()
    fields = {
        "property": values.home,
        "agreement": values.agreement,
        "work": values.work,
        "opened_on": values.opened_on,
        "due_on": values.due_on,
        "closed_on": values.closed_on,
    }
    if job is not None and all(getattr(job, name) == value for name, value in fields.items()):
        return "unchanged"
    outcome = "updated" if job is not None else "created"
    if job is None:
        job = Job(job_ref=values.job_ref, source=source, api_token=api_token)
        job.created_by = None if isinstance(actor, str) else actor
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    Auditor.record(
        actor=actor, action=AuditAction.JOB, target_type="job", target_id=job.public_id,
        purpose=f"{outcome} ({source})",
    )  # fmt: skip
    return outcome


@transaction.atomic
def job_record(
    *, actor: Any, cells: dict[str, str], source: str = JobSource.STAFF,
    api_token: ApiToken | None = None,
) -> tuple[Job, str]:  # fmt: skip
    """Raises or updates one job from its values as text (a form, the API). Staff must be
    allowed to raise jobs, and a housing officer only in their own areas."""
    if not isinstance(actor, str) and api_token is None and not can_raise_jobs(actor.role):
        raise PermissionDenied
    values, problems = _values(cells)
    if values is None:
        raise ValidationError(problems)
    if (
        not isinstance(actor, str)
        and api_token is None
        and actor.role == Role.HOUSING_OFFICER
        and not values.home.estate.area.officers.filter(pk=actor.pk).exists()
    ):
        raise ValidationError({"property_ref": _("no property has this reference")})
    outcome = _save(values, actor=actor, source=source, api_token=api_token)
    return Job.objects.get(job_ref=values.job_ref), outcome


@transaction.atomic
def job_close(*, actor: Any, job: Job, day: dt.date | None = None) -> Job:
    if not can_raise_jobs(actor.role):
        raise PermissionDenied
    job.closed_on = day or timezone.localdate()
    job.save(update_fields=["closed_on", "version"])
    Auditor.record(actor=actor, action=AuditAction.JOB, target_type="job", target_id=job.public_id,
                   purpose="closed")  # fmt: skip
    return job


@dataclass
class JobsImport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    encoding: str = ""
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)
    dry_run: bool = False

    @property
    def written(self) -> bool:
        return not self.problems and not self.dry_run


def import_jobs(path: Path, *, actor: Any, dry_run: bool = False) -> JobsImport:
    """Jobs from the housing or repairs system's CSV or XLSX export: every row checked first,
    then all written or none; the same file again changes nothing."""
    table = read_table(path)
    headers = [header.strip().lower().replace(" ", "_") for header in table.headers]
    report = JobsImport(encoding=table.encoding, dry_run=dry_run)
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        report.problems.append((1, ", ".join(missing), _("these columns are missing")))
        return report
    checked: list[JobValues] = []
    seen: set[str] = set()
    for number, cells in table.rows:
        report.rows += 1
        values, problems = _values(dict(zip(headers, cells, strict=False)))
        report.problems += [(number, column, reason) for column, reason in problems.items()]
        if values is not None:
            if values.job_ref in seen:
                report.problems.append((number, "job_ref", _("this job is already in the file")))
            seen.add(values.job_ref)
            checked.append(values)
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        for values in checked:
            outcome = _save(values, actor=actor, source=JobSource.IMPORT)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report
