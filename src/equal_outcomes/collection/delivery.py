"""Sending the questionnaire to a customer without the member of staff seeing the way in.

Staff choose how it goes; the service makes the invitation and delivers it: by email to the
address held, or as a letter (a PDF in ``EQUAL_OUTCOMES_LETTERS`` for the print room or a
hybrid-mail service) with a code to type at ``/questionnaire/code/``. The link or code is
never shown on a page, so whoever sends it cannot open the customer's questionnaire. Messages
are in the customer's preferred language, Welsh first when that is Welsh, with the other too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from equal_outcomes.accounts.mail import send_in_languages
from equal_outcomes.accounts.organisation import welsh_first
from equal_outcomes.collection import questionnaire as service
from equal_outcomes.customers.models import Customer

EMAIL, LETTER = "email", "letter"


def masked_email(address: str) -> str:
    """Enough of an address to say where a message went: ``j…@example.org``."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def _languages(customer: Customer) -> list[str]:
    """Welsh first for someone who prefers it, and for every customer of a landlord in
    Wales (the Welsh Language Standards); English first otherwise."""
    preference = getattr(getattr(customer, "communication", None), "preferred_language", "")
    return ["cy", "en"] if preference == "cy" or welsh_first() else ["en", "cy"]


def channels_for(customer: Customer) -> list[str]:
    """How the questionnaire can reach this customer."""
    ways = []
    if customer.email and settings.EQUAL_OUTCOMES_EMAIL_ENABLED:
        ways.append(EMAIL)
    if customer.household and customer.household.property:
        ways.append(LETTER)
    return ways


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str  # the masked email address, or the letter's file name
    expires_at: Any
    waiting: bool = False  # the mail server would not take it yet: the task worker will


def _letter_file(pdf: bytes, invitation_id: int) -> Path:
    folder = Path(settings.EQUAL_OUTCOMES_LETTERS)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"questionnaire-{invitation_id}.pdf"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pdf)
    return path


@transaction.atomic
def questionnaire_send(*, actor: Any, customer: Customer, channel: str, site: str) -> Sent:
    """Makes an invitation and delivers it by ``channel`` (``email`` or ``letter``); ``site``
    is the address the service is reached at (``https://host``). Audited, never shown."""
    if channel not in channels_for(customer):
        raise ValidationError(
            {"channel": _("The questionnaire cannot be sent this way to this customer")}
        )
    invitation, token = service.invitation_create(
        actor=actor, customer=customer, letter=channel == LETTER,
        purpose=f"questionnaire sent by {channel}",
    )  # fmt: skip
    context = {
        "customer": customer,
        "link": f"{site}/questionnaire/start/{token}/",
        "code": token,
        "code_page": f"{site}/questionnaire/code/",
        "expires_at": invitation.expires_at,
    }
    languages = _languages(customer)
    went = True
    if channel == EMAIL:
        went = send_in_languages(
            to=customer.email, subject_template="collection/email_subject.txt",
            body_template="collection/email_body.txt", context=context, languages=languages,
            purpose="questionnaire",
        )  # fmt: skip
        to = masked_email(customer.email)
    else:
        from weasyprint import HTML  # imported late: it loads system libraries

        letter = render_to_string("collection/letter.html", {**context, "languages": languages})
        pdf = HTML(string=letter).write_pdf()
        to = _letter_file(bytes(pdf), invitation.pk).name
    return Sent(channel=channel, to=to, expires_at=invitation.expires_at, waiting=not went)
