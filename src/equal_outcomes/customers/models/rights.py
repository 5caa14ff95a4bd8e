"""Records that protect people: restricted details, emergency access, corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField
from equal_outcomes.core.versions import VersionField
from equal_outcomes.customers.models.people import Customer


class RestrictedDetails(models.Model):
    """The most restricted data: a domestic-abuse safe address and gender-history details.

    Only the housing officer for the customer's area reads them; they never appear in exports,
    job packs, emergency access or the subject-access export of anyone else.
    """

    version = VersionField()  # no lost updates: see core.versions

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="restricted")
    safe_address = EncryptedTextField(
        _("safe address"),
        blank=True,
        help_text=_("Where to write to or visit, if not the home"),
        bind="customer_id",
    )
    gender_history = EncryptedTextField(_("gender history"), blank=True, bind="customer_id")
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "restricted details"

    def __str__(self) -> str:
        return f"restricted details of {self.customer_id}"


class EmergencyAccess(models.Model):
    """Break-the-glass: a time-limited grant to open one record outside the user's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_access"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="emergency_access"
    )
    reason = EncryptedTextField(_("reason"), bind="customer_id")
    granted_at = models.DateTimeField(_("granted at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name_plural = "emergency access"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="emergency_access_expires_after_grant",
            )
        ]

    def __str__(self) -> str:
        return f"emergency access of {self.user_id} to {self.customer_id}"


class Correction(models.Model):
    """Rectification of an identity or contact detail: the old and new values, kept encrypted
    (an old name can itself be sensitive), who made it and why."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("field"), max_length=40)
    previous_value = EncryptedTextField(_("previous value"), blank=True, bind="customer_id")
    new_value = EncryptedTextField(_("new value"), blank=True, bind="customer_id")
    reason = models.CharField(_("reason"), max_length=200)
    corrected_at = models.DateTimeField(_("corrected at"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["customer", "corrected_at"]

    def __str__(self) -> str:
        return f"correction of {self.field} for {self.customer_id}"
