from __future__ import annotations

from collections.abc import Iterator

import pytest

from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.population import population_path
from equal_outcomes.insight.snapshot import store_path


@pytest.fixture(autouse=True)
def empty_stores() -> Iterator[None]:
    """Each test starts with no analytics stores (they live in the shared test home)."""
    for path in (store_path(), events_path(), population_path()):
        path.unlink(missing_ok=True)
    yield
    for path in (store_path(), events_path(), population_path()):
        path.unlink(missing_ok=True)
