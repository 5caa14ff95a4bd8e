"""Reports made in the background for people who asked for them in the web app."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.imports.models import JobStatus


class ReportJob(models.Model):
    """One report asked for in the web app. Reports hold aggregates only; the file is kept
    under the home folder and handed only to the person who asked for it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, default="equality")
    file_format = models.CharField(_("format"), max_length=4)
    publishable = models.BooleanField(_("publishable"), default=True)
    area = models.CharField(max_length=32, blank=True)
    customer_group = models.CharField(max_length=32, blank=True)
    period = models.CharField(max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stored_path = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report {self.public_id} ({self.status})"
