"""Imports run in the background, with progress people can watch."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file and what became of it. The report can hold values from the file (a
    misspelt ethnicity, say), so it is encrypted like the data itself."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(max_length=200)
    stored_path = models.CharField(max_length=500)
    mapping_path = models.CharField(max_length=500, blank=True)
    default_type = models.CharField(max_length=32, blank=True)
    dry_run = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.public_id} ({self.status})"


class Postcode(models.Model):
    """One postcode of the ONS postcode lookup: its LSOA and rural-urban class."""

    code = models.CharField(max_length=8, unique=True)  # without spaces: CF101AA
    lsoa = models.CharField(max_length=9)
    rural_urban = models.CharField(max_length=2, blank=True)

    def __str__(self) -> str:
        return self.code
