from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from equal_outcomes.accounts.roles import Role


class User(AbstractUser):
    """A person who signs in. Every user has exactly one role."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
