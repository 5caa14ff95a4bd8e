"""Communication preferences and needs, support needs (vulnerabilities) and reasonable adjustments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField
from equal_outcomes.customers.models.people import Customer


class _Recorded(models.Model):
    source = models.CharField(_("source"), max_length=32, help_text=_("Code from touchpoint"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class CommunicationPreference(_Recorded):
    """How a customer wants to hear from the landlord. One per customer."""

    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, related_name="communication"
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    preferred_format = models.CharField(_("preferred format"), max_length=32, blank=True)
    preferred_contact_method = models.CharField(
        _("preferred contact method"), max_length=32, blank=True
    )
    contact_times = models.CharField(_("best times to contact"), max_length=120, blank=True)
    representative = EncryptedTextField(
        _("representative or advocate"),
        blank=True,
        help_text=_("Name and how to reach them"),
        bind="customer_id",
    )

    def __str__(self) -> str:
        return f"communication preferences of {self.customer_id}"


class CommunicationNeed(_Recorded):
    """A need that changes how the landlord communicates: call ahead, large print, BSL..."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="communication_needs"
    )
    need = models.CharField(_("need"), max_length=32, help_text=_("Code from communication_need"))
    details = EncryptedTextField(_("details"), blank=True, bind="customer_id")
    end_date = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["customer", "need"]

    def __str__(self) -> str:
        return f"{self.need} for {self.customer_id}"


class Confidentiality(models.TextChoices):
    STANDARD = "standard", _("Staff who work with the customer")
    RESTRICTED = "restricted", _("Restricted: named teams only")
    HIGHLY_RESTRICTED = "highly_restricted", _("Highly restricted: safeguarding leads only")


class SupportNeed(_Recorded):
    """A vulnerability or support need. The kind of need and its details are both encrypted."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="support_needs")
    need = EncryptedTextField(_("need"), help_text=_("Code from support_need"), bind="customer_id")
    details = EncryptedTextField(_("details"), blank=True, bind="customer_id")
    start_date = models.DateField(_("start date"))
    review_date = models.DateField(_("review date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    customer_told = models.BooleanField(
        _("customer told it is recorded"),
        default=True,
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.STANDARD,
    )
    # For "restricted: named teams only": the teams (groups of users) who may read it.
    teams = models.ManyToManyField(
        "auth.Group", blank=True, related_name="+", verbose_name=_("teams who may see it")
    )

    class Meta:
        ordering = ["customer", "review_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidentiality__in=Confidentiality.values),
                name="support_need_confidentiality_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(review_date__gte=models.F("start_date")),
                name="support_need_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"support need {self.pk} of {self.customer_id}"


class AdjustmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    AGREED = "agreed", _("Agreed")
    REFUSED = "refused", _("Refused")


class ReasonableAdjustment(_Recorded):
    """What the landlord will do differently. Says what to do, never why."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="adjustments")
    adjustment = models.CharField(
        _("adjustment"), max_length=40, help_text=_("Code from adjustment")
    )
    details = EncryptedTextField(_("details"), blank=True, bind="customer_id")
    status = models.CharField(_("status"), max_length=12, choices=AdjustmentStatus.choices)
    refusal_reason = EncryptedTextField(_("reason for refusal"), blank=True, bind="customer_id")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        ordering = ["customer", "adjustment"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AdjustmentStatus.values),
                name="adjustment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.adjustment} for {self.customer_id} ({self.status})"

    def clean(self) -> None:
        # Encrypted, so the rule cannot be a database constraint.
        if self.status == AdjustmentStatus.REFUSED and not self.refusal_reason.strip():
            raise ValidationError(
                {"refusal_reason": _("Give the reason the adjustment was refused")}
            )
