"""Migrations: a new installation builds the schema in one step per app (the squashed
migrations), an existing one keeps the steps it ran. Both must end with the same schema, and
that schema must be the models'."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState

SQUASHED = {"assessment", "collection", "customers", "sharing", "workforce"}


def schema(model: ModelState) -> dict[str, Any]:
    """What a model state puts in the database, in a form that compares by value."""
    return {
        "fields": {name: field.deconstruct()[1:] for name, field in model.fields.items()},
        "indexes": sorted(repr(index.deconstruct()) for index in model.options.get("indexes", [])),
        "constraints": sorted(
            repr(constraint.deconstruct()) for constraint in model.options.get("constraints", [])
        ),
        "options": {
            key: model.options.get(key)
            for key in ("db_table", "unique_together", "managed", "ordering")
        },
    }


def end_state(*, squashed: bool) -> dict[tuple[str, str], dict[str, Any]]:
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=squashed)
    state = loader.project_state()
    return {key: schema(model) for key, model in state.models.items() if key[0] in SQUASHED}


def test_a_new_installation_ends_with_the_schema_an_upgraded_one_has() -> None:
    steps, squashed = end_state(squashed=False), end_state(squashed=True)
    assert set(steps) == set(squashed)
    differing = [key for key in steps if steps[key] != squashed[key]]
    assert differing == []


@pytest.mark.django_db
def test_the_models_need_no_migration_that_is_not_written() -> None:
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
