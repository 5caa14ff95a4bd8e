from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only entry: who did what to which record, when and why. Never the values."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=32)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)  # found with target_type (see Meta)
    section = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    previous_hash = models.CharField(max_length=64)
    # Not indexed: the chain is checked by walking it in order, never by looking a hash up, and
    # a unique index on random hashes cost a million-row import 5 s.
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"


class AuditHead(models.Model):
    """The end of the chain: one row, locked by every writer so the chain never forks, and
    compared by ``audit verify`` so that deleting the newest rows is noticed too."""

    entry_hash = models.CharField(max_length=64)
    entries = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head after {self.entries} entries"
