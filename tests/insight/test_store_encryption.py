"""A copy of the analytics stores and cached results, without the key ring, reveals no one's
categories (issue 25, finding 3): the snapshot held every person's answers in the clear beside
area, customer type and age band, enough to single most people out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.conf import settings
from django.core.management import call_command

from equal_outcomes.insight import results
from equal_outcomes.insight.events import events_path
from equal_outcomes.insight.population import import_population, population_path
from equal_outcomes.insight.snapshot import store_path
from equal_outcomes.insight.stores import open_store
from equal_outcomes.standards.codelists import characteristics

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("census_ethnicity_sample.csv")


def categories_held() -> set[str]:
    """Every answer the snapshot holds that is long enough not to turn up in random bytes."""
    questions = [item.id for item in characteristics() if not item.codes.multiple]
    with open_store(store_path(), read_only=True) as con:
        found = {
            value
            for question in questions
            for (value,) in con.execute(f'SELECT DISTINCT "{question}" FROM people').fetchall()  # noqa: S608
            if value
        }
    return {value for value in found if len(value) >= 8}


def test_the_stores_and_results_hold_no_category_in_the_clear(db: Any) -> None:
    call_command("demo", "--no-warm", customers=200, seed=2)
    import_population(SAMPLE, characteristic="ethnicity", actor="system:test")
    results.equal_outcomes(results.Filters(), publishable=False)  # cached in results/
    held = categories_held()
    assert {"white_british", "christian", "heterosexual"} <= held
    files = [store_path(), events_path(), population_path()]
    files += sorted((Path(settings.HOME) / "results").glob("*.json"))
    assert len(files) > 3
    for path in files:
        raw = path.read_bytes()
        readable = sorted(value for value in held if value.encode() in raw)
        assert readable == [], f"{path.name} holds {readable}"
    for path in files[:3]:
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(path), read_only=True).execute("SELECT 1").fetchall()
