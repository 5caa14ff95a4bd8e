"""The framework and the toolkits read in Welsh on Welsh pages (issue 27, item 3): every text
their files hold has its Welsh in ``assessment/data/cy.yaml``, and the Welsh is what is shown."""

from __future__ import annotations

import yaml
from django.utils import translation

from equal_outcomes.assessment import framework


def every_text() -> list[str]:
    files = sorted((framework.DATA / "frameworks").glob("*.yaml"))
    files += sorted((framework.DATA / "toolkits").glob("*.yaml"))
    return [text for path in files for text in framework.texts(yaml.safe_load(path.read_text()))]


def test_every_text_of_every_edition_and_toolkit_has_its_welsh() -> None:
    welsh = framework.welsh()
    missing = [text for text in every_text() if not welsh.get(text, "").strip()]
    assert missing == []
    unused = set(welsh) - set(every_text())
    assert unused == set(), "Welsh for texts the files no longer hold"


def test_a_welsh_reader_gets_the_welsh_edition_and_toolkit() -> None:
    with translation.override("cy"):
        area = framework.edition("shef-2012").area("knowing-your-customers")
        care = framework.toolkit("customer-care")
        levels = framework.edition("shef-2012").levels
    assert area.title == "Adnabod eich cwsmeriaid"
    assert area.questions_at("developing")[0].text.startswith("Ydyn ni wedi llunio cynllun")
    assert care.sub_outcome("1.1").risks_and_actions[0].actions[0].startswith("Nodi staff")
    assert levels["excellent"] == "Gwneud gwahaniaeth"
    with translation.override("en"):
        assert framework.edition("shef-2012").area("knowing-your-customers").title == (
            "Knowing your customers"
        )
