from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.population import population_path
from equal_outcomes.insight.snapshot import store_path


@pytest.fixture(autouse=True)
def empty_stores() -> Iterator[None]:
    """Each test starts with no analytics stores or cached results (they live in the shared
    test home)."""
    results = Path(settings.HOME) / "results"
    for path in (store_path(), events_path(), population_path()):
        path.unlink(missing_ok=True)
    shutil.rmtree(results, ignore_errors=True)
    yield
    for path in (store_path(), events_path(), population_path()):
        path.unlink(missing_ok=True)
    shutil.rmtree(results, ignore_errors=True)
