"""The landlord's settings (issue 26, item 4): set by the administrator, audited, and used
where they matter: the name on every page, Welsh first in Wales, the privacy contact on the
questionnaire, the coverage levels and the retention periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equal_outcomes.accounts.organisation import coverage_levels, retention_days
from equal_outcomes.audit.models import AuditEvent
from equal_outcomes.collection.questionnaire import invitation_create
from equal_outcomes.customers.models import SupportNeed
from equal_outcomes.privacy.retention import retention_run
from tests.auth import signed_in
from tests.factories import CustomerFactory, SupportNeedFactory

pytestmark = pytest.mark.django_db


def form(**changes: Any) -> dict[str, Any]:
    values = {
        "name": "Cartrefi Cwm Taf", "nation": "wales", "coverage_achieving": "50",
        "coverage_excellent": "80", "stale_after_days": "365",
        "privacy_contact": "data@cartrefi.example.org",
        **{f"retain_{rule}": str(days) for rule, days in settings.EQUAL_OUTCOMES_RETENTION.items()},
    }  # fmt: skip
    return {**values, **changes}


def test_the_administrators_settings_are_used_where_they_matter(
    administrator: Any, advisor: Any, smtp_server: Any
) -> None:
    client = signed_in(administrator)
    saved = client.post(reverse("accounts:organisation"), form(retain_ended_needs="10"))
    assert saved.status_code == 302
    assert (
        "Cartrefi Cwm Taf" in signed_in(advisor).get(reverse("customers:search")).content.decode()
    )
    assert coverage_levels() == (0.5, 0.8)
    assert retention_days()["ended_needs"] == 10
    # A need ended 20 days ago goes under the landlord's 10 days (the default is 365).
    SupportNeedFactory(
        start_date=timezone.localdate() - dt.timedelta(days=100),
        review_date=timezone.localdate() - dt.timedelta(days=50),
        end_date=timezone.localdate() - dt.timedelta(days=20),
    )
    retention_run(dry_run=False)
    assert not SupportNeed.objects.exists()
    # In Wales, Welsh first even for someone without a Welsh preference.
    customer = CustomerFactory(email="ceri@example.org")
    signed_in(advisor).post(reverse("collection:invite", args=[customer.public_id]),
                            {"channel": "email"})  # fmt: skip
    [message] = smtp_server
    assert message["Subject"].startswith("Dywedwch wrthym")
    _, token = invitation_create(actor="system:test", customer=customer)
    tenant = Client()
    tenant.get(reverse("collection:questionnaire_start", args=[token]))
    page = tenant.get(reverse("collection:questionnaire")).content.decode()
    assert "data@cartrefi.example.org" in page
    assert AuditEvent.objects.filter(action="settings").count() == 1


def test_levels_that_do_not_make_sense_are_refused_with_an_error_summary(
    administrator: Any,
) -> None:
    page = signed_in(administrator).post(
        reverse("accounts:organisation"), form(coverage_achieving="90", coverage_excellent="60")
    )
    assert page.status_code == 400
    assert "govuk-error-summary" in page.content.decode()
    assert coverage_levels() == (0.6, 0.9)
