"""Every published wording of a category finds its code (issue 28, item 14): the GSS harmonised
standards of 2011 and 2021, MHCLG CORE's lettings log, the NHS data dictionary and the GOV.UK
list of ethnic groups, as housing systems export them (with " - ", ":" or "/" between group and
category, words in another order)."""

from __future__ import annotations

import pytest

from equal_outcomes.imports.values import is_not_known
from equal_outcomes.standards.codelists import characteristics, code_list

WORDINGS = [
    # MHCLG CORE lettings log (2023 onwards)
    ("ethnicity", "English, Welsh, Northern Irish, Scottish or British", "white_british"),
    ("ethnicity", "Any other Asian or Asian British background", "asian_other"),
    ("ethnicity", "Any other Black, African or Caribbean background", "black_other"),
    ("ethnicity", "Any other Mixed or Multiple ethnic background", "mixed_other"),
    ("ethnicity", "Other ethnic group", "other_any"),
    ("ethnicity", "Gypsy or Irish Traveller", "white_gypsy_traveller"),
    # GSS 2011 Census wording, with the group before the category
    ("ethnicity", "White: English/Welsh/Scottish/Northern Irish/British", "white_british"),
    ("ethnicity", "Mixed/multiple ethnic groups: White and Black Caribbean", "mixed_white_black_caribbean"),
    ("ethnicity", "Asian/Asian British: Pakistani", "asian_pakistani"),
    ("ethnicity", "Black/African/Caribbean/Black British: Any other Black/African/Caribbean background", "black_other"),
    ("ethnicity", "Other ethnic group: Arab", "other_arab"),
    ("ethnicity", "Other ethnic group: Any other ethnic group", "other_any"),
    # GSS 2021 and GOV.UK
    ("ethnicity", "Asian, Asian British or Asian Welsh: Bangladeshi", "asian_bangladeshi"),
    ("ethnicity", "White: Roma", "white_roma"),
    ("ethnicity", "Asian or Asian British - Indian", "asian_indian"),
    ("ethnicity", "Black or Black British - Caribbean", "black_caribbean"),
    # NHS data dictionary (ethnic category)
    ("ethnicity", "Any other mixed background", "mixed_other"),
    ("ethnicity", "Any other Black background", "black_other"),
    ("ethnicity", "Any other Asian background", "asian_other"),
    ("sexual_orientation", "Heterosexual or Straight", "heterosexual"),
    ("sexual_orientation", "Straight/Heterosexual", "heterosexual"),
    ("sexual_orientation", "Gay or Lesbian", "gay_lesbian"),
    ("sexual_orientation", "Other sexual orientation not listed", "other"),
    ("gender_identity", "No, enter gender identity", "different"),
    ("gender_identity", "Yes", "same"),
    ("religion", "Christian (including Church of England, Catholic, Protestant and all other "
     "Christian denominations)", "christian"),
    ("communication_format", "Email", "electronic"),
    ("marital_status", "Never married and never registered a civil partnership", "never_married"),
]  # fmt: skip


@pytest.mark.parametrize(("list_id", "wording", "code"), WORDINGS)
def test_a_published_wording_finds_its_code(list_id: str, wording: str, code: str) -> None:
    assert code_list(list_id).match(wording) == code
    assert code_list(list_id).match(wording.upper()) == code


@pytest.mark.parametrize(
    "wording",
    [
        "Tenant prefers not to say",
        "Person prefers not to say",
        "Not stated (person asked but declined to provide a response)",
    ],
)
def test_refusals_as_published_are_prefer_not_to_say(wording: str) -> None:
    assert characteristics().is_prefer_not_to_say(wording)


@pytest.mark.parametrize(
    "wording",
    ["Not known (not recorded)", "Person asked and does not know or is not sure", "Not stated"],
)
def test_no_answer_as_published_is_not_known(wording: str) -> None:
    assert is_not_known(wording)


def test_words_shared_by_two_answers_match_neither() -> None:
    """Reordered words match only when one answer has them: "Asian" is neither "White and
    Asian" nor "Any other Asian background"."""
    ethnicity = code_list("ethnicity")
    assert ethnicity.match("Asian and White") == "mixed_white_asian"
    assert ethnicity.match("Asian") is None
    assert ethnicity.match("Black") is None, "a broad group is not an answer to the question"
