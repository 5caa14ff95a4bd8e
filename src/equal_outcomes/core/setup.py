"""Whether an installation is ready: its database migrated, its static files collected.
Commands check these first so that a step left out is named, never met as a traceback."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError


def migrated() -> bool:
    """True when every migration has been applied to the database."""
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


def static_collected() -> bool:
    """True when ``collectstatic`` has written the files the pages need (whose manifest the
    production storage reads). Plain storage (the tests') serves them from the package."""
    if "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]:
        return True
    return (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file()
