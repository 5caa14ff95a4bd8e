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

    Its module imports, at the top, only what its options need: what it does (services, models,
    the analysis engine) is imported in ``handle``. Then ``equal-outcomes COMMAND --help`` is
    answered without setting Django up (``cli._help_at_once``), in about a sixth of a second
    rather than one to two; ``tests/test_cli.py`` fails for a command that loads the models
    for its help.
    """

    requires_system_checks: list[str] | tuple[str, ...] = ()
