from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from equal_outcomes.insight.deprivation import deprivation_path
from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.population import population_path
from equal_outcomes.insight.snapshot import store_path


def stores() -> list[Path]:
    """The analytics stores and the cached results, all in the shared test home."""
    return [
        store_path(),
        events_path(),
        population_path(),
        deprivation_path(),
        Path(settings.HOME) / "results",
    ]


def clear_stores() -> None:
    for path in stores():
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def module_stores() -> Iterator[None]:
    """Stores a module's shared world builds once (with ``module_db``) and its tests read."""
    clear_stores()
    yield
    clear_stores()


@pytest.fixture(autouse=True)
def empty_stores(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with no analytics stores or cached results, unless it reads its module's
    shared world: then that world's stores are put aside for the test and back after it."""
    if "module_stores" in request.fixturenames:
        yield
        return
    with tempfile.TemporaryDirectory(dir=settings.HOME) as aside:
        kept = []
        for number, path in enumerate(stores()):
            if path.exists():
                kept.append((path, Path(aside) / str(number)))
                path.rename(kept[-1][1])
        yield
        clear_stores()
        for path, moved in kept:
            moved.rename(path)
