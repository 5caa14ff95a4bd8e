"""Data-sharing agreements, the disclosure log, and what contractors and partners report back.

No personal data leaves except under an active agreement that lists the fields shared; every
disclosure is logged (what, to whom, when, under which agreement) and appears in the person's
subject access export.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField
from equal_outcomes.core.versions import VersionField
from equal_outcomes.sharing.scopes import Scope


class PartnerKind(models.TextChoices):
    CONTRACTOR = "contractor", _("Contractor")
    PARTNER = "partner", _("Partner agency")
    SYSTEM = "system", _("The landlord's own system (housing management)")


class ShareField(models.TextChoices):
    """What an agreement may allow to leave. Protected characteristics and support needs are
    not here: no agreement can share them."""

    ADDRESS = "address", _("Property address")
    NAMES = "names", _("Residents' names")
    PHONE = "phone", _("Residents' phone numbers")
    INSTRUCTIONS = "instructions", _("Visit instructions (what to do, never why)")
    LANGUAGE = "language", _("Preferred language and interpreter")
    REFERRAL = (
        "referral",
        _("Referrals made with consent: name, contact details, support asked for"),
    )


class Agreement(models.Model):
    version = VersionField()  # no lost updates: see core.versions
    partner = models.CharField(_("partner"), max_length=200)
    kind = models.CharField(_("kind of partner"), max_length=12, choices=PartnerKind.choices)
    purpose = models.CharField(_("purpose"), max_length=500)
    lawful_basis = models.CharField(_("lawful basis"), max_length=300)
    fields = models.JSONField(_("fields shared"), default=list)
    starts_on = models.DateField(_("starts"))
    expires_on = models.DateField(_("expires"))
    review_on = models.DateField(_("review by"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="agreements",
        verbose_name=_("partner staff who use it"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.partner} ({self.starts_on} to {self.expires_on})"

    def active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.revoked_at is None and self.starts_on <= day <= self.expires_on

    @property
    def active(self) -> bool:
        return self.active_on()

    @property
    def review_due(self) -> bool:
        return self.review_on <= timezone.localdate()


class Disclosure(models.Model):
    """One disclosure of one person's data: what left, to whom, how and under which agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="disclosures")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="disclosures"
    )
    fields = models.JSONField(default=list)
    channel = models.CharField(max_length=20)  # job_pack, job_pack_pdf, api, ...
    disclosed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.agreement.partner} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def field_labels(self) -> list[str]:
        """What left, in words."""
        return [
            str(ShareField(name).label) if name in ShareField.values else name
            for name in self.fields
        ]


class ReportKind(models.TextChoices):
    NEED = "need", _("A need noticed at a visit")
    NO_ACCESS = "no_access", _("No access at a visit")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a staff member")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class FieldReport(models.Model):
    """What a contractor or partner reports back: a pending update until staff confirm it."""

    version = VersionField()  # no lost updates: see core.versions

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reports")
    property = models.ForeignKey(
        "customers.Property", on_delete=models.CASCADE, related_name="field_reports"
    )
    kind = models.CharField(_("what happened"), max_length=10, choices=ReportKind.choices)
    visit_on = models.DateField(_("date of the visit"))
    suggested_need = models.CharField(_("the need"), max_length=32, blank=True)
    note = EncryptedTextField(_("what you noticed"), blank=True, bind="property_id")
    # A member of staff, or (through the API) the partner's token: never someone else.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    api_token = models.ForeignKey(
        "ApiToken", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.property_id} ({self.status})"


class ApiToken(models.Model):
    """A bearer token for the API: one agreement, some scopes, an expiry. Only its hash is
    kept; the token is shown once when it is made."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_labels(self) -> list[str]:
        """What the token may do, in words."""
        return [
            str(Scope(scope).label) if scope in Scope.values else scope for scope in self.scopes
        ]

    @property
    def usable(self) -> bool:
        return (
            self.revoked_at is None and self.expires_at > timezone.now() and self.agreement.active
        )


class Direction(models.TextChoices):
    OUT = "out", _("From us to the partner")
    IN = "in", _("From the partner to us")


class Consent(models.TextChoices):
    GIVEN = "given", _("The customer agreed")
    SAFEGUARDING = "safeguarding", _("Without consent: a safeguarding duty applies")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Support given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Referral(models.Model):
    """A referral for support, to or from a partner, with the customer's consent (or the
    safeguarding reason there was none) and its outcome. Feeds the referral indicators."""

    version = VersionField()  # no lost updates: see core.versions

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="referrals"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="referrals")
    need = EncryptedTextField(_("support asked for"), bind="customer_id")
    consent = models.CharField(_("consent"), max_length=12, choices=Consent.choices)
    consent_on = models.DateField(_("date of consent"), null=True, blank=True)
    safeguarding_reason = EncryptedTextField(
        _("safeguarding reason"), blank=True, bind="customer_id"
    )
    referred_on = models.DateField(_("date referred"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    outcome = EncryptedTextField(_("outcome"), blank=True, bind="customer_id")
    closed_on = models.DateField(_("date closed"), null=True, blank=True)
    # A member of staff, or (a referral in through the API) the partner's token.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    api_token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on"]

    def __str__(self) -> str:
        return f"referral {self.public_id} ({self.direction}, {self.status})"

    @property
    def accepted(self) -> bool | None:
        """The referral indicator's outcome: accepted, declined, or not yet known."""
        if self.status in {ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}:
            return True
        if self.status == ReferralStatus.DECLINED:
            return False
        return None


class JobSource(models.TextChoices):
    STAFF = "staff", _("Raised by staff")
    IMPORT = "import", _("Imported from the housing system")
    API = "api", _("Sent by the housing system")


class Job(models.Model):
    """Work a contractor is to do at a home: a repair, a gas service, an inspection. A
    contractor may read a home's job pack only while a job for them there is open, so a job pack
    is never a look-up of any property. Says what the work is, never anything about the
    people."""

    version = VersionField()  # no lost updates: see core.versions

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_ref = models.CharField(_("job reference"), max_length=40, unique=True)
    property = models.ForeignKey(
        "customers.Property", on_delete=models.CASCADE, related_name="jobs"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("contractor")
    )
    work = models.CharField(_("the work"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    source = models.CharField(max_length=6, choices=JobSource.choices, default=JobSource.STAFF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    api_token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "opened_on", "job_ref"]
        indexes = [models.Index(fields=["property", "agreement", "closed_on"])]

    def __str__(self) -> str:
        return f"job {self.job_ref} at {self.property_id}"
