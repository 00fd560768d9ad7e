"""India's languages in Latin script: one table of question words for the parser and the agent."""

from __future__ import annotations

import re

from retrieval.indic import FIRST, INDIC_QUESTION, SECOND, alternation, ordinal_words
from retrieval.query_parse import preferences


def test_alternation_matches_whole_words_longest_first():
    pattern = re.compile(rf"\b{alternation(['sasta', 'sastu', 'sast'])}\b")
    assert pattern.fullmatch("sastu") and not pattern.search("sastaa")
    assert alternation(["ab", "abc"]).index("abc") < alternation(["ab", "abc"]).index("|ab")


def test_each_place_word_names_one_place():
    places = ordinal_words()
    assert places["biju"] == 2 and places["awwal"] == 1 and places["teeja"] == 3
    assert not set(FIRST) & set(SECOND)
    assert all(w == w.lower() and w.isalpha() for group in INDIC_QUESTION for w in group)


def test_cheap_words_of_other_languages_ask_for_a_low_price():
    for text in ("sauthi sastu kayu", "thakkuva dhara edi", "sobcheye sosta konta"):
        assert "low_price" in preferences(text), text
    assert "low_price" not in preferences("castor oil")
