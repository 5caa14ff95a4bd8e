"""Teams: named groups of staff (Django's groups). A support need "restricted: named teams
only" is read by the members of the teams named on it; "highly restricted" ones by the
safeguarding team (``EQUAL_OUTCOMES_SAFEGUARDING_TEAM``). Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from equal_outcomes.accounts.models import User
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor


def _named(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 150:
        raise ValidationError({"name": "a team's name is 1 to 150 characters"})
    return name


@transaction.atomic
def team_add(*, actor: Any, name: str) -> Group:
    name = _named(name)
    if Group.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"there is already a team called {name}"})
    team = Group.objects.create(name=name)
    Auditor.record(actor=actor, action=AuditAction.TEAM, target_type="team", target_id=team.pk,
                   purpose=f"added {name}")  # fmt: skip
    return team


def team_named(name: str) -> Group:
    team = Group.objects.filter(name__iexact=" ".join(name.split())).first()
    if team is None:
        raise ValidationError({"name": f"there is no team called {name}"})
    return team


@transaction.atomic
def team_membership(*, actor: Any, team: Group, user: User, member: bool) -> None:
    """Adds ``user`` to ``team`` (or, with ``member=False``, takes them off it)."""
    if member:
        user.groups.add(team)
    else:
        user.groups.remove(team)
    Auditor.record(
        actor=actor, action=AuditAction.TEAM, target_type="user", target_id=user.pk,
        purpose=f"{'joined' if member else 'left'} {team.name}"[:200],
    )  # fmt: skip


def teams_with_members() -> list[tuple[Group, list[str]]]:
    return [
        (team, sorted(team.user_set.values_list("username", flat=True)))
        for team in Group.objects.order_by("name")
    ]
