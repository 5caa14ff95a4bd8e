"""The framework and toolkit files hold every criterion, question, indicator and risk of the
source documents, word for word. The sources are copied beside this test (``sources/``); the
counts below were made by hand from them and are also recounted from their text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from equal_outcomes.assessment.framework import LEVELS, Area, edition, toolkit

SOURCES = Path(__file__).parent / "sources"

# Hand counts from the 2012 source: criteria per level, and questions per level.
COUNTS_2012 = {
    "knowing-your-customers": (3, (6, 6, 4)),
    "leadership": (10, (11, 12, 8)),
    "customer-engagement": (2, (4, 3, 3)),
    "responsive-services": (5, (14, 13, 5)),
    "workforce": (10, (13, 13, 6)),
}
AREA_HEADINGS = {
    "knowing-your-customers": "Knowing your customers",
    "leadership": "Leadership, partnership and organisational commitment",
    "customer-engagement": "Customer engagement",
    "responsive-services": "Responsive services, access and customer care",
    "workforce": "A skilled and committed workforce",
}


def words(text: str) -> list[str]:
    """Text as a list of lower-case words, with markup, bullets and quote styles ignored."""
    text = re.sub(r"<[^>]+>", " ", text).replace("\u2019", "'").replace("\uf0b7", " ")
    return re.findall(r"[a-z0-9%']+", text.lower())


def contiguous(needle: str, haystack: str) -> bool:
    return f" {' '.join(words(needle))} " in f" {' '.join(words(haystack))} "


def in_order(needle: str, haystack: str, window: int = 400) -> bool:
    """Every word of the needle appears in order, starting where its first words do (the later
    edition's source is extracted from a PDF, so a question can be broken by a page)."""
    wanted, found = words(needle), words(haystack)
    for start in range(len(found)):
        if found[start : start + 3] != wanted[:3]:
            continue
        position = start
        for word in wanted:
            try:
                position = found.index(word, position, start + window) + 1
            except ValueError:
                break
        else:
            return True
    return False


def area_sections(text: str) -> dict[str, str]:
    """The 2012 source cut at each area's heading line."""
    starts = {
        key: re.search(rf"^{re.escape(heading)}$", text, re.MULTILINE).start()  # type: ignore[union-attr]
        for key, heading in AREA_HEADINGS.items()
    }
    ordered = sorted(starts.items(), key=lambda item: item[1])
    return {
        key: text[start : ordered[i + 1][1] if i + 1 < len(ordered) else len(text)]
        for i, (key, start) in enumerate(ordered)
    }


def printed_numbers(section: str) -> list[str]:
    """Criterion numbers as the source prints them: alone on a line or in a table cell."""
    alone = re.findall(r"^([123]\.\d{1,2})$", section, re.MULTILINE)
    cells = re.findall(r"\|\s*([123]\.\d{1,2})\s*(?=\|)", section)
    return alone + cells


def question_cells(section: str) -> list[list[int]]:
    """Bullets per level in each question table row of a section."""
    counts = []
    for line in section.splitlines():
        if "<ul" in line:
            cells = list(line.strip().strip("|").split("|"))
            counts.append([cells[i].count("•") if i < len(cells) else 0 for i in (0, 2, 4)])
    return counts


SOURCE_2012 = (SOURCES / "shef-2012.txt").read_text(encoding="utf-8")
SOURCE_LATER = (SOURCES / "shef-kyc-later.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("area_id", list(COUNTS_2012))
def test_2012_edition_has_every_criterion_of_each_area_at_each_level(area_id: str) -> None:
    area = edition("shef-2012").area(area_id)
    per_level, _ = COUNTS_2012[area_id]
    for level in LEVELS:
        assert len(area.criteria_at(level)) == per_level, (area_id, level)
    section = area_sections(SOURCE_2012)[area_id]
    printed = [
        c.number if c.printed_as is None else c.printed_as
        for c in area.criteria
        if c.printed_as != ""
    ]
    assert sorted(printed) == sorted(printed_numbers(section))
    for criterion in area.criteria:
        for paragraph in criterion.text.split("\n\n"):
            assert contiguous(paragraph, section), criterion.number


@pytest.mark.parametrize("area_id", list(COUNTS_2012))
def test_2012_edition_has_every_question_of_each_area_at_each_level(area_id: str) -> None:
    area = edition("shef-2012").area(area_id)
    _, hand_counted = COUNTS_2012[area_id]
    section = area_sections(SOURCE_2012)[area_id]
    recounted = [sum(row[i] for row in question_cells(section)) for i in range(3)]
    assert recounted == list(hand_counted)
    for level, expected in zip(LEVELS, hand_counted, strict=True):
        questions = area.questions_at(level)
        assert len(questions) == expected, (area_id, level)
        for question in questions:
            assert contiguous(question.text, section), question.id


def test_2012_edition_keeps_the_sources_numbering_quirks() -> None:
    leadership = edition("shef-2012").area("leadership")
    unnumbered = [c.number for c in leadership.criteria if c.printed_as == ""]
    assert unnumbered == ["1.13", "2.13", "3.13"]
    assert edition("shef-2012").criteria["3.7"][1].printed_as == "2.7"
    all_numbers = set(edition("shef-2012").criteria)
    assert "1.16" not in all_numbers
    assert len(all_numbers) == 90


def test_later_edition_has_every_knowing_your_customers_criterion_and_question() -> None:
    later = edition("shef-kyc-later")
    (area,) = later.areas
    assert [len(area.criteria_at(level)) for level in LEVELS] == [3, 3, 3]
    assert [len(area.questions_at(level)) for level in LEVELS] == [7, 7, 7]
    questions_part = SOURCE_LATER[SOURCE_LATER.index("Questions to ask") :]
    assert len(re.findall(r"^ +[A-Z]", questions_part, re.MULTILINE)) == 21  # one line each
    assert sorted(c.number for c in area.criteria) == sorted(
        re.findall(r"^([123]\.[123]) ", SOURCE_LATER, re.MULTILINE)
    )
    for criterion in area.criteria:
        assert in_order(criterion.text, SOURCE_LATER), criterion.number
    for question in area.all_questions:
        assert in_order(question.text, SOURCE_LATER), question.id


def test_editions_differ_where_the_sources_do() -> None:
    old = edition("shef-2012").area("knowing-your-customers")
    new = edition("shef-kyc-later").area("knowing-your-customers")

    def review_question(area: Area) -> str:
        return next(q.text for q in area.all_questions if "review our equality aims" in q.text)

    assert "every three years" in review_question(old)
    assert "every four years" in review_question(new)
    assert edition("shef-2012").levels["achieving"] == "Developing better outcomes"
    assert edition("shef-kyc-later").levels["achieving"] == "Delivering better outcomes"
    assert "digital inclusion" in new.criteria_at("developing")[0].text
    assert "digital inclusion" not in old.criteria_at("developing")[0].text


def test_a_word_changed_in_the_data_would_be_caught() -> None:
    section = area_sections(SOURCE_2012)["knowing-your-customers"]
    assert contiguous(
        "Have we drawn up an action plan to collect customer profiling data?", section
    )
    assert not contiguous(
        "Have we drawn up an action plan to collect tenant profiling data?", section
    )
    assert not in_order("Do we review our aims at least every five years", SOURCE_LATER)


def test_toolkit_has_every_sub_outcome_indicator_story_question_and_risk() -> None:
    source = (SOURCES / "toolkit-customer-care.txt").read_text(encoding="utf-8")
    care = toolkit("customer-care")
    assert [s.id for s in care.sub_outcomes] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    # Hand counts: story questions, and risk/action pairs per "... because" problem.
    assert [len(s.story) for s in care.sub_outcomes] == [8, 7, 8, 6, 10, 6]
    assert [
        [(len(g.risks), len(g.actions)) for g in s.risks_and_actions] for s in care.sub_outcomes
    ] == [
        [(2, 2), (3, 3), (3, 3)],
        [(5, 5), (3, 3), (2, 2)],
        [(6, 6), (4, 4)],
        [(10, 10)],
        [(9, 9)],
        [(5, 5)],
    ]
    assert sum(len(s.statistics) for s in care.sub_outcomes) == 11
    assert sum(len(s.people) for s in care.sub_outcomes) == 8
    assert source.count("Questions to consider:") == 6
    assert source.count("Risks\tActions") == 11
    for sub in care.sub_outcomes:
        assert contiguous(sub.title, source)
        assert contiguous(sub.reference_text, source)
        texts = [*(s.text for s in sub.statistics), *sub.people, *sub.story]
        texts += [t for g in sub.risks_and_actions for t in (g.problem, *g.risks, *g.actions)]
        for text in texts:
            assert contiguous(text, source), text


def test_toolkit_statistics_name_indicators_that_exist() -> None:
    from equal_outcomes.analysis.indicators import default_indicators

    known = {i.id for i in default_indicators()}
    for sub in toolkit("customer-care").sub_outcomes:
        for statistic in sub.statistics:
            assert set(statistic.indicators) <= known
            assert statistic.indicators or statistic.figure


def test_live_evidence_names_indicators_that_exist() -> None:
    """Issue 31: the harassment and adaptations questions read the new service indicators; a
    misspelt one would leave a question without evidence for ever."""
    from equal_outcomes.analysis.indicators import default_indicators
    from equal_outcomes.assessment.framework import editions

    known = {i.id for i in default_indicators()}
    named = set()
    for found in editions().values():
        for question in found.questions.values():
            evidence = question[2].evidence
            if evidence is not None:
                assert set(evidence.indicators) <= known, question[2].id
                named |= set(evidence.indicators)
    assert {"harassment_first_contact_in_standard", "minor_adaptation_in_standard",
            "asb_reporter_satisfied"} <= named  # fmt: skip
