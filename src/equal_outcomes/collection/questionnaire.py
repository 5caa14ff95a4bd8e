"""Tenant self-service: who may answer (by link or by signing in), progress, and submission."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.collection.models import Draft, Invitation
from equal_outcomes.customers.models import AnswerState, Customer, ProfileAnswer
from equal_outcomes.customers.services import MULTIPLE_SEPARATOR, profile_answer_record
from equal_outcomes.standards.codelists import Characteristic, characteristics

TOUCHPOINT = "self_service"
Answers = dict[str, list[str]]  # question: codes, or ["prefer_not_to_say"]


# Letter codes are typed from paper: no 0/O or 1/I, twelve characters (60 bits), in threes.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def letter_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalised_code(typed: str) -> str:
    """A code as typed (any case, with or without spaces and dashes) in its printed form."""
    letters = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


@transaction.atomic
def invitation_create(
    *, actor: Any, customer: Customer, letter: bool = False, purpose: str = ""
) -> tuple[Invitation, str]:
    """A new invitation for ``customer``: a link's token, or (``letter``) a code to type. The
    token is returned once, to be delivered, and only its hash is kept."""
    token = letter_code() if letter else secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        customer=customer,
        token_hash=_hash(token),
        created_at=now,
        created_by=None if isinstance(actor, str) else actor,
        expires_at=now + dt.timedelta(days=settings.EQUAL_OUTCOMES_INVITATION_DAYS),
    )
    Auditor.record(
        actor=actor, action=AuditAction.INVITE, target_type="customer", target_id=customer.public_id,
        purpose=purpose,
    )  # fmt: skip
    return invitation, token


def invitation_open(token: str) -> Invitation | None:
    """The invitation a token belongs to, while it is still usable."""
    return (
        Invitation.objects.select_related("customer")
        .filter(
            token_hash=_hash(token),
            expires_at__gt=timezone.now(),
            completed_at__isnull=True,
            customer__erased_at__isnull=True,
        )
        .first()
    )


def invitation_usable(invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.select_related("customer")
        .filter(
            pk=invitation_id,
            expires_at__gt=timezone.now(),
            completed_at__isnull=True,
            customer__erased_at__isnull=True,
        )
        .first()
    )


def draft_answers(*, actor: Any, customer: Customer, invitation: Invitation | None) -> Answers:
    """The answers given so far by this respondent (the signed-in tenant, or whoever holds this
    invitation's link), never another's; each read is audited."""
    draft = Draft.objects.filter(customer=customer, invitation=invitation).first()
    if draft is None and invitation is None:
        return held_answers(actor=actor, customer=customer)
    if draft is None or not draft.answers:
        return {}
    Auditor.record(
        actor=actor, action=AuditAction.VIEW, target_type="customer", target_id=customer.public_id,
        section="questionnaire draft", purpose="self-service questionnaire",
    )  # fmt: skip
    answers: Answers = json.loads(draft.answers)
    return answers


def held_answers(*, actor: Any, customer: Customer) -> Answers:
    """What the signed-in tenant has told us already, so that the questionnaire starts from it
    and they change only what has changed. Never for a link's holder, who may not be them."""

    held: Answers = {}
    for answer in ProfileAnswer.objects.current().filter(customer=customer):
        if answer.state == AnswerState.ANSWERED and answer.value:
            held[answer.characteristic] = [v for v in answer.value.split(MULTIPLE_SEPARATOR) if v]
        elif answer.state == AnswerState.PREFER_NOT_TO_SAY:
            held[answer.characteristic] = [AnswerState.PREFER_NOT_TO_SAY.value]
    if held:
        Auditor.record(
            actor=actor, action=AuditAction.VIEW, target_type="customer", target_id=customer.public_id,
            section="profile", purpose="self-service questionnaire",
        )  # fmt: skip
    return held


def draft_save(*, customer: Customer, invitation: Invitation | None, answers: Answers) -> None:
    Draft.objects.update_or_create(
        customer=customer, invitation=invitation, defaults={"answers": json.dumps(answers)}
    )


def questions_for(answers: Answers) -> list[Characteristic]:
    """The questions that apply, in order: follow-ups only after the answer they follow."""
    applicable = []
    for item in characteristics():
        if all(answers.get(earlier) == [wanted] for earlier, wanted in item.asked_when.items()):
            applicable.append(item)
    return applicable


@transaction.atomic
def questionnaire_submit(*, actor: Any, customer: Customer, invitation: Invitation | None) -> int:
    """Records every answer given, as self-declared, and closes the link. Returns how many."""
    answers = draft_answers(actor=actor, customer=customer, invitation=invitation)
    applicable = {item.id for item in questions_for(answers)}
    count = 0
    for question, codes in answers.items():
        if question not in applicable or not codes:
            continue
        prefer_not = codes == ["prefer_not_to_say"]
        profile_answer_record(
            actor=actor,
            customer=customer,
            characteristic=question,
            state="prefer_not_to_say" if prefer_not else "answered",
            codes=[] if prefer_not else codes,
            touchpoint=TOUCHPOINT,
        )
        count += 1
    Draft.objects.filter(customer=customer, invitation=invitation).delete()
    if invitation is not None:
        invitation.completed_at = timezone.now()
        invitation.save(update_fields=["completed_at"])
    return count
