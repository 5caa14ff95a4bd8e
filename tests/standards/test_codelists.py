from __future__ import annotations

import pytest
from pydantic import ValidationError

from equal_outcomes.standards.codelists import (
    CodeList,
    all_code_lists,
    characteristics,
    code_list,
)

LISTS = all_code_lists()


@pytest.mark.parametrize("listing", LISTS, ids=[item.id for item in LISTS])
def test_every_code_has_an_english_and_a_welsh_label(listing: CodeList) -> None:
    for code in listing.codes:
        assert code.label.en.strip(), f"{listing.id}.{code.code} has no English label"
        assert code.label.cy.strip(), f"{listing.id}.{code.code} has no Welsh label"
    assert listing.title.en
    assert listing.title.cy


@pytest.mark.parametrize("listing", LISTS, ids=[item.id for item in LISTS])
def test_every_child_maps_to_a_parent_group_in_the_same_list(listing: CodeList) -> None:
    groups = {code.code for code in listing.groups}
    for code in listing.codes:
        if code.parent is not None:
            assert code.parent in groups
    for group in groups:
        assert listing.children(group), f"group {group} in {listing.id} has no codes under it"


def test_ethnicity_follows_the_2021_gss_standard_with_roma_and_five_parent_groups() -> None:
    ethnicity = code_list("ethnicity")
    assert {g.code for g in ethnicity.groups} == {"asian", "black", "mixed", "white", "other"}
    assert len(ethnicity.selectable) == 19
    assert ethnicity.parent_of("white_roma") == "white"
    assert ethnicity.get("white_roma").since is not None


def test_all_nine_protected_characteristics_are_asked_except_age_which_is_derived() -> None:
    protected = {item.protected for item in characteristics() if item.protected}
    assert protected == {
        "sex",
        "gender_reassignment",
        "sexual_orientation",
        "race",
        "religion_or_belief",
        "disability",
        "marriage_and_civil_partnership",
        "pregnancy_and_maternity",
    }
    assert {code.code for code in code_list("age_band").codes} >= {"0_14", "85_plus"}


def test_disability_is_the_gss_two_step_question() -> None:
    manifest = characteristics()
    assert manifest.get("disability_impact").asked_when == {"disability": "yes"}
    assert [c.code for c in code_list("disability_impact").codes] == [
        "a_lot",
        "a_little",
        "not_at_all",
    ]


def test_languages_use_iso_639_codes_including_welsh_and_bsl() -> None:
    language = code_list("language")
    assert language.label("cy", "cy") == "Cymraeg"
    assert language.match("BSL") == "bfi"


def test_contractor_alerts_use_the_housing_data_standards_codes() -> None:
    alerts = code_list("person_alert")
    assert "NoVisitAlone" in alerts
    assert "LanguageSupport" in alerts
    for listing in (code_list("adjustment"), code_list("communication_need")):
        for code in listing.codes:
            assert code.alert is None or code.alert in alerts


def test_labels_and_synonyms_match_in_any_case_and_either_language() -> None:
    ethnicity = code_list("ethnicity")
    assert ethnicity.match("  white BRITISH ") == "white_british"
    assert ethnicity.match("Sipsi neu Deithiwr Gwyddelig") == "white_gypsy_traveller"
    assert ethnicity.match("White") is None  # a group heading is not an answer
    assert code_list("religion").match("Hindŵaidd") == "hindu"


@pytest.mark.parametrize(
    "text",
    [
        "Declined",
        "refused",
        "Not disclosed",
        "Prefer not to say",
        "Mae'n well gen i beidio â dweud",
    ],
)
def test_usual_spellings_of_prefer_not_to_say_are_recognised(text: str) -> None:
    assert characteristics().is_prefer_not_to_say(text)


def test_pregnancy_answers_carry_an_expiry() -> None:
    pregnancy = code_list("pregnancy_maternity")
    assert pregnancy.get("pregnant").expires_after_days == 280
    assert pregnancy.get("maternity").expires_after_days == 182


def test_a_list_whose_child_names_a_missing_parent_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a group"):
        CodeList.model_validate(
            {
                "id": "broken",
                "version": "2026-01-01",
                "source": "test",
                "title": {"en": "Broken", "cy": "Wedi torri"},
                "codes": [{"code": "a", "parent": "nowhere", "label": {"en": "A", "cy": "A"}}],
            }
        )


def test_a_list_with_a_missing_welsh_label_is_refused() -> None:
    with pytest.raises(ValidationError):
        CodeList.model_validate(
            {
                "id": "broken",
                "version": "2026-01-01",
                "source": "test",
                "title": {"en": "Broken", "cy": "Wedi torri"},
                "codes": [{"code": "a", "label": {"en": "A"}}],
            }
        )


def test_a_group_and_its_answer_as_housing_systems_write_them() -> None:
    from equal_outcomes.standards.codelists import code_list

    ethnicity = code_list("ethnicity")
    assert ethnicity.match("White: Welsh") == "white_british"
    assert ethnicity.match("Asian or Asian British - Indian") == "asian_indian"
    assert ethnicity.match("Black: Indian") is None, "an answer under another group"
    assert ethnicity.match("Indian") == "asian_indian"
