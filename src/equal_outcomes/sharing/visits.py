"""Contractors' visits as service events, so that no access at a visit can be broken down by
need as well as characteristic (issue 28, item 12): each closed job is a visit to every person
living at the home, with no access where the contractor reported none for it."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers.models import Customer
from equal_outcomes.sharing.models import FieldReport, Job, ReportKind, ReportStatus

EVENT_TYPE = "contractor_visit"


def load_visit_events(*, actor: Any) -> int:
    """Puts the contractors' visits recorded here into the events store as ``contractor_visit``
    events (replacing any earlier ones: this is their record), keyed like the snapshot, with
    ``no_access`` 1 when a no-access report (not one staff rejected) falls within the job,
    ``reported_back`` 1 when a need noticed at the visit was reported back within it, and the
    ``contractor`` (the agreement's partner) for the contractors' scorecard.
    Objectors and the erased are left out. Returns how many; nothing when no job is closed."""
    from equal_outcomes.insight.events import replace_events
    from equal_outcomes.insight.snapshot import person_key, pseudonymisation_key

    jobs = list(
        Job.objects.filter(closed_on__isnull=False)
        .select_related("agreement")
        .order_by("closed_on", "pk")
    )
    if not jobs:
        return 0
    homes = {job.property_id for job in jobs}
    reports: dict[tuple[int, int], list[Any]] = {}
    noticed: dict[tuple[int, int], list[Any]] = {}  # reports back of a need noticed
    for report in FieldReport.objects.filter(property_id__in=homes).exclude(
        status=ReportStatus.REJECTED
    ):
        kept = reports if report.kind == ReportKind.NO_ACCESS else noticed
        kept.setdefault((report.property_id, report.agreement_id), []).append(report.visit_on)
    residents: dict[int, list[Any]] = {}
    for home, public_id in Customer.objects.filter(
        household__property_id__in=homes, objects_to_monitoring=False, erased_at__isnull=True
    ).values_list("household__property_id", "public_id"):
        residents.setdefault(home, []).append(public_id)
    key = pseudonymisation_key()
    people, dates, no_access, reported, contractors = [], [], [], [], []
    for job in jobs:

        def within(found: dict[tuple[int, int], list[Any]], job: Job = job) -> bool:
            days = found.get((job.property_id, job.agreement_id), [])
            return any(job.opened_on <= day <= job.closed_on for day in days)

        missed, told = within(reports), within(noticed)
        for public_id in residents.get(job.property_id, []):
            people.append(person_key(public_id, key))
            dates.append(job.closed_on)
            no_access.append("1" if missed else "0")
            reported.append("1" if told else "0")
            contractors.append(job.agreement.partner)
    if not people:
        return 0
    loaded = pa.table(
        {
            "person_key": people,
            "event_type": [EVENT_TYPE] * len(people),
            "event_date": pa.array(dates, pa.date32()),
            "no_access": no_access,
            "reported_back": reported,
            "contractor": contractors,
        }
    )
    with duckdb.connect() as con:
        con.register("arrow_loaded", loaded)
        con.execute("CREATE TABLE loaded AS SELECT * FROM arrow_loaded ORDER BY person_key")
        replace_events(con, {EVENT_TYPE: len(people)})
    Auditor.record(
        actor=actor, action=AuditAction.IMPORT, target_type="events", target_id="contractor visits",
        purpose=f"{len(people)} visit events from {len(jobs)} closed jobs",
    )  # fmt: skip
    return len(people)
