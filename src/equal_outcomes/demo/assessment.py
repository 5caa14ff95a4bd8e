"""The demo landlord's equality governance: a policy register (with the "Knowing Our
Customers" policy of seed 004 on its three-year cycle), equality objectives and an action with
a measure on the complaint-handling gap the demo events hold (TP09, disabled tenants)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from equal_outcomes.assessment import services
from equal_outcomes.assessment.evidence import protected
from equal_outcomes.assessment.models import (
    Action,
    ActionStatus,
    Answer,
    CriterionRating,
    Impact,
    ImpactAssessment,
    ImpactKind,
    MeasureKind,
    Objective,
    Policy,
    PolicyReview,
)
from equal_outcomes.customers.models import Customer, Property
from equal_outcomes.sharing.models import (
    Agreement,
    FieldReport,
    Job,
    JobSource,
    PartnerKind,
    Referral,
    ReportKind,
    ReportStatus,
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
        indicators=["letters_in_preferred_format", "contact_in_preferred_channel"],
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


def _confirmed(agreement: Any, home: Any, kind: str, visit_on: dt.date, lead: Any) -> None:
    """A report back from a visit, confirmed by the lead."""
    FieldReport.objects.create(
        agreement=agreement, property=home, kind=kind, visit_on=visit_on,
        status=ReportStatus.CONFIRMED, decided_by=lead,
    )  # fmt: skip


def generate_sharing(today: dt.date) -> None:
    """A repairs contractor's and an advice partner's agreements, naming the demo contractor and
    partner users, the contractor's open jobs and a year of finished ones, and a few referrals
    with their outcomes."""

    users = get_user_model().objects
    lead = users.get(username="lead")
    repairs = Agreement.objects.create(
        partner="Valleys Repairs Ltd", kind=PartnerKind.CONTRACTOR,
        purpose="Responsive repairs and gas servicing visits",
        lawful_basis="UK GDPR Art. 6(1)(b) contract (the tenancy) and 6(1)(e)",
        fields=["address", "instructions", "language"], starts_on=dt.date(2025, 4, 1),
        expires_on=dt.date(2028, 3, 31), review_on=dt.date(2027, 4, 1), created_by=lead,
    )  # fmt: skip
    repairs.users.set(users.filter(username="contractor"))
    # The contractor's open jobs: the homes whose job packs they may read.
    works = ["Boiler service", "Fit a grab rail", "Replace a kitchen tap", "Damp inspection",
             "Gas safety check", "Repair a fence", "Bleed radiators", "Fix a door entry phone"]  # fmt: skip
    homes = Property.objects.filter(households__members__isnull=False).distinct().order_by("pk")
    for number, home in enumerate(homes[: len(works)]):
        Job.objects.create(
            job_ref=f"WO-{40100 + number}", property=home, agreement=repairs, work=works[number],
            opened_on=today - dt.timedelta(days=3 + number), source=JobSource.IMPORT,
            due_on=today + dt.timedelta(days=2 + 3 * number),
        )  # fmt: skip
    # A year of the contractor's finished jobs, one in eight with a confirmed no-access visit:
    # the visits the contractor_no_access indicator reads (issue 31).
    for number, home in enumerate(homes[len(works) : len(works) + 120]):
        opened = today - dt.timedelta(days=20 + (number * 37) % 330)
        Job.objects.create(
            job_ref=f"WO-{30100 + number}", property=home, agreement=repairs,
            work=works[number % len(works)], opened_on=opened, source=JobSource.IMPORT,
            due_on=opened + dt.timedelta(days=14), closed_on=opened + dt.timedelta(days=9),
        )  # fmt: skip
        if number % 8 == 3:
            _confirmed(repairs, home, ReportKind.NO_ACCESS, opened + dt.timedelta(days=4), lead)
        if number % 6 == 1:  # a need noticed at the visit and reported back
            _confirmed(repairs, home, ReportKind.NEED, opened + dt.timedelta(days=5), lead)
    # A second contractor, for gas servicing, with a year of finished visits: one in five
    # without access and few needs reported back, so the scorecard has two to compare.
    gas = Agreement.objects.create(
        partner="Coast Gas Ltd", kind=PartnerKind.CONTRACTOR,
        purpose="Annual gas safety checks", lawful_basis="UK GDPR Art. 6(1)(c) legal obligation",
        fields=["address", "instructions"], starts_on=dt.date(2025, 4, 1),
        expires_on=dt.date(2028, 3, 31), review_on=dt.date(2027, 4, 1), created_by=lead,
    )  # fmt: skip
    for number, home in enumerate(homes[len(works) + 120 : len(works) + 200]):
        opened = today - dt.timedelta(days=15 + (number * 29) % 340)
        Job.objects.create(
            job_ref=f"GS-{50100 + number}", property=home, agreement=gas, work="Gas safety check",
            opened_on=opened, source=JobSource.IMPORT, due_on=opened + dt.timedelta(days=28),
            closed_on=opened + dt.timedelta(days=12),
        )  # fmt: skip
        if number % 5 == 2:
            _confirmed(gas, home, ReportKind.NO_ACCESS, opened + dt.timedelta(days=6), lead)
    advice = Agreement.objects.create(
        partner="Citizens Advice Cymru", kind=PartnerKind.PARTNER,
        purpose="Money and benefits advice on referral", lawful_basis="Consent",
        fields=["referral", "names", "phone"], starts_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2027, 12, 31), review_on=dt.date(2026, 12, 31), created_by=lead,
    )  # fmt: skip
    advice.users.set(users.filter(username="partner"))
    statuses = ["accepted", "completed", "declined", "sent", "accepted", "sent"]
    for number, customer in enumerate(
        Customer.objects.filter(objects_to_monitoring=False).order_by("pk")[:30:5]
    ):
        Referral.objects.create(
            customer=customer, direction="out", agreement=advice, need="financial_hardship",
            consent="given", consent_on=today - dt.timedelta(days=40 + number),
            referred_on=today - dt.timedelta(days=38 + number), status=statuses[number],
            created_by=lead,
        )  # fmt: skip


def generate_self_assessment(today: dt.date) -> None:
    """A self-assessment of the 2012 edition under way, as a lead would have it a few weeks in:
    every suggestion live figures make accepted, some other questions answered and criteria
    rated, the rest still to do; so the self-assessment pages and report show something to a
    newcomer (issue 27, item 12)."""

    lead = get_user_model().objects.get(username="lead")
    assessment = services.assessment_start(
        actor=lead, edition_id="shef-2012", title="Equality self-assessment 2026",
        assessed_on=today, areas=["knowing-your-customers", "responsive-services"],
        assessors="Equality and data lead, Head of Housing and Customer Services",
    )  # fmt: skip
    answered = 0
    for response in assessment.responses.order_by("question"):
        if response.live:
            services.answer_record(actor=lead, response=response, answer="", notes="",
                                   links="", accept_live=True)  # fmt: skip
        elif answered < 6:
            services.answer_record(
                actor=lead, response=response, answer=Answer.YES if answered % 3 else Answer.PARTLY,
                notes="Discussed at the equality working group.", links="",
            )  # fmt: skip
            answered += 1
    for rating in CriterionRating.objects.filter(assessment=assessment, criterion__startswith="1."):
        services.rating_record(actor=lead, rating=rating, value=3, difference="")
