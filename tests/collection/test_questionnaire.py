"""Tenant self-service: a link or an account, one question a page, saved as you go, in Welsh too."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equal_outcomes.accounts.mail import retry_email
from equal_outcomes.accounts.models import OutgoingEmail
from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.collection.models import Draft
from equal_outcomes.collection.questionnaire import invitation_create
from equal_outcomes.customers.models import CommunicationPreference, ProfileAnswer
from equal_outcomes.operations.keys import raw_tokens
from tests.auth import signed_in
from tests.factories import CustomerFactory, UserFactory, record_answer
from tests.insight.test_reports import poppler

pytestmark = pytest.mark.django_db


def question_url(question: str) -> str:
    return reverse("collection:questionnaire_question", args=[question])


def _link_in(text: str) -> str:
    found = re.search(r"https?://\S+/questionnaire/start/([\w-]+)/", text)
    assert found is not None, text
    return found.group(1)


def test_staff_send_the_link_by_email_and_never_see_it(advisor: Any, smtp_server: Any) -> None:
    """Issue 25, finding 8: staff who made an invitation saw the link and could open the
    customer's questionnaire. Now it goes to the customer only."""
    customer = CustomerFactory(email="ceri.morgan@example.org", first_name="Ceri")
    url = reverse("collection:invite", args=[customer.public_id])
    form = signed_in(advisor).get(url).content.decode()
    assert "By email to c…@example.org" in form
    page = signed_in(advisor).post(url, {"channel": "email"})
    assert page.status_code == 200
    assert "We have emailed a link to c…@example.org" in page.content.decode()
    [message] = smtp_server
    assert message["To"] == "ceri.morgan@example.org"
    body = message.get_content()
    assert "Dear Ceri" in body
    token = _link_in(body)
    assert token not in page.content.decode(), "the member of staff never sees the link"
    opened = Client().get(reverse("collection:questionnaire_start", args=[token]))
    assert opened.status_code == 302
    invited = AuditEvent.objects.get(action="invite", target_id=str(customer.public_id))
    assert invited.purpose == "questionnaire sent by email"


def test_welsh_speakers_get_the_welsh_first(advisor: Any, smtp_server: Any) -> None:
    customer = CustomerFactory(email="elin@example.org")
    CommunicationPreference.objects.create(
        customer=customer, preferred_language="cy", source="contact", recorded_at=timezone.now()
    )
    signed_in(advisor).post(
        reverse("collection:invite", args=[customer.public_id]), {"channel": "email"}
    )
    [message] = smtp_server
    assert message["Subject"].startswith("Dywedwch wrthym amdanoch chi")
    body = message.get_content()
    assert body.index("Annwyl") < body.index("Dear")


def test_an_email_the_server_will_not_take_is_kept_and_sent_later(
    advisor: Any, smtp_server: Any, settings: Any
) -> None:
    customer = CustomerFactory(email="ceri@example.org")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the mail server is down
    page = signed_in(advisor).post(
        reverse("collection:invite", args=[customer.public_id]), {"channel": "email"}
    )
    assert "could not be sent just now" in page.content.decode()
    kept = OutgoingEmail.objects.get()
    assert (kept.purpose, kept.attempts) == ("questionnaire", 1)
    assert "ceri@example.org" not in str(raw_tokens(OutgoingEmail, "to")), "kept encrypted"
    retry_email.call(kept.pk)  # the task worker's next try: still down
    assert OutgoingEmail.objects.get().attempts == 2
    settings.EMAIL_PORT = port  # the server is back
    retry_email.call(kept.pk)
    assert not OutgoingEmail.objects.exists()
    [message] = smtp_server
    assert "/questionnaire/start/" in message.get_content()


def test_without_an_email_address_a_letter_goes_with_a_code_staff_never_see(
    advisor: Any, settings: Any, tmp_path: Any
) -> None:
    settings.EQUAL_OUTCOMES_LETTERS = tmp_path / "letters"
    customer = CustomerFactory(email="")
    url = reverse("collection:invite", args=[customer.public_id])
    assert "By email" not in signed_in(advisor).get(url).content.decode()
    assert signed_in(advisor).post(url, {"channel": "email"}).status_code == 400
    page = signed_in(advisor).post(url, {"channel": "letter"}).content.decode()
    assert "A letter with a code is in the print queue" in page
    [letter] = (tmp_path / "letters").iterdir()
    assert oct(letter.stat().st_mode & 0o777) == "0o600"
    text = subprocess.run(
        [poppler("pdftotext"), str(letter), "-"], capture_output=True, check=True
    ).stdout.decode()
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b", text)
    assert code is not None, text
    assert code.group(1) not in page
    assert customer.household.property.address in text
    client = Client()
    wrong = client.post(reverse("collection:questionnaire_code"), {"code": "AAAA-AAAA-AAAA"})
    assert wrong.status_code == 400
    typed = code.group(1).replace("-", " ").lower()
    opened = client.post(reverse("collection:questionnaire_code"), {"code": typed})
    assert opened.url == reverse("collection:questionnaire")
    assert b"Tell us about yourself" in client.get(opened.url).content


def test_a_customer_answers_by_link_and_their_answers_are_self_declared() -> None:
    customer = CustomerFactory()
    invitation, token = invitation_create(actor="system:test", customer=customer)
    client = Client()
    opened = client.get(reverse("collection:questionnaire_start", args=[token]))
    assert opened.status_code == 302
    assert token not in opened.url
    start = client.get(opened.url)
    assert b"Tell us about yourself" in start.content
    assert b"What we hold about you now" not in start.content, "a link never shows held answers"

    assert client.post(question_url("sex"), {"answer": "female"}).url == question_url(
        "gender_identity"
    )
    client.post(question_url("gender_identity"), {"skip": "1"})
    client.post(question_url("sexual_orientation"), {"answer": "prefer_not_to_say"})
    assert client.get(question_url("disability_impact")).status_code == 404, "follow-up not yet due"
    client.post(question_url("disability"), {"answer": "yes"})
    assert client.get(question_url("disability_impact")).status_code == 200
    client.post(question_url("impairment_type"), {"answer": ["hearing", "mobility"]})

    check = client.get(reverse("collection:questionnaire_check"))
    assert b"Hearing" in check.content
    assert b"Not answered: anything we already hold is kept" in check.content
    done = client.post(reverse("collection:questionnaire_check"))
    assert b"We have saved 4 answers" in done.content

    answers = {a.characteristic: a for a in ProfileAnswer.objects.filter(customer=customer)}
    assert set(answers) == {"sex", "sexual_orientation", "disability", "impairment_type"}
    assert answers["sex"].touchpoint == "self_service"
    assert answers["impairment_type"].value == "hearing|mobility"
    assert answers["sexual_orientation"].state == "prefer_not_to_say"
    assert AuditEvent.objects.filter(
        actor_label=f"self-service:invitation-{invitation.pk}"
    ).exists()
    assert not Draft.objects.exists()
    again = Client().get(reverse("collection:questionnaire_start", args=[token]))
    assert again.status_code == 404
    assert b"This link has expired" in again.content


def test_progress_is_saved_and_can_be_resumed_later(db: Any) -> None:
    customer = CustomerFactory()
    _, token = invitation_create(actor="system:test", customer=customer)
    first = Client()
    first.get(reverse("collection:questionnaire_start", args=[token]))
    first.post(question_url("sex"), {"answer": "male"})
    later = Client()
    later.get(reverse("collection:questionnaire_start", args=[token]))
    page = later.get(question_url("sex"))
    assert page.context["form"].initial["answer"] == "male"
    assert b"Continue" in later.get(reverse("collection:questionnaire")).content
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM collection_draft")
        stored = cursor.fetchone()[0]
    assert stored.startswith("eo3:")
    assert "male" not in stored


def test_an_expired_link_does_not_open(db: Any) -> None:
    customer = CustomerFactory()
    _, token = invitation_create(actor="system:test", customer=customer)
    later = timezone.now() + dt.timedelta(days=settings.EQUAL_OUTCOMES_INVITATION_DAYS + 1)
    with time_machine.travel(later):
        response = Client().get(reverse("collection:questionnaire_start", args=[token]))
    assert response.status_code == 404


def test_every_question_and_option_is_in_welsh(db: Any) -> None:
    customer = CustomerFactory()
    _, token = invitation_create(actor="system:test", customer=customer)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    client.get(reverse("collection:questionnaire_start", args=[token]))
    page = client.get(question_url("ethnicity") + "?group=white").content.decode()
    assert 'lang="cy"' in page
    assert "Sipsi neu Deithiwr Gwyddelig" in page
    page = client.get(question_url("ethnicity")).content.decode()
    assert (
        "Mae'n well gen i beidio â dweud" in page or "Mae&#x27;n well gen i beidio â dweud" in page
    )
    assert "Hepgor y cwestiwn hwn" in page


def test_a_signed_in_tenant_sees_what_is_held_about_them_only(lead: Any) -> None:
    tenant = UserFactory(username="tess", role="tenant")
    mine = CustomerFactory(user=tenant)
    theirs = CustomerFactory()
    record_answer(lead, mine, "religion", "sikh")
    record_answer(lead, theirs, "religion", "jewish")
    page = signed_in(tenant).get(reverse("collection:questionnaire")).content.decode()
    assert "What we hold about you now" in page
    assert "Sikh" in page
    assert "Jewish" not in page


def test_a_link_opens_a_draft_of_its_own_and_every_draft_read_is_audited() -> None:
    """Issue 25, finding 8: the link opened the same draft the signed-in tenant was filling in,
    so whoever made or saw the link could read the tenant's unfinished answers."""
    tenant = UserFactory(role="tenant")
    customer = CustomerFactory(user=tenant)
    own = signed_in(tenant)
    own.post(question_url("sex"), {"answer": "female"})
    own.post(question_url("gender_identity"), {"answer": "no"})
    assert b"Female" in own.get(reverse("collection:questionnaire_check")).content

    _invitation, token = invitation_create(actor="system:test", customer=customer)
    link = Client()
    link.get(reverse("collection:questionnaire_start", args=[token]), follow=True)
    seen = link.get(reverse("collection:questionnaire_check")).content
    assert b"Female" not in seen, "the tenant's unfinished answers are not the link's"
    link.post(question_url("sex"), {"answer": "male"})
    link_page = link.get(reverse("collection:questionnaire_check")).content.decode()
    own_page = own.get(reverse("collection:questionnaire_check")).content.decode()
    assert re.search(r"\bMale\b", link_page)
    assert not re.search(r"\bMale\b", own_page), "nor are the link's the tenant's"
    reads = AuditEvent.objects.filter(section="questionnaire draft", action="view")
    assert reads.filter(actor=tenant).exists()
    assert reads.filter(actor_label__startswith="self-service:invitation-").exists()


def test_a_signed_in_tenant_starts_from_what_we_hold_and_a_link_does_not(lead: Any) -> None:
    """Issue 27, item 7: held answers are pre-selected for the tenant themselves, never shown
    to whoever holds a link."""
    from equal_outcomes.accounts.roles import Role

    tenant = UserFactory(role=Role.TENANT)
    customer = CustomerFactory(user=tenant)
    record_answer(lead, customer, "religion", "none")
    page = signed_in(tenant).get(reverse("collection:questionnaire_question", args=["religion"]))
    assert re.search(r'value="none"[^>]*checked', page.content.decode())
    token = invitation_create(customer=customer, actor=lead)[1]
    stranger = Client()
    stranger.get(reverse("collection:questionnaire_start", args=[token]))
    by_link = stranger.get(reverse("collection:questionnaire_question", args=["religion"]))
    assert not re.search(r"checked", by_link.content.decode())


def test_the_ethnic_group_is_asked_group_first_then_the_background_within_it(db: Any) -> None:
    """Issue 27, item 7: the GOV.UK ethnic group pattern, so "Irish" never stands without
    "White" nor "African" without "Black"."""
    from equal_outcomes.accounts.roles import Role

    tenant = UserFactory(role=Role.TENANT)
    CustomerFactory(user=tenant)
    client = signed_in(tenant)
    url = reverse("collection:questionnaire_question", args=["ethnicity"])
    first = client.get(url).content.decode()
    assert "Black, Black British, Black Welsh, Caribbean or African" in first
    assert 'value="black"' in first
    assert 'value="black_african"' not in first
    chosen = client.post(url, {"answer": "black"})
    assert chosen.url == f"{url}?group=black"
    second = client.get(chosen.url).content.decode()
    assert 'value="black_african"' in second
    assert 'value="white_irish"' not in second
    client.post(chosen.url, {"answer": "black_african", "group": "black"})
    assert Draft.objects.get().answers.count("black_african") == 1
