from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from equal_outcomes.accounts.roles import Role
from equal_outcomes.core.fields import EncryptedTextField


class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A person who signs in. Every user has exactly one role."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A staff member's authenticator app: django-otp's TOTP device with its shared secret
    encrypted like special-category data, since a secret read from a copy of the database
    would let its reader make codes. The checking itself is django-otp's own."""

    secret = EncryptedTextField(default=default_key)  # hex, as django-otp makes it
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=30)
    t0: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        default=1
    )
    drift: models.SmallIntegerField[int, int] = models.SmallIntegerField(default=0)
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    @property
    def key(self) -> str:
        return str(self.secret)

    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings


class OutgoingEmail(models.Model):
    """An email the mail server would not take yet: kept, encrypted (it can hold a one-time
    link), until the task worker sends it; deleted as soon as it is sent."""

    to = EncryptedTextField(_("to"))
    subject = EncryptedTextField(_("subject"))
    body = EncryptedTextField(_("body"), pad_to=1024)
    purpose = models.CharField(_("purpose"), max_length=60)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} email ({self.attempts} attempts)"


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")


class Organisation(models.Model):
    """The landlord's own settings, one row, set by the administrator (and audited): its name
    on every page and report, its nation, the coverage levels, how long an answer stays
    current, how long things are kept, and whom tenants contact about their data."""

    name = models.CharField(_("landlord's name"), max_length=200, blank=True)
    nation = models.CharField(
        _("nation"), max_length=8, choices=Nation.choices, default=Nation.ENGLAND
    )
    coverage_achieving = models.PositiveSmallIntegerField(_("achieving level (%)"), default=60)
    coverage_excellent = models.PositiveSmallIntegerField(_("excellent level (%)"), default=90)
    stale_after_days = models.PositiveIntegerField(
        _("days before an answer needs confirming"), null=True, blank=True
    )
    retention_days = models.JSONField(_("retention periods (days)"), default=dict, blank=True)
    privacy_contact = models.CharField(_("privacy contact"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name or "organisation"
