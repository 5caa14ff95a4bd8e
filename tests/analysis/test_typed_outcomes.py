"""The events store holds outcomes typed (yes/no, numbers): the analysis must read them exactly
as it reads the same outcomes as text."""

from __future__ import annotations

import json
import random
from functools import partial

import ibis
import pyarrow as pa

from equal_outcomes.analysis.engine import analyse_all, with_communication_match
from equal_outcomes.analysis.indicators import default_indicators
from equal_outcomes.insight import outcomes

YES = ["1", "yes", "Y", " true ", "TRUE"]
NO = ["0", "no", "N", "false", " f"]
# Per event type the default indicators read, the columns they read (values and filters).
COLUMNS: dict[str, set[str]] = {"outgoing_communication": {"format", "language"}}
for _indicator in default_indicators():
    COLUMNS.setdefault(_indicator.event_type, set()).update(
        c for c in (_indicator.value, *_indicator.filter) if c and c != "matches_preference"
    )


def _value(rng: random.Random, column: str) -> str | None:
    if rng.random() < 0.1:
        return rng.choice([None, "", "  "])
    if column in {"days_to_complete", "days_to_first_contact", "days_to_resolve"}:
        return str(rng.randint(0, 30))
    if column == "category":
        return rng.choice(["noise", "harassment", "hate_crime", "domestic_abuse"])
    if column == "adaptation_type":
        return rng.choice(["minor", "major"])
    if column == "service":
        return rng.choice(["financial_inclusion", "digital"])
    if column == "format":
        return rng.choice(["standard_print", "large_print"])
    if column == "language":
        return rng.choice(["en", "cy", "cy+en"])
    return rng.choice(YES if rng.random() < 0.6 else NO)


def test_every_default_indicator_reads_typed_outcomes_as_it_reads_text() -> None:
    rng = random.Random(7)
    people = {
        "person_key": [f"p{n}" for n in range(400)],
        "sex": [rng.choice(["female", "male", ""]) for _ in range(400)],
        "disability": [rng.choice(["yes", "no", "prefer_not_to_say"]) for _ in range(400)],
        "preferred_format": [rng.choice(["standard_print", "large_print", ""]) for _ in range(400)],
        "preferred_language": [rng.choice(["en", "cy", ""]) for _ in range(400)],
    }
    names = sorted({c for columns in COLUMNS.values() for c in columns})
    rows: dict[str, list[str | None]] = {
        "person_key": [],
        "event_type": [],
        **{c: [] for c in names},
    }
    for _ in range(6000):
        event_type = rng.choice(list(COLUMNS))
        rows["person_key"].append(f"p{rng.randrange(400)}")
        rows["event_type"].append(event_type)
        for column in names:
            rows[column].append(_value(rng, column) if column in COLUMNS[event_type] else None)
    con = ibis.duckdb.connect()
    raw = con.con
    raw.register("people_arrow", pa.table(people))
    raw.register("text_arrow", pa.table(rows))
    raw.execute("CREATE TABLE people AS SELECT * FROM people_arrow")
    raw.execute("CREATE TABLE text_events AS SELECT * FROM text_arrow")
    kinds = outcomes.column_types(raw, "text_events", names)
    assert kinds["on_time"] == outcomes.BOOLEAN
    assert kinds["days_to_complete"] == outcomes.DOUBLE
    assert kinds["service"] == outcomes.TEXT
    typed = ", ".join(f"{outcomes.typed(c, kinds[c])} AS {c}" for c in names)
    raw.execute(
        f"CREATE TABLE typed_events AS SELECT person_key, event_type, {typed} FROM text_events"  # noqa: S608
    )

    def analysed(table: str) -> str:
        persons = con.table("people")
        results = analyse_all(
            persons,
            con.table(table),
            default_indicators(),
            ["sex", "disability"],
            prepare=partial(with_communication_match, persons),
        )
        return json.dumps([result.as_json() for result in results])  # NaN as NaN

    as_text = analysed("text_events")
    assert len(json.loads(as_text.replace("NaN", "null"))) == 2 * len(default_indicators())
    assert analysed("typed_events") == as_text
