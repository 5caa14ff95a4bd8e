"""Email that goes out, or is kept until it can: staff invitations, password resets and
questionnaire links.

``send_email`` hands a message to the mail server at once. If the server cannot be reached or
refuses it for now, the message is kept (encrypted: it may hold a one-time link) and the task
worker tries again, waiting longer each time (up to an hour), until it goes; the caller is told,
so the page can say so. Nothing is lost, and nothing is kept once sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from equal_outcomes.accounts.models import OutgoingEmail

log = logging.getLogger(__name__)
MAX_WAIT = dt.timedelta(hours=1)


def _wait(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_WAIT)


def _deliver(to: str, subject: str, body: str) -> str:
    """Sends one message; the reason it could not be sent, or "" when it went."""
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send()
    except (smtplib.SMTPException, OSError) as error:
        return f"{type(error).__name__}: {error}"[:200]
    return ""


def send_in_languages(
    *, to: str, subject_template: str, body_template: str, context: dict[str, Any],
    languages: list[str], purpose: str,
) -> bool:  # fmt: skip
    """One message in each of ``languages``, the first first: the subjects joined by " / ",
    the bodies one after another. Sent as ``send_email`` sends."""
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(render_to_string(subject_template, context).strip())
            bodies.append(str(render_to_string(body_template, context)))
    return send_email(
        to=to, subject=" / ".join(subjects), body="\n\n――――――――――\n\n".join(bodies),
        purpose=purpose,
    )  # fmt: skip


def send_email(*, to: str, subject: str, body: str, purpose: str) -> bool:
    """Sends the message now (True), or keeps it for the task worker to send (False)."""
    problem = _deliver(to, subject, body)
    if not problem:
        return True
    kept = OutgoingEmail.objects.create(
        to=to, subject=subject, body=body, purpose=purpose, attempts=1,
        next_attempt_at=timezone.now() + _wait(1), last_error=problem,
    )  # fmt: skip
    # The address is not logged: only what failed and when it will be tried again.
    log.warning("could not send a %s email (%s); trying again later", purpose, problem)
    transaction.on_commit(lambda: _schedule(kept))
    return False


def _schedule(kept: OutgoingEmail) -> None:
    """The next try, by the task worker, when it is due. (A task backend that cannot wait,
    such as the tests' immediate one, leaves the message kept for the next try made.)"""
    if retry_email.get_backend().supports_defer:
        retry_email.using(run_after=kept.next_attempt_at).enqueue(kept.pk)


@task()
def retry_email(email_id: int) -> None:
    """One more try at a kept message; if it fails again, the next one is scheduled."""
    kept = OutgoingEmail.objects.filter(pk=email_id).first()
    if kept is None:
        return
    problem = _deliver(kept.to, kept.subject, kept.body)
    if not problem:
        kept.delete()
        return
    kept.attempts += 1
    kept.last_error = problem
    kept.next_attempt_at = timezone.now() + _wait(kept.attempts)
    kept.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    _schedule(kept)


def waiting() -> int:
    """How many messages are waiting to be sent (for the administrator's start page)."""
    return OutgoingEmail.objects.count()
