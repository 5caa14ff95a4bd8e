"""Profile answers: one current answer per characteristic per person, with history kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField
from equal_outcomes.customers.models.people import Customer


class AnswerState(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefer not to say")
    NOT_ASKED = "not_asked", _("Not asked")


class ProfileAnswerQuerySet(models.QuerySet["ProfileAnswer"]):
    def current(self) -> ProfileAnswerQuerySet:
        """Each person's answer now to each question (the ones a later answer superseded are
        history)."""
        return self.filter(is_current=True)


class ProfileAnswer(models.Model):
    """An answer to one profile question. A new answer supersedes the old one, which is kept.

    ``value`` holds the stable code (or codes joined by ``|`` for questions with several answers),
    encrypted. ``expires_on`` is set for time-limited answers such as pregnancy and maternity;
    after it the answer counts as not asked.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="answers")
    characteristic = models.CharField(_("characteristic"), max_length=40)
    state = models.CharField(_("state"), max_length=20, choices=AnswerState.choices)
    # Padded past the longest answer (every impairment type at once, 96 bytes), so that every
    # answer's token has one length and a copy of the database cannot tell answers apart.
    value = EncryptedTextField(_("value"), blank=True, pad_to=128, bind="customer_id")
    touchpoint = models.CharField(_("source"), max_length=32)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # only consulted when deleting a user, which is rare
    )
    last_confirmed_at = models.DateTimeField(_("last confirmed"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    is_current = models.BooleanField(default=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = ProfileAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "characteristic", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "characteristic"],
                condition=models.Q(is_current=True),
                name="one_current_answer_per_characteristic",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=AnswerState.values), name="answer_state_valid"
            ),
        ]
        # Every index slows imports of millions of answers; coverage is counted in the analytics
        # snapshot, not here, so answers are found by customer only.

    def __str__(self) -> str:
        return f"{self.customer_id} {self.characteristic} ({self.state})"
