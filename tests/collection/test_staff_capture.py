"""Staff record profile answers: optional questions, check your answers, only changes saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.customers.models import ProfileAnswer, SupportNeed
from tests.auth import signed_in
from tests.factories import CustomerFactory, record_answer

pytestmark = pytest.mark.django_db


def url(customer: Any) -> str:
    return reverse("collection:profile", args=[customer.public_id])


def test_answers_are_checked_then_saved_with_their_source_and_recorder(advisor: Any) -> None:
    customer = CustomerFactory()
    client = signed_in(advisor)
    form = {
        "touchpoint": "contact",
        "ethnicity": "white_welsh_roma",
        "religion": "prefer_not_to_say",
    }
    form["ethnicity"] = "white_roma"
    check = client.post(url(customer), {**form, "step": "check"})
    assert check.status_code == 200
    assert b"Check the answers before saving" in check.content
    assert b"Roma" in check.content
    assert not ProfileAnswer.objects.exists(), "nothing is saved before the check"
    saved = client.post(url(customer), {**form, "step": "save"})
    assert saved.status_code == 302
    answers = {a.characteristic: a for a in ProfileAnswer.objects.filter(customer=customer)}
    assert set(answers) == {"ethnicity", "religion"}
    assert answers["ethnicity"].value == "white_roma"
    assert answers["ethnicity"].touchpoint == "contact"
    assert answers["ethnicity"].recorded_by == advisor
    assert answers["religion"].state == "prefer_not_to_say"


def test_only_what_changed_is_saved(lead: Any) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "religion", "christian")
    record_answer(lead, customer, "sex", "female")
    client = signed_in(lead)
    page = client.get(url(customer))
    assert page.context["form"].initial["religion"] == "christian", "the lead sees what is held"
    form = {
        "touchpoint": "home_visit",
        "religion": "christian",
        "sex": "female",
        "marital_status": "married",
    }
    check = client.post(url(customer), {**form, "step": "check"})
    changes = check.context["changes"]
    assert len(changes) == 1
    assert changes[0][1] == "Married"
    client.post(url(customer), {**form, "step": "save"})
    assert ProfileAnswer.objects.filter(customer=customer, characteristic="religion").count() == 1
    assert (
        ProfileAnswer.objects.get(customer=customer, characteristic="marital_status").touchpoint
        == "home_visit"
    )


def test_an_advisor_records_without_seeing_what_is_held(lead: Any, advisor: Any) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "sexual_orientation", "bisexual")
    page = signed_in(advisor).get(url(customer))
    assert page.status_code == 200
    assert "sexual_orientation" not in page.context["form"].initial
    assert not AuditEvent.objects.filter(actor=advisor, section="profile", action="view").exists()


def test_nothing_changed_and_contradictions_are_explained(lead: Any) -> None:
    customer = CustomerFactory()
    client = signed_in(lead)
    nothing = client.post(url(customer), {"touchpoint": "contact", "step": "check"})
    assert b"You have not changed any answers" in nothing.content
    assert b"govuk-error-summary" in nothing.content
    both = client.post(
        url(customer),
        {
            "touchpoint": "contact",
            "impairment_type": ["vision", "prefer_not_to_say"],
            "step": "check",
        },
    )
    assert b"but not both" in both.content
    assert not ProfileAnswer.objects.exists()


def test_an_advisor_records_a_support_need_with_a_review_date(advisor: Any) -> None:
    customer = CustomerFactory()
    form = {
        "need": "mental_health",
        "details": "Anxious about visits; prefers a named officer",
        "start_date_0": "1",
        "start_date_1": "3",
        "start_date_2": "2026",
        "review_date_0": "1",
        "review_date_1": "9",
        "review_date_2": "2026",
        "customer_told": "yes",
        "confidentiality": "highly_restricted",
        "source": "contact",
    }
    response = signed_in(advisor).post(
        reverse("collection:support_need", args=[customer.public_id]), form
    )
    assert response.status_code == 302
    need = SupportNeed.objects.get(customer=customer)
    assert (need.need, str(need.review_date)) == ("mental_health", "2026-09-01")
    assert need.confidentiality == "standard", "advisors cannot restrict who sees what they record"
    assert need.recorded_by == advisor
    assert AuditEvent.objects.filter(section="support_needs", action="change").exists()


def test_a_review_date_before_the_start_is_refused_with_an_error_summary(officer: Any) -> None:
    customer = CustomerFactory(household__property__estate__area=officer.areas.first())
    form = {
        "need": "bereavement",
        "start_date_0": "10",
        "start_date_1": "3",
        "start_date_2": "2026",
        "review_date_0": "1",
        "review_date_1": "3",
        "review_date_2": "2026",
        "customer_told": "no",
        "confidentiality": "standard",
        "source": "home_visit",
    }
    response = signed_in(officer).post(
        reverse("collection:support_need", args=[customer.public_id]), form
    )
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert b"The review date must be on or after the start date" in response.content
    assert not SupportNeed.objects.exists()


def test_a_communication_need_is_recorded(advisor: Any) -> None:
    customer = CustomerFactory()
    response = signed_in(advisor).post(
        reverse("collection:communication_need", args=[customer.public_id]),
        {"need": "large_print", "details": "", "source": "contact"},
    )
    assert response.status_code == 302
    assert customer.communication_needs.get().need == "large_print"


def test_a_refused_adjustment_needs_its_reason(officer: Any) -> None:
    customer = CustomerFactory(household__property__estate__area=officer.areas.first())
    url = reverse("collection:adjustment", args=[customer.public_id])
    form = {"adjustment": "call_ahead_30", "status": "refused", "source": "contact"}
    refused = signed_in(officer).post(url, form)
    assert b"Give the reason the adjustment was refused" in refused.content
    done = signed_in(officer).post(url, {**form, "refusal_reason": "Emergency repairs cannot wait"})
    assert done.status_code == 302
    item = customer.adjustments.get()
    assert (item.status, item.refusal_reason) == ("refused", "Emergency repairs cannot wait")
    assert item.decided_at is not None


def test_saving_says_so_in_a_success_banner_and_the_source_is_never_assumed(
    advisor: Any,
) -> None:
    """Issue 27, item 7: success used the "Important" banner, and the source defaulted to
    "Customer contact"; a page with errors is titled "Error:"."""
    customer = CustomerFactory()
    url = reverse("collection:communication_need", args=[customer.public_id])
    client = signed_in(advisor)
    form = client.get(url).content.decode()
    assert re.search(r'<option value="contact"(?! selected)', form)
    refused = client.post(url, {"need": "large_print", "details": ""}).content.decode()
    assert "<title>Error:" in refused
    done = client.post(
        url, {"need": "large_print", "details": "", "source": "contact"}, follow=True
    )
    page = done.content.decode()
    assert "govuk-notification-banner--success" in page
    assert 'role="alert"' in page
