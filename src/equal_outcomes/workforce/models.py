"""Workforce records from HR systems: staff in post and leavers, board members, job
applications by the furthest recruitment stage reached, training, staff survey responses and
grievance, harassment and bullying cases; with the labour-market benchmarks and targets they
are compared with.

Equality answers use the customers' code lists (``standards``) and are held encrypted, as one
JSON object per person (``{"sex": "female", "ethnicity": "white_british", ...}``, with
``prefer_not_to_say`` where declined). They are read only by HR, and every read is audited.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.fields import EncryptedTextField
from equal_outcomes.core.versions import VersionField

STAGES = ("applied", "shortlisted", "interviewed", "appointed")


class Body(models.TextChoices):
    STAFF = "staff", _("Staff")
    BOARD = "board", _("Board")


class LeavingReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    RETIRED = "retired", _("Retired")
    DISMISSED = "dismissed", _("Dismissed")
    REDUNDANCY = "redundancy", _("Redundancy")
    END_OF_CONTRACT = "end_of_contract", _("End of contract")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEWED = "interviewed", _("Interviewed")
    APPOINTED = "appointed", _("Appointed")


class CaseKind(models.TextChoices):
    GRIEVANCE = "grievance", _("Grievance")
    HARASSMENT = "harassment", _("Harassment")
    BULLYING = "bullying", _("Bullying")
    DISCIPLINARY = "disciplinary", _("Disciplinary")


class WithEquality(models.Model):
    """An encrypted set of equality answers, read through ``answers``."""

    # Padded past a full set of answers, so a token's length does not tell how many were given.
    equality = EncryptedTextField(_("equality answers"), blank=True, pad_to=512)

    class Meta:
        abstract = True

    @property
    def answers(self) -> dict[str, str]:
        return json.loads(self.equality) if self.equality else {}

    def set_answers(self, answers: dict[str, Any]) -> None:
        self.equality = json.dumps(dict(sorted(answers.items()))) if answers else ""


class StaffMember(WithEquality):
    """Someone in post (or who has left), or a board member."""

    version = VersionField()  # no lost updates: see core.versions

    reference = models.CharField(_("HR reference"), max_length=32, unique=True)
    body = models.CharField(_("staff or board"), max_length=8, choices=Body.choices)
    senior_manager = models.BooleanField(_("senior manager"), default=False)
    job_title = models.CharField(_("role"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=32, blank=True)
    hourly_pay = models.DecimalField(
        _("hourly pay (£)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    leaving_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeavingReason.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference


class Application(WithEquality):
    """One job application and the furthest stage it reached."""

    reference = models.CharField(_("application reference"), max_length=32, unique=True)
    vacancy = models.CharField(_("vacancy"), max_length=64, blank=True)
    applied_on = models.DateField(_("applied"))
    stage = models.CharField(_("furthest stage"), max_length=12, choices=Stage.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_on", "reference"]

    def __str__(self) -> str:
        return self.reference

    def reached(self, stage: str) -> bool:
        return STAGES.index(self.stage) >= STAGES.index(stage)


class Training(models.Model):
    """A course completed by a member of staff or the board."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(_("course"), max_length=100)
    equality_and_diversity = models.BooleanField(_("equality and diversity training"))
    completed_on = models.DateField(_("completed"))

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course", "completed_on"], name="one_completion_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"


class SurveyResponse(WithEquality):
    """One anonymous staff survey response, with the respondent's own equality answers."""

    survey = models.CharField(_("survey"), max_length=64)
    reference = models.CharField(_("response reference"), max_length=32)
    responded_on = models.DateField(_("responded"))
    satisfied = models.BooleanField(_("satisfied working here"), null=True)
    fair_employer = models.BooleanField(_("a good and fair employer"), null=True)
    treated_with_respect = models.BooleanField(_("treated with dignity and respect"), null=True)
    safe_at_work = models.BooleanField(_("a safe and secure working environment"), null=True)

    class Meta:
        ordering = ["survey", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "reference"], name="one_response_per_ref")
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.reference}"


class Case(models.Model):
    """A grievance, harassment, bullying or disciplinary case, with the member of staff it
    concerns (the one who raised it, or who is subject to a disciplinary)."""

    reference = models.CharField(_("case reference"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    staff = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    upheld = models.BooleanField(_("upheld"), null=True)

    class Meta:
        ordering = ["-opened_on"]

    def __str__(self) -> str:
        return self.reference


class Comparison(models.TextChoices):
    LABOUR_MARKET = "labour_market", _("Local labour market")
    TARGET = "target", _("Our target")


class Benchmark(models.Model):
    """The share of one category in the local labour market, or the landlord's target for the
    workforce (or the board), per characteristic."""

    version = VersionField()  # no lost updates: see core.versions

    comparison = models.CharField(_("kind"), max_length=16, choices=Comparison.choices)
    body = models.CharField(_("for"), max_length=8, choices=Body.choices, default=Body.STAFF)
    characteristic = models.CharField(_("characteristic"), max_length=40)
    category = models.CharField(_("category"), max_length=40)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["comparison", "body", "characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "body", "characteristic", "category"],
                name="one_benchmark_per_category",
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=100), name="share_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comparison} {self.body} {self.characteristic} {self.category}"
