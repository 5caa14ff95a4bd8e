"""Tenant self-service: invitations (single-use, expiring links) and saved progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField
from equal_outcomes.customers.models import Customer


class Invitation(models.Model):
    """A link the landlord sends so a customer can answer the questionnaire without an account.

    Only a hash of the token is stored. The link works until it expires or the questionnaire is
    sent, whichever comes first, so the customer can come back to finish.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} for {self.customer_id}"


class Draft(models.Model):
    """Answers given so far, saved after every page so the customer can stop and come back.
    Encrypted like the answers themselves. Each way in has a draft of its own: the signed-in
    tenant's (no invitation), and each invitation's, so whoever holds a link never sees what
    the tenant, or someone with another link, has started."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="drafts")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="draft", null=True, blank=True
    )
    # Padded past a full set of answers, so a token's length does not tell how many were given.
    answers = EncryptedTextField(_("answers so far"), blank=True, pad_to=512, bind="customer_id")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(invitation__isnull=True),
                name="one_signed_in_draft_per_customer",
            )
        ]

    def __str__(self) -> str:
        return f"questionnaire draft of {self.customer_id}"
