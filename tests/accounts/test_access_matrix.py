"""Every URL by every role by a record in and out of scope, against the page register."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from equal_outcomes.accounts.access import PAGES, Page
from equal_outcomes.accounts.roles import Role
from equal_outcomes.assessment.models import Action, EvidenceFile, Objective, Policy, Risk
from equal_outcomes.assessment.services import assessment_start
from equal_outcomes.collection.questionnaire import invitation_create
from equal_outcomes.imports.models import ImportJob
from equal_outcomes.insight.jobs import folder as report_folder
from equal_outcomes.insight.models import ReportJob
from equal_outcomes.sharing.models import Agreement, FieldReport, Job, Referral
from equal_outcomes.workforce.models import StaffMember
from tests.auth import same_session, signed_in, without_csrf
from tests.factories import AreaFactory, CustomerFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name, so no register entry"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_an_entry_in_the_page_register() -> None:
    assert url_names() == set(PAGES)


@pytest.fixture(scope="module")
def world(module_db: None) -> dict[str, Any]:
    """A patch with one customer, another patch with another, and a user of every role: built
    once for the module, each test's own writes rolled back after it."""
    mine, theirs = AreaFactory(), AreaFactory()
    inside = CustomerFactory(household__property=PropertyFactory(estate__area=mine))
    outside = CustomerFactory(household__property=PropertyFactory(estate__area=theirs))
    users = {role: UserFactory(role=role) for role in Role}
    users[Role.HOUSING_OFFICER].areas.add(mine)
    inside.user = users[Role.TENANT]
    inside.save()
    _, token = invitation_create(actor="system:test", customer=inside)
    job = ImportJob.objects.create(
        file_name="x.csv", stored_path="", created_by=users[Role.EQUALITY_LEAD], status="done"
    )
    report_file = report_folder() / "matrix.html"
    report_file.write_text("<p>aggregates</p>")
    reports = {
        role: ReportJob.objects.create(
            file_format="html", created_by=users[role], status="done", stored_path=report_file
        ).public_id
        for role in Role
    }
    return {
        "inside": inside,
        "outside": outside,
        "users": users,
        "clients": {role: signed_in(user) for role, user in users.items()},
        "token": token,
        "job": job.public_id,
        "reports": reports,
        "objects": {
            **assessment_objects(users[Role.EQUALITY_LEAD]),
            **sharing_objects(users, inside),
            "staff": StaffMember.objects.create(reference="E001", body="staff").reference,
            "user": users[Role.ADVISOR].pk,
            "uidb64": "MQ",
            "set_token": "not-a-token",
            "service": "adaptations",
        },
    }


def sharing_objects(users: dict[Role, Any], customer: Any) -> dict[str, Any]:
    """An active agreement naming the contractor and the partner, and a report from a visit."""
    agreement = Agreement.objects.create(
        partner="Repairs Ltd", kind="contractor", purpose="Repairs", lawful_basis="Contract",
        fields=["address", "instructions"], starts_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2099, 1, 1), review_on=dt.date(2098, 1, 1),
        created_by=users[Role.EQUALITY_LEAD],
    )  # fmt: skip
    agreement.users.add(users[Role.CONTRACTOR], users[Role.PARTNER])
    home = customer.household.property
    report = FieldReport.objects.create(
        agreement=agreement, property=home, kind="no_access", visit_on=dt.date(2026, 11, 2),
        reported_by=users[Role.CONTRACTOR],
    )  # fmt: skip
    job = Job.objects.create(
        job_ref="J-MATRIX", property=home, agreement=agreement, opened_on=dt.date(2020, 1, 1)
    )
    referral = Referral.objects.create(
        customer=customer, direction="out", agreement=agreement, need="financial_hardship",
        consent="given", consent_on=dt.date(2026, 11, 1), referred_on=dt.date(2026, 11, 2),
        created_by=users[Role.EQUALITY_LEAD],
    )  # fmt: skip
    return {
        "agreement": agreement.pk,
        "property": home.property_ref,
        "field_report": report.pk,
        "referral": referral.public_id,
        "contractor_job": job.public_id,
    }


def assessment_objects(lead: Any) -> dict[str, Any]:
    """One of everything the self-assessment pages take, for the pages' arguments."""
    assessment = assessment_start(
        actor=lead,
        edition_id="shef-kyc-later",
        title="Matrix",
        assessed_on=dt.date(2026, 11, 1),
        areas=["knowing-your-customers"],
        assessors="The equality lead",
    )
    stored = report_folder() / "evidence.txt"
    stored.write_text("minutes")
    evidence = EvidenceFile.objects.create(
        assessment=assessment, question="kyc-d1", file_name="minutes.txt",
        stored_path=stored, size=7, uploaded_by=lead,
    )  # fmt: skip
    risk = Risk.objects.create(
        toolkit="customer-care", sub_outcome="1.1", problem="p", text="t", created_by=lead
    )
    action = Action.objects.create(
        title="Train staff", owner="HR", due_on=dt.date(2027, 3, 31), created_by=lead
    )
    objective = Objective.objects.create(
        title="Know our customers", owner="Lead", set_on=dt.date(2025, 1, 1)
    )
    policy = Policy.objects.create(
        name="Knowing Our Customers", owner="Head", adopted_on=dt.date(2024, 1, 1)
    )
    return {
        "assessment": assessment.public_id,
        "area": "knowing-your-customers",
        "question": "kyc-a1",
        "criterion": "1.1",
        "file": evidence.pk,
        "toolkit": "customer-care",
        "sub_outcome": "1.1",
        "risk": risk.pk,
        "action": action.pk,
        "objective": objective.pk,
        "policy": policy.pk,
    }


def in_scope(role: Role, which: str) -> bool:
    """Independent statement of scope: officers see their patch; advisors and leads see all."""
    return role in {Role.ADVISOR, Role.EQUALITY_LEAD} or (
        role == Role.HOUSING_OFFICER and which == "inside"
    )


def request(client: Client, page: Page, url: str) -> Any:
    return client.post(url, {}) if page.method == "POST" else client.get(url)


def url_for(
    name: str,
    page: Page,
    customer: Any,
    token: str = "",
    job_id: Any = None,
    report: Any = None,
    objects: dict[str, Any] | None = None,
) -> str:
    if page.args:
        assert objects is not None
        return reverse(name, args=[objects[arg] for arg in page.args])
    if page.customer:
        return reverse(name, args=[customer.public_id])
    if page.link:
        return reverse(name, args=[token])
    if page.question:
        return reverse(name, args=["sex"])
    if page.job:
        return reverse(name, args=[job_id])
    if page.report_job:
        return reverse(name, args=[report])
    if page.indicator:
        return reverse(name, args=["TP01", "disability"])
    return reverse(name)


CASES = [
    (name, role, which)
    for name, page in PAGES.items()
    for role in Role
    for which in (("inside", "outside") if page.customer else ("-",))
]


@pytest.mark.parametrize(("name", "role", "which"), CASES)
def test_each_role_gets_exactly_what_the_register_allows(
    world: dict[str, Any], name: str, role: Role, which: str
) -> None:
    page = PAGES[name]
    customer = world[which] if page.customer else None
    url = url_for(
        name, page, customer, world["token"], world["job"], world["reports"][role], world["objects"]
    )
    response = request(same_session(world["clients"][role]), page, url)
    if page.status:
        assert response.status_code == page.status, (name, role, response.status_code)
    elif role not in page.roles:
        assert response.status_code == 403, (name, role, response.status_code)
    elif page.customer and not in_scope(role, which):
        assert response.status_code == 404, (name, role, which, response.status_code)
    else:
        assert response.status_code in {200, 302, 400}, (name, role, response.status_code)
        if response.status_code == 302 and name != "accounts:logout":
            assert not response.url.startswith(("/accounts/login/", "/accounts/two-factor/"))


@pytest.mark.parametrize("name", [name for name, page in PAGES.items() if not page.public])
def test_signed_out_visitors_are_sent_to_sign_in(world: dict[str, Any], name: str) -> None:
    page = PAGES[name]
    url = url_for(
        name,
        page,
        world["inside"],
        job_id=world["job"],
        report=world["reports"][Role.BOARD],
        objects=world["objects"],
    )
    response = request(Client(), page, url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name",
    [name for name, page in PAGES.items() if page.customer and Role.HOUSING_OFFICER in page.roles],
)
def test_a_record_out_of_scope_looks_exactly_like_a_missing_one(
    world: dict[str, Any], name: str
) -> None:
    officer = world["users"][Role.HOUSING_OFFICER]
    client = signed_in(officer)
    page = PAGES[name]
    outside_url = url_for(name, page, world["outside"])
    missing_url = reverse(name, args=[uuid.uuid4()])
    with CaptureQueriesContext(connection) as out_of_scope_queries:
        out_of_scope = request(client, page, outside_url)
    with CaptureQueriesContext(connection) as missing_queries:
        missing = request(client, page, missing_url)
    assert out_of_scope.status_code == missing.status_code == 404
    # The same page, byte for byte, but for the sign-out form's CSRF token (new each time) and
    # the address asked for (which the language switch returns to).
    assert without_csrf(out_of_scope.content).replace(outside_url.encode(), b"URL") == (
        without_csrf(missing.content).replace(missing_url.encode(), b"URL")
    )
    # The same work either way (issue 25, finding 13: out of scope answered more slowly).
    assert len(out_of_scope_queries) == len(missing_queries)


@pytest.mark.parametrize(
    "role", [Role.ADVISOR, Role.HOUSING_OFFICER, Role.EQUALITY_LEAD, Role.PARTNER]
)
def test_staff_who_can_see_sensitive_data_must_pass_two_factor_first(
    world: dict[str, Any], role: Role
) -> None:
    client = Client()
    client.force_login(world["users"][role])
    response = client.get(reverse("customers:search"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))


def test_the_questionnaire_without_a_link_or_an_account_asks_to_sign_in(
    world: dict[str, Any],
) -> None:
    """Issue 27, item 1: signed out, the questionnaire was a bare 403."""
    response = Client().get(reverse("collection:questionnaire"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert Client().get(reverse("collection:questionnaire_check")).status_code == 403
