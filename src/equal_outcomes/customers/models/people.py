"""Customers, the households they belong to, and tenancies."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.versions import VersionField
from equal_outcomes.customers.models.places import Property


class Household(models.Model):
    household_ref = models.CharField(_("household reference"), max_length=32, unique=True)
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )

    class Meta:
        ordering = ["household_ref"]

    def __str__(self) -> str:
        return self.household_ref


class Tenancy(models.Model):
    tenancy_ref = models.CharField(_("tenancy reference"), max_length=32, unique=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="tenancies")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=32, blank=True, help_text=_("Code from tenancy_end_reason")
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "tenancies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="tenancy_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.tenancy_ref


class Customer(models.Model):
    """A person the landlord serves: tenant, household member, leaseholder, applicant and so on."""

    version = VersionField()  # no lost updates: see core.versions

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    landlord_ref = models.CharField(_("customer reference"), max_length=32, unique=True)
    customer_type = models.CharField(_("customer type"), max_length=32)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
        help_text=_("The account a tenant signs in with to see and update their own record."),
    )
    objects_to_monitoring = models.BooleanField(
        _("objects to equality monitoring"),
        default=False,
        help_text=_("Left out of every analysis snapshot when set."),
    )
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        help_text=_("Set when the person's data was erased; the row stays so counts add up."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "landlord_ref"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["customer_type"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
