"""Self-assessment against the Social Housing Equality Framework, the toolkit's evidence, risks
and action plans, and the equality objectives, policies and impact assessments they draw on.

Everything here is about the organisation, not about people: answers, notes, ratings and
aggregates. The framework itself is data (``assessment.framework``); these models refer to its
questions and criteria by their ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.versions import VersionField


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class Rating(models.IntegerChoices):
    NOT_IN_PLACE = 1, _("1: not in place")
    BEING_ESTABLISHED = 2, _("2: being established")
    NEEDS_IMPROVING = 3, _("3: in place but needs improving")
    EFFECTIVE = 4, _("4: in place and effective")


class Decision(models.TextChoices):
    NONE = "", _("Not yet decided")
    ACCEPTED = "accepted", _("Accepted")
    OVERRIDDEN = "overridden", _("Overridden")


class Assessment(models.Model):
    """One self-assessment run: an edition of the framework, the areas in scope, who assessed
    and when. Runs are kept, so they can be compared over time."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    edition = models.CharField(_("edition"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    assessed_on = models.DateField(_("date of the assessment"))
    areas = models.JSONField(_("areas in scope"), default=list)
    assessors = models.CharField(_("assessors"), max_length=500)
    evidence_as_at = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.assessed_on})"


class QuestionResponse(models.Model):
    """The answer to one question, its evidence, and what live figures suggested."""

    version = VersionField()  # no lost updates: see core.versions

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    question = models.CharField(max_length=20)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    notes = models.TextField(_("evidence notes"), blank=True, max_length=5000)
    links = models.TextField(_("links to evidence"), blank=True, max_length=2000)
    live = models.JSONField(null=True, blank=True)  # assessment.evidence.LiveEvidence.as_json()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    override_reason = models.TextField(_("reason for overriding"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_response")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer or '-'}"

    @property
    def live_read(self) -> dict[str, Any] | None:
        """The live evidence in the reader's language: it is worked out in both (``cy`` holds
        the Welsh); evidence from before that is in English."""
        if not self.live:
            return None
        welsh: dict[str, Any] | None = self.live.get("cy")
        live: dict[str, Any] = self.live
        return welsh if welsh and (get_language() or "").startswith("cy") else live

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class EvidenceFile(models.Model):
    """A document uploaded as evidence for a question, kept under the home folder."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="files")
    question = models.CharField(max_length=20)
    file_name = models.CharField(max_length=200)
    stored_path = models.CharField(max_length=500)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name


class CriterionRating(models.Model):
    version = VersionField()  # no lost updates: see core.versions
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(max_length=8)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True)
    difference = models.TextField(_("what difference has this made?"), blank=True, max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_rating")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.rating}"


class ObjectiveStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    RETIRED = "retired", _("Retired")


class Objective(models.Model):
    """An equality objective, reviewed at least every ``review_every_years``."""

    version = VersionField()  # no lost updates: see core.versions

    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    owner = models.CharField(_("owner"), max_length=200)
    set_on = models.DateField(_("date set"))
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    review_every_years = models.PositiveSmallIntegerField(_("review every (years)"), default=3)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectiveStatus.choices, default=ObjectiveStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def review_due(self) -> dt.date:
        return _years_after(self.last_reviewed_on or self.set_on, self.review_every_years)

    @property
    def review_overdue(self) -> bool:
        return self.status == ObjectiveStatus.ACTIVE and self.review_due < timezone.localdate()


class Policy(models.Model):
    """A policy on the register, reviewed on a cycle (seed 004's policy runs on three years)."""

    name = models.CharField(_("policy"), max_length=200, unique=True)
    owner = models.CharField(_("owner"), max_length=200)
    review_cycle_years = models.PositiveSmallIntegerField(_("review cycle (years)"), default=3)
    adopted_on = models.DateField(_("date adopted"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.name

    @property
    def last_reviewed_on(self) -> dt.date:
        reviews = [r.reviewed_on for r in self.reviews.all()]
        return max([self.adopted_on, *reviews])

    @property
    def review_due(self) -> dt.date:
        return _years_after(self.last_reviewed_on, self.review_cycle_years)

    @property
    def review_overdue(self) -> bool:
        return self.review_due < timezone.localdate()

    @property
    def current_assessment(self) -> ImpactAssessment | None:
        """The latest impact assessment completed within one review cycle of today, if any."""
        start = _years_after(timezone.localdate(), -self.review_cycle_years)
        found = [eia for eia in self.impact_assessments.all() if eia.completed_on >= start]
        return max(found, key=lambda eia: eia.completed_on) if found else None


class PolicyReview(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("date reviewed"))
    notes = models.TextField(_("what changed"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"{self.policy} reviewed {self.reviewed_on}"


class ImpactAssessment(models.Model):
    """An equality impact assessment of a policy: the impact on each protected characteristic,
    the evidence for it and how any adverse impact is mitigated."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="impact_assessments")
    completed_on = models.DateField(_("date completed"))
    assessor = models.CharField(_("assessed by"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    # The service indicators the policy bears on: the assessment starts from their outcome
    # tables (issue 31, item 12).
    indicators = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"EIA of {self.policy} ({self.completed_on})"


class ImpactKind(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative (adverse)")
    UNKNOWN = "unknown", _("Not known yet")


class Impact(models.Model):
    assessment = models.ForeignKey(
        ImpactAssessment, on_delete=models.CASCADE, related_name="impacts"
    )
    characteristic = models.CharField(max_length=40)
    impact = models.CharField(max_length=10, choices=ImpactKind.choices)
    evidence = models.TextField(blank=True, max_length=3000)
    mitigation = models.TextField(blank=True, max_length=3000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "characteristic"], name="one_impact")
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.impact}"


class Risk(models.Model):
    """A risk the landlord has identified, taken from the toolkit's library or its own."""

    version = VersionField()  # no lost updates: see core.versions

    toolkit = models.CharField(max_length=40)
    sub_outcome = models.CharField(max_length=10)
    problem = models.CharField(_("the problem"), max_length=500)
    text = models.TextField(_("the risk"), max_length=2000)
    from_library = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["toolkit", "sub_outcome", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class MeasureKind(models.TextChoices):
    GAP_BELOW = "gap_below", _("Close the gap with everyone else to under the target")
    AT_LEAST = "at_least", _("Reach at least the target")
    AT_MOST = "at_most", _("Bring down to at most the target")


class Action(models.Model):
    """An action on the plan, optionally with a performance measure: an indicator for one
    group (a category of a characteristic) and a target, checked at every new snapshot."""

    version = VersionField()  # no lost updates: see core.versions

    title = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    risk = models.ForeignKey(
        Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    # The mitigation of an adverse impact this action carries out, measured like any action.
    impact = models.ForeignKey(
        "Impact", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    indicator = models.CharField(_("indicator"), max_length=60, blank=True)
    characteristic = models.CharField(_("characteristic"), max_length=40, blank=True)
    category = models.CharField(_("group"), max_length=60, blank=True)
    measure = models.CharField(
        _("target kind"), max_length=10, choices=MeasureKind.choices, blank=True
    )
    target = models.FloatField(_("target"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_measure(self) -> bool:
        return bool(self.indicator and self.characteristic and self.category and self.measure)

    @property
    def overdue(self) -> bool:
        open_ = self.status in {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}
        return open_ and self.due_on < timezone.localdate()


class MeasureReading(models.Model):
    """An action's measure as one snapshot showed it. Figures are in the indicator's units;
    rates as proportions, the gap as a shortfall against everyone else (0 when not worse)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="readings")
    data_as_at = models.CharField(max_length=40)
    n = models.PositiveIntegerField(null=True)
    value = models.FloatField(null=True)
    comparator = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    met = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["data_as_at"]
        constraints = [models.UniqueConstraint(fields=["action", "data_as_at"], name="one_reading")]

    def __str__(self) -> str:
        return f"{self.action_id} at {self.data_as_at}"


class PeopleKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation notes")
    COMPLAINTS = "complaints", _("Complaint themes")
    MYSTERY_SHOPPING = "mystery_shopping", _("Mystery shopping")
    FOCUS_GROUP = "focus_group", _("Focus group")
    FEEDBACK = "feedback", _("Comments and feedback")
    OTHER = "other", _("Other")


class PeopleEvidence(models.Model):
    """Qualitative evidence for a toolkit people indicator. Record themes, not people."""

    toolkit = models.CharField(max_length=40)
    sub_outcome = models.CharField(max_length=10)
    kind = models.CharField(_("kind of evidence"), max_length=20, choices=PeopleKind.choices)
    recorded_on = models.DateField(_("date"))
    note = models.TextField(_("what it showed"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recorded_on}"


class StoryAnswer(models.Model):
    """The answer to one "story behind the data" question of a toolkit sub-outcome."""

    toolkit = models.CharField(max_length=40)
    sub_outcome = models.CharField(max_length=10)
    question = models.PositiveSmallIntegerField()  # position in the toolkit's list
    answer = models.TextField(blank=True, max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["toolkit", "sub_outcome", "question"], name="one_story_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.toolkit} {self.sub_outcome} Q{self.question}"
