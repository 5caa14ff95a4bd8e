"""Outcomes by need (issue 28, item 12): the snapshot carries whether a support or communication
need is held and its kinds, leaving out needs held for named teams or not told to the person;
no access at contractors' visits, and at gas and cyclical visits, breaks down by them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from equal_outcomes.customers.models import CommunicationNeed, Confidentiality
from equal_outcomes.insight.snapshot import build_snapshot, person_key, store_path
from equal_outcomes.insight.stores import open_store
from equal_outcomes.sharing.models import Agreement, FieldReport, Job, ReportKind
from equal_outcomes.sharing.visits import load_visit_events
from tests.factories import CustomerFactory, HouseholdFactory, PropertyFactory, SupportNeedFactory

pytestmark = pytest.mark.django_db


def people() -> dict[str, dict[str, Any]]:
    with open_store(store_path(), read_only=True) as con:
        cursor = con.execute(
            "SELECT person_key, has_support_need, support_need_kind, has_communication_need "
            "FROM people"
        )
        return {row[0]: {"support": row[1], "kinds": row[2], "communication": row[3]}
                for row in cursor.fetchall()}  # fmt: skip


def test_the_snapshot_carries_needs_but_not_restricted_or_untold_ones(lead: Any) -> None:
    both = CustomerFactory()
    SupportNeedFactory(customer=both, need="mental_health")
    SupportNeedFactory(customer=both, need="hearing_impairment")
    CommunicationNeed.objects.create(customer=both, need="large_print", source="contact",
                                     recorded_at=timezone.now())  # fmt: skip
    restricted = CustomerFactory()
    SupportNeedFactory(customer=restricted, confidentiality=Confidentiality.RESTRICTED)
    untold = CustomerFactory()
    SupportNeedFactory(customer=untold, customer_told=False)
    ended = CustomerFactory()
    SupportNeedFactory(customer=ended, end_date=timezone.localdate() - dt.timedelta(days=1))
    build_snapshot(actor="system:test")
    held = people()
    assert held[person_key(both.public_id)] == {
        "support": "yes", "kinds": "hearing_impairment|mental_health", "communication": "yes"}  # fmt: skip
    for nobody in (restricted, untold, ended):
        assert held[person_key(nobody.public_id)] == {
            "support": "no", "kinds": "none", "communication": "no"}  # fmt: skip


def test_no_access_at_contractors_visits_breaks_down_by_need(lead: Any, capsys: Any) -> None:
    contractor = Agreement.objects.create(
        partner="Valleys Repairs Ltd", kind="contractor", purpose="Repairs",
        lawful_basis="Contract", fields=["instructions"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip
    for number in range(40):
        home = PropertyFactory()
        customer = CustomerFactory(household=HouseholdFactory(property=home))
        needs = number < 20
        if needs:
            SupportNeedFactory(customer=customer, need="mental_health")
        Job.objects.create(job_ref=f"WO-{number}", property=home, agreement=contractor,
                           opened_on=dt.date(2026, 3, 1), closed_on=dt.date(2026, 3, 20))  # fmt: skip
        if needs and number % 2 == 0:  # half of the visits to people with a need find no one
            FieldReport.objects.create(agreement=contractor, property=home,
                                       kind=ReportKind.NO_ACCESS, visit_on=dt.date(2026, 3, 10))  # fmt: skip
    call_command("snapshot", "--no-warm")
    capsys.readouterr()
    assert load_visit_events(actor="system:test") == 40
    call_command("analyse", "--indicator", "contractor_no_access", "--by", "has_support_need",
                 "--by", "support_need_kind", "--format", "json")  # fmt: skip
    tables = {t["characteristic"]: t for t in json.loads(capsys.readouterr().out)}
    rows = {r["category"]: r for r in tables["has_support_need"]["rows"]}
    assert (rows["yes"]["n"], rows["yes"]["value"], rows["yes"]["flag"]) == (20, 0.5, "worse")
    assert rows["no"]["value"] == 0
    kinds = {r["category"]: r for r in tables["support_need_kind"]["rows"]}
    assert kinds["mental_health"]["flag"] == "worse"
