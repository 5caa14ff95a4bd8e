"""What an API token may do. Apart from the models, so that a command's options (``api_token
create --scope``) are known without loading them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    JOB_PACKS = "job_packs", _("Read job packs")
    REPORTS = "reports", _("Send reports back from visits")
    PROFILE_UPDATES = "profile_updates", _("Push profile updates (the landlord's own systems)")
    REFERRALS = "referrals", _("Read referrals and report their outcome")
    JOBS = "jobs", _("Send jobs for contractors (the landlord's housing or repairs system)")
