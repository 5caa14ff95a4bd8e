"""The demo landlord's equality governance: a policy register (with the "Knowing Our
Customers" policy of seed 004 on its three-year cycle), equality objectives and an action with
a measure on the complaint-handling gap the demo events hold (TP09, disabled tenants)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from equal_outcomes.assessment.evidence import protected
from equal_outcomes.assessment.models import (
    Action,
    ActionStatus,
    Impact,
    ImpactAssessment,
    ImpactKind,
    MeasureKind,
    Objective,
    Policy,
    PolicyReview,
)


def generate_governance(today: dt.date) -> None:
    lead = get_user_model().objects.get(username="lead")
    knowing = Policy.objects.create(
        name="Knowing Our Customers Policy", owner="Head of Housing and Customer Services",
        adopted_on=dt.date(2024, 4, 1), review_cycle_years=3,
    )  # fmt: skip
    lettings = Policy.objects.create(
        name="Allocations and Lettings Policy", owner="Head of Lettings",
        adopted_on=dt.date(2021, 9, 1), review_cycle_years=3,
    )  # fmt: skip
    Policy.objects.create(
        name="Complaints Policy", owner="Head of Customer Experience",
        adopted_on=dt.date(2023, 5, 1), review_cycle_years=2,
    )  # fmt: skip
    PolicyReview.objects.create(
        policy=lettings, reviewed_on=dt.date(2024, 9, 12), notes="Updated for the new code",
        recorded_by=lead,
    )  # fmt: skip
    eia = ImpactAssessment.objects.create(
        policy=knowing, completed_on=dt.date(2024, 3, 14), assessor="Equality and data lead",
        summary="Collecting profiles helps us tailor services; people may decline any question.",
        recorded_by=lead,
    )  # fmt: skip
    for name in protected():
        Impact.objects.create(
            assessment=eia, characteristic=name, impact=ImpactKind.POSITIVE,
            evidence="Needs recorded at sign-up and at every contact are met more often.",
        )  # fmt: skip
    complaints = Objective.objects.create(
        title="Disabled tenants are as satisfied with complaint handling as everyone else",
        owner="Head of Customer Experience", set_on=dt.date(2024, 4, 1),
    )  # fmt: skip
    Objective.objects.create(
        title="Know 90% of our customers across every protected characteristic",
        owner="Equality and data lead", set_on=dt.date(2022, 4, 1),
        last_reviewed_on=dt.date(2025, 4, 1),
    )  # fmt: skip
    Action.objects.create(
        title="Offer every disabled complainant a named contact and their preferred format",
        owner="Complaints manager", due_on=today + dt.timedelta(days=120),
        status=ActionStatus.IN_PROGRESS, objective=complaints, indicator="TP09",
        characteristic="disability", category="yes", measure=MeasureKind.GAP_BELOW, target=5,
        created_by=lead,
    )  # fmt: skip
    Action.objects.create(
        title="Brief contractors on calling ahead for customers with access needs",
        owner="Repairs manager", due_on=today - dt.timedelta(days=14),
        status=ActionStatus.NOT_STARTED, created_by=lead,
    )  # fmt: skip
