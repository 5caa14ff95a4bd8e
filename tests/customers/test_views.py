from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equal_outcomes.accounts.models import User
from equal_outcomes.audit.models import AuditEvent
from tests.auth import signed_in
from tests.factories import CustomerFactory, HouseholdFactory, SupportNeedFactory, record_answer

pytestmark = pytest.mark.django_db


def record_url(customer: Any) -> str:
    return reverse("customers:record", args=[customer.public_id])


def test_signing_in_with_the_wrong_password_shows_an_error_summary(lead: Any) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "leila", "password": "wrong"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"govuk-error-summary" in response.content


def test_signing_in_asks_staff_for_their_authenticator_code(lead: Any) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": "leila", "password": "correct horse battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor"))
    assert b"Set up two-factor authentication" in response.content


def test_pages_need_sign_in() -> None:
    customer = CustomerFactory()
    for url in (reverse("customers:search"), record_url(customer)):
        response = Client().get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response.url


def test_search_by_name_finds_the_customer_without_putting_the_name_in_the_url(lead: Any) -> None:
    wanted = CustomerFactory(first_name="Gwenllian", last_name="Pryce")
    CustomerFactory(first_name="Someone", last_name="Else")
    response = signed_in(lead).post(reverse("customers:search"), {"query": "gwenllian pry"})
    assert response.status_code == 200
    assert response.context["results"].customers == [wanted]
    assert record_url(wanted).encode() in response.content
    assert b"Gwenllian" not in record_url(wanted).encode()


def found(client: Any, query: str, page: int = 1) -> list[Any]:
    response = client.post(reverse("customers:search"), {"query": query, "page": page})
    return list(response.context["results"].customers)


@pytest.mark.parametrize("query", ["C0042", "c0042", "c42", "C000042", "42"])
def test_search_by_reference_in_any_case_with_or_without_leading_zeros(
    lead: Any, query: str
) -> None:
    # Addresses without the number, which a search also matches as a house number (the
    # factory numbers them in sequence: "42 Mill Street" made this fail now and then).
    wanted = CustomerFactory(landlord_ref="C0042", household__property__address="Mill Street")
    CustomerFactory(landlord_ref="C0421", household__property__address="Mill Street")
    assert found(signed_in(lead), query) == [wanted]


def test_search_by_postcode_address_and_date_of_birth(lead: Any) -> None:
    """Issue 27, item 6: a postcode (with or without its space, or its first half), a house
    number and street, or a date of birth as people write it finds the customer."""
    home = HouseholdFactory(property__address="12 Heol y Frenhines", property__postcode="CF10 1AB")
    wanted = CustomerFactory(household=home, date_of_birth=dt.date(1961, 7, 4))
    CustomerFactory(date_of_birth=dt.date(1961, 4, 7))
    client = signed_in(lead)
    for query in ("CF10 1AB", "cf101ab", "CF10", "12 heol y frenhines", "4/7/1961", "1961-07-04",
                  "4 July 1961"):  # fmt: skip
        assert found(client, query) == [wanted], query


def test_search_says_how_many_it_found_and_pages_through_them(lead: Any) -> None:
    """Issue 27, item 6: "Jones" said 50 found when there were 77."""
    everyone = {CustomerFactory(last_name="Jones").pk for _ in range(77)}
    client = signed_in(lead)
    response = client.post(reverse("customers:search"), {"query": "jones"})
    assert "77 customers found: page 1 of 2" in response.content.decode()
    seen = {c.pk for c in found(client, "jones")} | {c.pk for c in found(client, "jones", 2)}
    assert seen == everyone
    assert len(found(client, "jones", 2)) == 27


def test_an_empty_search_explains_what_to_enter(lead: Any) -> None:
    response = signed_in(lead).post(reverse("customers:search"), {"query": ""})
    assert b"Enter a customer reference, name, postcode or address" in response.content
    assert b"govuk-error-summary" in response.content


def test_the_record_shows_each_answer_with_its_state_and_provenance(lead: Any) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "ethnicity", "white_roma", touchpoint="sign_up")
    record_answer(lead, customer, "religion", touchpoint="survey")
    page = signed_in(lead).get(record_url(customer)).content.decode()
    assert "Roma" in page
    assert "Tenancy sign-up" in page
    assert "Prefer not to say" in page
    assert "Not asked" in page  # every unanswered question is listed too
    assert "Ask while you are in contact" in page


def test_advisors_are_prompted_for_missing_and_stale_answers_without_seeing_answers(
    lead: Any, advisor: Any
) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "sexual_orientation", "bisexual")
    record_answer(
        lead, customer, "religion", "buddhist", recorded_at=timezone.now() - dt.timedelta(days=800)
    )
    page = signed_in(advisor).get(record_url(customer)).content.decode()
    prompt = page[
        page.index('id="prompt"') : page.index("</div>\n</div>", page.index('id="prompt"'))
    ]
    assert "Religion or belief" in prompt, "an answer unconfirmed for over two years"
    assert "Ethnic group" in prompt, "a question never asked"
    assert "Sexual orientation" not in prompt
    assert "No communication preferences or needs are recorded" in prompt
    assert "Ask now and record the answers" in prompt
    assert "Bisexual" not in page
    assert "Buddhist" not in page


def test_viewing_the_profile_and_support_needs_is_audited(lead: Any) -> None:
    customer = CustomerFactory()
    signed_in(lead).get(record_url(customer))
    sections = set(
        AuditEvent.objects.filter(action="view", actor=lead).values_list("section", flat=True)
    )
    assert sections == {"profile", "support_needs"}


def test_an_advisor_sees_needs_and_adjustments_but_not_the_equality_profile_or_support_needs(
    advisor: Any, lead: Any
) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "religion", "sikh", touchpoint="survey")
    SupportNeedFactory(customer=customer)
    page = signed_in(advisor).get(record_url(customer)).content.decode()
    assert "Reasonable adjustments" in page
    assert "Equality profile" not in page
    assert "Sikh" not in page
    assert "Domestic abuse" not in page
    assert "Support needs" not in page


def test_a_housing_officer_gets_not_found_for_a_customer_outside_their_areas(officer: Any) -> None:
    outside = CustomerFactory()
    inside = CustomerFactory(household=HouseholdFactory(property__estate__area=officer.areas.get()))
    client = signed_in(officer)
    assert client.get(record_url(outside)).status_code == 404
    assert client.get(record_url(inside)).status_code == 200
    assert found(client, outside.last_name) == []


def test_a_contractor_cannot_open_customer_records(contractor: Any) -> None:
    customer = CustomerFactory()
    client = signed_in(contractor)
    assert client.get(reverse("customers:search")).status_code == 403
    assert client.get(record_url(customer)).status_code == 403


def test_the_record_page_is_in_welsh_when_welsh_is_chosen(lead: Any) -> None:
    customer = CustomerFactory()
    record_answer(lead, customer, "ethnicity", "white_gypsy_traveller", touchpoint="sign_up")
    client = signed_in(lead)
    response = client.post(
        reverse("set_language"), {"language": "cy", "next": record_url(customer)}
    )
    assert response.status_code == 302
    page = client.get(record_url(customer)).content.decode()
    assert 'lang="cy"' in page
    assert "Sipsi neu Deithiwr Gwyddelig" in page  # code list label
    assert "Proffil cydraddoldeb" in page  # translated heading
    assert "Dod o hyd i gwsmer" in page  # translated navigation


def test_pages_carry_a_strict_content_security_policy(lead: Any) -> None:
    response = signed_in(lead).get(reverse("customers:search"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_a_tenant_signing_in_sees_their_account_not_staff_pages(db: Any) -> None:
    from tests.factories import UserFactory

    UserFactory(username="tess", role="tenant")
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": "tess", "password": "correct horse battery"},
        follow=True,
    )
    # Issue 27, item 1: the tenant's start page is the questionnaire, not "no pages for you".
    assert response.redirect_chain[-1][0] == reverse("collection:questionnaire")
    assert "We cannot find your details" in response.content.decode()
    assert client.get(reverse("customers:search")).status_code == 403
    CustomerFactory(user=User.objects.get(username="tess"))
    assert b"Tell us about yourself" in client.get(reverse("home"), follow=True).content


def test_posted_fields_a_role_may_not_write_are_ignored(advisor: Any) -> None:
    customer = CustomerFactory(last_name="Jones", landlord_ref="C0000555")
    response = signed_in(advisor).post(
        reverse("privacy:correct", args=[customer.public_id]),
        {
            "first_name": customer.first_name,
            "last_name": "Jones",
            "email": customer.email,
            "phone": customer.phone,
            "date_of_birth": customer.date_of_birth.strftime("%d/%m/%Y"),
            "reason": "checking with the customer on the phone",
            "landlord_ref": "HACKED",
            "objects_to_monitoring": "on",
            "customer_type": "leaseholder",
            "erased_at": "2020-01-01",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.landlord_ref == "C0000555"
    assert customer.objects_to_monitoring is False
    assert customer.customer_type != "leaseholder"
    assert customer.erased_at is None
