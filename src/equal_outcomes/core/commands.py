"""The base of the project's own management commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class ProjectCommand(BaseCommand):
    """A command a person runs for one task (``users list``, ``coverage``, ``import ...``).

    It starts without Django's system checks: they look for mistakes in the code and settings
    (models, URLs, templates), the same on every run, and importing every page to check the
    URLs took about half a second of each command's start. They run where they can find
    something: ``migrate``, ``serve`` (on every start of the web server) and ``check``, which
    ``make test`` runs.
    """

    requires_system_checks: list[str] | tuple[str, ...] = ()
