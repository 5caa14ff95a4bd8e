"""Support needs are read as their confidentiality says (issue 25, finding 10): "restricted:
named teams only" by the members of the teams named on it, "highly restricted" by the
safeguarding team, each read of the section audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.customers.models import SupportNeed
from equal_outcomes.standards.codelists import code_list
from tests.auth import signed_in
from tests.factories import CustomerFactory, SupportNeedFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(officer: Any) -> dict[str, Any]:
    """One customer in the officer's area with a need at each level of confidentiality."""
    customer = CustomerFactory(household__property__estate__area=officer.areas.first())
    sustainment = Group.objects.create(name="Tenancy sustainment")
    Group.objects.create(name="Safeguarding leads")
    SupportNeedFactory(customer=customer, need="bereavement", details="standard-detail")
    restricted = SupportNeedFactory(
        customer=customer, need="mental_health", details="restricted-detail",
        confidentiality="restricted",
    )  # fmt: skip
    restricted.teams.add(sustainment)
    SupportNeedFactory(
        customer=customer, need="domestic_abuse", details="highly-detail",
        confidentiality="highly_restricted",
    )  # fmt: skip
    return {"customer": customer, "sustainment": sustainment}


LEVELS = {"standard": "bereavement", "restricted": "mental_health", "highly": "domestic_abuse"}


def shown(user: Any, customer: Any) -> set[str]:
    """Which of the customer's needs the record page shows ``user``."""
    page = signed_in(user).get(reverse("customers:record", args=[customer.public_id]))
    text = page.content.decode()
    needs = code_list("support_need")
    return {level for level, code in LEVELS.items() if needs.label(code) in text}


def test_each_level_is_read_only_by_those_it_names(needs: dict[str, Any], officer: Any) -> None:
    customer = needs["customer"]
    assert shown(officer, customer) == {"standard"}
    call_command("teams", "join", "Tenancy sustainment", officer.username)
    assert shown(officer, customer) == {"standard", "restricted"}
    call_command("teams", "join", "Safeguarding leads", officer.username)
    assert shown(officer, customer) == {"standard", "restricted", "highly"}
    call_command("teams", "leave", "Tenancy sustainment", officer.username)
    assert shown(officer, customer) == {"standard", "highly"}
    assert AuditEvent.objects.filter(action="team").count() == 3


def test_the_lead_reads_restricted_needs_only_on_a_named_team(
    needs: dict[str, Any], lead: Any
) -> None:
    assert shown(lead, needs["customer"]) == {"standard"}
    lead.groups.add(needs["sustainment"])
    assert shown(lead, needs["customer"]) == {"standard", "restricted"}
    assert AuditEvent.objects.filter(actor_label=lead.username, section="support_needs").exists()


def test_a_restricted_need_names_its_teams_when_recorded(officer: Any) -> None:
    customer = CustomerFactory(household__property__estate__area=officer.areas.first())
    team = Group.objects.create(name="Tenancy sustainment")
    form = {
        "need": "mental_health", "details": "x", "start_date_0": "1", "start_date_1": "3",
        "start_date_2": "2026", "review_date_0": "1", "review_date_1": "9",
        "review_date_2": "2026", "customer_told": "yes", "confidentiality": "restricted",
        "source": "contact",
    }  # fmt: skip
    url = reverse("collection:support_need", args=[customer.public_id])
    refused = signed_in(officer).post(url, form)
    assert refused.status_code == 400
    assert "Choose the teams who may see it" in refused.content.decode()
    assert signed_in(officer).post(url, {**form, "teams": [team.pk]}).status_code == 302
    assert list(SupportNeed.objects.get().teams.all()) == [team]


def test_teams_are_listed_and_added_by_command(capsys: Any) -> None:
    UserFactory(username="sam")
    call_command("teams", "add", "Safeguarding leads")
    call_command("teams", "join", "safeguarding leads", "sam")
    call_command("teams", "list")
    assert "Safeguarding leads (safeguarding): sam" in capsys.readouterr().out
