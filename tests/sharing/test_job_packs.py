"""Job packs say what to do, never why: for every combination of needs, adjustments, support
needs and profile answers a household can have, nothing special-category or vulnerable leaves."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equal_outcomes.customers.models import (
    AdjustmentStatus,
    CommunicationNeed,
    CommunicationPreference,
    ReasonableAdjustment,
    SupportNeed,
)
from equal_outcomes.sharing import jobpacks
from equal_outcomes.sharing.models import ShareField
from equal_outcomes.standards.codelists import characteristics, code_list
from tests.factories import CustomerFactory, HouseholdFactory, record_answer

pytestmark = pytest.mark.django_db
ALL_FIELDS = list(ShareField.values)
SUPPORT = [c.code for c in code_list("support_need").selectable]
NEEDS = [c.code for c in code_list("communication_need").selectable]
ADJUSTMENTS = [c.code for c in code_list("adjustment").selectable]
SPECIAL = [c for c in characteristics() if c.data_class == "special_category" and not c.asked_when]
# Labels that would say why: every support need's, and each special-category answer's.
FORBIDDEN_LABELS = {code_list("support_need").label(code) for code in SUPPORT} | {
    code.label.text("en")
    for item in SPECIAL
    for code in item.codes.selectable
    if len(code.label.text("en")) > 3  # "Yes", "No" and the like are ordinary words
}
ALLOWED_INSTRUCTIONS = {
    *jobpacks.VISIT_ADJUSTMENTS,
    *(code for _listing, code in jobpacks.FROM_NEEDS.values()),
}

person = st.fixed_dictionaries(
    {
        "support": st.lists(st.sampled_from(SUPPORT), max_size=4, unique=True),
        "needs": st.lists(st.sampled_from(NEEDS), max_size=5, unique=True),
        "adjustments": st.lists(
            st.tuples(st.sampled_from(ADJUSTMENTS), st.sampled_from(AdjustmentStatus.values)),
            max_size=5,
            unique_by=lambda pair: pair[0],
        ),
        "answers": st.lists(
            st.sampled_from(
                [(item.id, code.code) for item in SPECIAL for code in item.codes.selectable]
            ),
            max_size=4,
            unique_by=lambda pair: pair[0],
        ),
        "interpreter": st.booleans(),
        "language": st.sampled_from(["", "en", "pl", "cy", "ar"]),
    }
)


def secret(number: int) -> str:
    return f"SECRET-DETAIL-{number}"


def make_household(people: list[dict[str, Any]]) -> tuple[Any, list[str]]:
    household = HouseholdFactory()
    secrets: list[str] = []
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for plan in people:
        customer = CustomerFactory(household=household)
        for code in plan["support"]:
            secrets.append(secret(len(secrets)))
            SupportNeed.objects.create(
                customer=customer, need=code, details=secrets[-1], source="contact",
                recorded_at=now, start_date=dt.date(2026, 1, 1), review_date=dt.date(2027, 1, 1),
            )  # fmt: skip
        for code in plan["needs"]:
            secrets.append(secret(len(secrets)))
            CommunicationNeed.objects.create(
                customer=customer, need=code, details=secrets[-1], source="contact", recorded_at=now
            )
        for code, status in plan["adjustments"]:
            secrets.append(secret(len(secrets)))
            ReasonableAdjustment.objects.create(
                customer=customer, adjustment=code, status=status, details=secrets[-1],
                refusal_reason=secret(len(secrets) + 1000), source="contact", recorded_at=now,
            )  # fmt: skip
        for characteristic, code in plan["answers"]:
            record_answer("system:test", customer, characteristic, code)
        CommunicationPreference.objects.create(
            customer=customer, preferred_language=plan["language"],
            interpreter_needed=plan["interpreter"], source="contact", recorded_at=now,
        )  # fmt: skip
    return household.property, secrets


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(person, min_size=1, max_size=3))
def test_a_job_pack_never_says_why(db: Any, people: list[dict[str, Any]]) -> None:
    with transaction.atomic():
        home, secrets = make_household(people)
        pack, told = jobpacks.build(home, fields=ALL_FIELDS, partner="Repairs Ltd")
        data = json.dumps(pack.as_json())
        page = render_to_string("sharing/job_pack_print.html", {"pack": pack})
        for text in (data, page):
            assert not [s for s in secrets if s in text]
            # Whole words: a preferred language ("Arabic") is agreed, an ethnic group is not.
            assert not [
                label for label in FORBIDDEN_LABELS if re.search(rf"\b{re.escape(label)}\b", text)
            ]
        assert {i.code for i in pack.instructions} <= ALLOWED_INSTRUCTIONS
        assert {i.alert_code for i in pack.instructions} <= {"", "NoVisitAlone", "LanguageSupport"}
        # Every agreed visit adjustment is passed on; nothing requested or refused is.
        agreed = {
            c for plan in people for c, s in plan["adjustments"] if s == AdjustmentStatus.AGREED
        }
        assert agreed & jobpacks.VISIT_ADJUSTMENTS <= {i.code for i in pack.instructions}
        refused_only = (
            {c for plan in people for c, s in plan["adjustments"] if s != AdjustmentStatus.AGREED}
            - agreed
            - {code for _l, code in jobpacks.FROM_NEEDS.values()}
            - {"interpreter_at_visits"}
        )
        assert not refused_only & {i.code for i in pack.instructions}
        assert len(told) <= len(people)
        transaction.set_rollback(True)


def test_only_the_agreed_fields_are_in_the_pack(db: Any) -> None:
    home, _ = make_household(
        [{"support": ["domestic_abuse"], "needs": ["call_before_visit"],
          "adjustments": [("do_not_visit_alone", "agreed")], "answers": [],
          "interpreter": True, "language": "pl"}]
    )  # fmt: skip
    pack, told = jobpacks.build(home, fields=["instructions"], partner="Repairs Ltd")
    assert (pack.address, pack.postcode) == ("", "")
    assert [r.name for r in pack.residents] == [""]
    assert [r.language for r in pack.residents] == [""]
    texts = [i.text for i in pack.instructions]
    assert texts == ["Do not visit alone", "Call before visiting", "Book an interpreter for visits"]
    assert [i.alert_code for i in pack.instructions] == ["NoVisitAlone", "", "LanguageSupport"]
    # Issue 28, item 15: the numbers of UK Housing Data Standards 3.5 beside the names.
    assert [i.alert_type_code for i in pack.instructions] == ["10", "", "40"]
    page = render_to_string("sharing/_job_pack_body.html", {"pack": pack})
    assert "alert code 10, NoVisitAlone" in page
    full, _ = jobpacks.build(home, fields=ALL_FIELDS, partner="Repairs Ltd")
    assert full.address == home.address
    assert full.residents[0].language == "Polish"
    assert len(told) == 1


def test_the_alert_codes_used_are_in_the_housing_data_standard() -> None:
    alerts = code_list("person_alert")
    numbers = [code.hds_code for code in alerts.codes]
    assert set(numbers) == {"0", "1", "10", "10-10", "20", "20-10", "20-20", "20-30", "20-40",
                            "20-50", "20-60", "20-70", "30", "40", "50", "60"}  # fmt: skip
    assert all(code in alerts for code in jobpacks.HDS_ALERTS.values())
    assert all(code in code_list("adjustment") for code in jobpacks.VISIT_ADJUSTMENTS)
    assert all(code in code_list("communication_need") for code in jobpacks.FROM_NEEDS)
