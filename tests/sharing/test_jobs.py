"""Job packs are tied to work (issue 25, finding 11): a contractor sees a home's job pack only
while they have an open job there; jobs come from the housing system (a file or the API) or are
raised by staff; every pack read is a disclosure, and reads are rate limited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from equal_outcomes.customers.models import AdjustmentStatus, ReasonableAdjustment
from equal_outcomes.sharing.models import Agreement, Disclosure, Job
from equal_outcomes.sharing.tokens import token_create
from tests.auth import signed_in, without_csrf
from tests.factories import CustomerFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def contractor_agreement(lead: Any, partner: str, users: list[Any]) -> Agreement:
    made = Agreement.objects.create(
        partner=partner, kind="contractor", purpose="Repairs", lawful_basis="Contract",
        fields=["address", "instructions"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip
    made.users.set(users)
    return made


def resident() -> Any:
    """Someone whose visits call for an instruction, so a pack read discloses about them."""
    customer = CustomerFactory()
    ReasonableAdjustment.objects.create(
        customer=customer, adjustment="call_ahead_30", status=AdjustmentStatus.AGREED,
        source="contact", recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return customer


@pytest.fixture
def world(lead: Any) -> dict[str, Any]:
    operative = UserFactory(username="operative", role=Role.CONTRACTOR)
    rival = UserFactory(username="rival", role=Role.CONTRACTOR)
    ours = contractor_agreement(lead, "Valleys Repairs Ltd", [operative])
    theirs = contractor_agreement(lead, "Coast Gas Ltd", [rival])
    with_job, without_job, rivals_job, closed_job = (resident().household.property for _ in "1234")
    Job.objects.create(job_ref="WO-OURS", property=with_job, agreement=ours,
                       opened_on=dt.date(2026, 1, 1), work="Boiler service")  # fmt: skip
    Job.objects.create(job_ref="WO-RIVAL", property=rivals_job, agreement=theirs,
                       opened_on=dt.date(2026, 1, 1))  # fmt: skip
    Job.objects.create(job_ref="WO-CLOSED", property=closed_job, agreement=ours,
                       opened_on=dt.date(2026, 1, 1), closed_on=dt.date(2026, 2, 1))  # fmt: skip
    return {
        "operative": operative, "ours": ours, "with_job": with_job, "without_job": without_job,
        "rivals_job": rivals_job, "closed_job": closed_job,
    }  # fmt: skip


def test_a_contractor_reads_a_pack_only_where_they_have_an_open_job(world: dict[str, Any]) -> None:
    client = signed_in(world["operative"])

    def pack(home: Any) -> Any:
        return client.get(reverse("sharing:job_pack", args=[home.property_ref]))

    assert pack(world["with_job"]).status_code == 200
    refused = {name: pack(world[name]) for name in ("without_job", "rivals_job", "closed_job")}
    missing = client.get(reverse("sharing:job_pack", args=["NO-SUCH-HOME"]))

    def page(response: Any, ref: str) -> bytes:  # the address asked for aside
        return without_csrf(response.content).replace(ref.encode(), b"REF")

    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 404)
    assert {page(r, world[name].property_ref) for name, r in refused.items()} == {
        page(missing, "NO-SUCH-HOME")
    }, "looks like no such home"
    assert Disclosure.objects.filter(channel="job_pack").count() == 1


def test_the_contractor_lists_their_own_open_jobs(world: dict[str, Any]) -> None:
    page = signed_in(world["operative"]).get(reverse("sharing:job_packs")).content.decode()
    assert "WO-OURS" in page
    assert "Boiler service" in page
    assert "WO-RIVAL" not in page, "another contractor's job"
    assert "WO-CLOSED" not in page, "a closed job"


def test_a_contractor_finds_a_job_by_reference_address_or_postcode(
    world: dict[str, Any],
) -> None:
    """Issue 27, item 12: the look-up took only the exact reference. It finds only homes with
    one of their open jobs, and says the same for any other home as for none."""
    client = signed_in(world["operative"])
    home = world["with_job"]
    pack = reverse("sharing:job_pack", args=[home.property_ref])
    for query in (home.property_ref.lower(), home.address.split(",")[0].upper(),
                  home.postcode.replace(" ", "").lower()):  # fmt: skip
        found = client.post(reverse("sharing:job_packs"), {"query": query})
        assert found.status_code == 302, query
        assert found.url == pack
    for other in ("without_job", "rivals_job", "closed_job"):
        refused = client.post(reverse("sharing:job_packs"), {"query": world[other].address})
        assert refused.status_code == 400
        assert "You have no open job at a home that matches" in refused.content.decode()


def test_reporting_back_needs_a_job_there(world: dict[str, Any]) -> None:
    client = signed_in(world["operative"])
    body = {"kind": "no_access", "visit_on_0": "1", "visit_on_1": "2", "visit_on_2": "2026"}
    elsewhere = client.post(
        reverse("sharing:report_back", args=[world["without_job"].property_ref]), body
    )
    assert elsewhere.status_code == 404


def test_the_api_gives_a_pack_only_for_an_open_job_of_the_tokens_agreement(
    world: dict[str, Any], lead: Any
) -> None:
    _, secret = token_create(
        actor=lead, agreement=world["ours"], name="t", scopes=["job_packs"], days=30
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(ref: str) -> Any:
        return Client().get(f"/api/job-packs/{ref}", **auth)

    assert get(world["with_job"].property_ref).status_code == 200
    refused = [get(world[name].property_ref) for name in ("without_job", "rivals_job")]
    missing = get("NO-SUCH-HOME")
    assert [r.status_code for r in refused] == [404, 404]
    assert {r.content for r in refused} == {missing.content}


def test_job_pack_reads_are_rate_limited(world: dict[str, Any], settings: Any) -> None:
    settings.EQUAL_OUTCOMES_JOB_PACKS_PER_HOUR = 3
    client = signed_in(world["operative"])
    url = reverse("sharing:job_pack", args=[world["with_job"].property_ref])
    assert [client.get(url).status_code for _ in range(5)] == [200, 200, 200, 429, 429]


def test_staff_raise_and_close_jobs_in_their_own_areas(world: dict[str, Any], officer: Any) -> None:
    mine = PropertyFactory(estate__area=officer.areas.first())
    client = signed_in(officer)
    form = {"property_ref": mine.property_ref, "contractor": str(world["ours"].pk),
            "work": "Fit a grab rail", "job_ref": ""}  # fmt: skip
    assert client.post(reverse("sharing:jobs"), form).status_code == 302
    job = Job.objects.get(property=mine)
    assert job.job_ref.startswith("EO-")
    assert (job.source, job.created_by) == ("staff", officer)
    outside = client.post(
        reverse("sharing:jobs"), {**form, "property_ref": world["without_job"].property_ref}
    )
    assert outside.status_code == 400
    assert "no property has this reference" in outside.content.decode()
    client.post(reverse("sharing:job_close", args=[job.public_id]))
    job.refresh_from_db()
    assert job.closed_on is not None
    pack = signed_in(world["operative"]).get(reverse("sharing:job_pack", args=[mine.property_ref]))
    assert pack.status_code == 404


def test_jobs_import_from_the_housing_system_all_or_nothing_and_again_unchanged(
    world: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    home = world["without_job"].property_ref
    good = tmp_path / "jobs.csv"
    good.write_text(
        "Job Ref,Property Ref,Contractor,Work,Opened On,Due On\r\n"
        f"W-100,{home},Valleys Repairs Ltd,Gas safety check,01/12/2026,31/12/2026\r\n",
        encoding="cp1252",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "job_ref,property_ref,contractor\n"
        f"W-200,{home},Valleys Repairs Ltd\n"
        "W-201,NO-SUCH,Nobody Ltd\n"
    )
    with pytest.raises(SystemExit):
        call_command("import", "jobs", str(bad))
    err = capsys.readouterr().err
    assert "row 3, property_ref: no property has this reference" in err
    assert "row 3, contractor: no contractor agreement in force" in err
    assert not Job.objects.filter(job_ref="W-200").exists(), "nothing written"
    call_command("import", "jobs", str(good))
    assert "1 created" in capsys.readouterr().out
    job = Job.objects.get(job_ref="W-100")
    assert (job.source, job.due_on) == ("import", dt.date(2026, 12, 31))
    call_command("import", "jobs", str(good))
    assert "1 unchanged" in capsys.readouterr().out


def test_the_housing_system_sends_jobs_through_the_api(world: dict[str, Any], lead: Any) -> None:
    system = Agreement.objects.create(
        partner="Housing system", kind="system", purpose="Integration", lawful_basis="Task",
        fields=[], starts_on=dt.date(2020, 1, 1), expires_on=dt.date(2099, 1, 1),
        review_on=dt.date(2098, 1, 1), created_by=lead,
    )  # fmt: skip
    _, secret = token_create(actor=lead, agreement=system, name="t", scopes=["jobs"], days=30)
    body = {"job_ref": "API-1", "property_ref": world["without_job"].property_ref,
            "contractor": "Valleys Repairs Ltd", "work": "Damp survey"}  # fmt: skip

    def post(payload: Any) -> Any:
        return Client().post("/api/jobs", payload, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {secret}")  # fmt: skip

    assert post(body).json() == {"job_ref": "API-1", "outcome": "created"}
    assert post(body).json()["outcome"] == "unchanged"
    closed = post({**body, "closed_on": "2026-12-01", "opened_on": "2026-11-01"})
    assert closed.json()["outcome"] == "updated"
    assert post({**body, "property_ref": "NO-SUCH"}).status_code == 404
    # A digit that is not a number ("²", found by the API's schema test) is a name, not a 500.
    assert post({**body, "contractor": "²"}).status_code == 404, "no such contractor"
    job = Job.objects.get(job_ref="API-1")
    assert (job.source, job.closed_on) == ("api", dt.date(2026, 12, 1))


def test_a_need_agreed_as_an_adjustment_makes_the_homes_jobs_a_priority(
    world: dict[str, Any],
) -> None:
    """Issue 31, item 5 (seed 004 section 4.4, "we may prioritise repairs"): a job at a home
    where someone has an agreed adjustment to prioritise repairs is marked a priority and
    listed first, for the contractor and for staff, and its pack says to prioritise it; never
    why. The mark follows the adjustment: removed, the job is routine again."""
    person = resident()
    later = person.household.property
    Job.objects.create(job_ref="WO-LATER", property=later, agreement=world["ours"],
                       opened_on=dt.date(2026, 1, 2), due_on=dt.date(2026, 1, 3))  # fmt: skip
    Job.objects.filter(job_ref="WO-OURS").update(due_on=dt.date(2026, 1, 2))
    client = signed_in(world["operative"])

    def listed() -> str:
        page = client.get(reverse("sharing:job_packs")).content.decode()
        return page[page.index("<tbody") :]

    assert listed().index("WO-OURS") < listed().index("WO-LATER"), "soonest due first"
    assert "Priority" not in listed()
    adjustment = ReasonableAdjustment.objects.create(
        customer=person, adjustment="priority_repair", status=AdjustmentStatus.AGREED,
        source="contact", recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    page = listed()
    assert page.index("WO-LATER") < page.index("WO-OURS"), "the priority job first"
    row = page[page.index("WO-LATER") : page.index("</tr>", page.index("WO-LATER"))]
    assert "Priority" in row
    pack = client.get(reverse("sharing:job_pack", args=[later.property_ref])).content.decode()
    assert "Prioritise repairs" in pack
    adjustment.delete()  # no longer agreed
    assert "Priority" not in listed()
