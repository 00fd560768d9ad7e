"""Places in a list named in words: anchors, moves from them, counts from the end."""

from __future__ import annotations

import pytest

from assistant.agent.positions import (
    BEFORE_LAST,
    LAST,
    MIDDLE,
    from_end,
    ordinal_positions,
    position_index,
)


@pytest.mark.parametrize(
    ("text", "count", "indexes"),
    [
        ("the second one", 3, [1]),
        ("the one after the middle one", 5, [3]),  # the middle of five is the third
        ("the one after the middle one", 4, [-1]),  # four have no middle
        ("the third from the end", 5, [2]),
        ("two spots above the last", 5, [2]),
        ("the item two spots below the top", 5, [2]),
        ("compare 1st and the next-to-last", 4, [0, 2]),
        ("the fourth one", 3, [-1]),  # no such place in a list of three
        ("1 aur 2 ke baad wala", 3, [2]),  # Hindi: the one after 1 and 2
        ("the one after 1 and 2", 4, [2]),
        ("the one before #2 and #3", 3, [0]),
        ("the follow-up to the first item", 3, [1]),
        ("maajhkhaner jinish", 3, [1]),  # Bengali: the thing in the middle
        ("reviews ke hisaab se top pe kaunsa hai", 3, []),  # top by its reviews: no place
        ("which is top by ratings", 3, []),
    ],
)
def test_places_resolve_against_the_list_shown(text, count, indexes):
    assert [position_index(p, count) for p in ordinal_positions(text)] == indexes


def test_counts_from_the_end_and_words_that_are_no_place():
    assert from_end(1) == LAST and from_end(2) == BEFORE_LAST
    assert ordinal_positions("the middle one") == [MIDDLE]
    for text in ("top rated one", "top 3", "the last order i placed", "rating mein no. 1"):
        assert ordinal_positions(text) == [], text


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("antim wala maal kitne ka", 2),  # Hindi: the last
        ("darmiyan wala maal", 1),  # Hindi: the middle
        ("the one counted third going up from the bottom", 0),
        ("the item that came two after the opener", 2),
        ("the one sitting one above the last", 1),
    ],
)
def test_more_places_in_words(text, index):
    assert [position_index(p, 3) for p in ordinal_positions(text)] == [index]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("upar se doosra", 1),  # Hinglish: the second from the top
        ("the third-last one", 2),
        ("second from last", 3),
        ("pratham wala", 0),
        ("madhya wala", 2),
        ("the rightmost one", 4),
    ],
)
def test_places_in_a_list_of_five(text, index):
    assert [position_index(p, 5) for p in ordinal_positions(text)] == [index]


@pytest.mark.parametrize(
    ("text", "indexes"),
    [
        ("the starter of your list", [0]),
        ("the product heading your reply", [0]),
        ("jo list khatam karta hai", [2]),  # Hinglish: the one that ends the list
        ("the one that ends the list", [2]),
        ("the filling in the sandwich of three", [1]),
        # Hindi puts the anchor first: "just below the first", "before the third / the last"
        ("pehle ke theek neeche wala", [1]),
        ("teesre se pehle wala", [1]),
        ("last se pehle wala", [1]),
        ("compare pehla bandaa against pehle ke theek neeche wala", [0, 1]),
        # Bengali, Tamil; "the lowest-placed", "trailing the middle", counted from below
        ("prothom ta", [0]),
        ("rendavadhu item", [1]),
        ("tritiyo ta", [2]),
        ("the lowest-placed product", [2]),
        ("the one trailing the middle pick", [2]),
        ("the topmost line of your message", [0]),
        ("neeche se ginoge toh teen number wala", [0]),
    ],
)
def test_a_list_named_as_the_reply_and_hindi_places_from_an_anchor(text, indexes):
    assert [position_index(p, 3) for p in ordinal_positions(text)] == indexes


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("biju wala ketla nu che", 1),  # Gujarati: how much is the second one
        ("chhellu wala", 2),  # Gujarati: the last
        ("dooja product kehda brand", 1),  # Punjabi: the second product
        ("vichkaar wala", 1),  # Punjabi: the middle
        ("eradane item bele", 1),  # Kannada: the second item
        ("moonnaamathe item vila", 2),  # Malayalam: the third item
        ("avasaanathe onnu", 2),  # Malayalam: the last one
        ("trutiya ta", 2),  # Odia: the third
        ("awwal wala", 0),  # Urdu: the first
        ("naduvula irukka item", 1),  # Tamil: the middle
        ("pahil saman ke daam", 0),  # Maithili: the first thing's price
        ("dujo walo item", 1),  # Marwari: the second item
        ("tesar saman", 2),  # Maithili: the third thing
        ("biyon shai", 1),  # Sindhi: the second thing
        ("teejo aaitam", 2),  # Marwari: the third item
        ("ekdum aagaaz waala product", 0),  # Urdu: the one at the very beginning
    ],
)
def test_places_in_indias_languages_typed_in_latin_script(text, index):
    assert [position_index(p, 3) for p in ordinal_positions(text)] == [index]


@pytest.mark.parametrize(
    ("text", "indexes"),
    [
        ("the one perched up above the rest", [0]),
        ("the listing flanked by the other two", [1]),
        ("the straggler bringing up the rear", [2]),
        ("whatever you listed at the very end", [2]),
        ("the one two spots up from the end", [0]),  # the last, moved up two
        ("talaru gonile tini number ta", [0]),  # Odia: the third counting from below
        ("randamathathu", [1]),  # Malayalam, a suffix on "second"
        ("sesha jinisa", [2]),  # Odia: the last thing
        ("the listing two rows beneath the opening one", [2]),  # "listing" and "one" apart
        ("smoothie ko pehchaan ke number do", []),  # "give the number", not "number two"
        ("which is rated above the rest", []),  # a rank, not a place
        ("the item trailing the pack", [2]),
        ("the product flanked on both sides", [1]),
        ("aakhri se ek pehle wala packet", [1]),  # Hindi: the one before the last
        ("second from the top", [1]),
        ("the runner-up, what brand", [1]),
        ("the last-but-two item", [0]),  # two before the last
        ("the one with neighbours on both ends", [1]),
        ("the listing perched on top of the last", [1]),
        ("the product that kicks things off", [0]),
        ("the caboose", [2]),
    ],
)
def test_places_named_against_the_rest_and_counted_from_below(text, indexes):
    assert [position_index(p, 3) for p in ordinal_positions(text)] == indexes


@pytest.mark.parametrize(
    ("text", "indexes"),
    [
        ("the pick one place shy of the bottom", [1]),
        ("the entry squeezed between top and bottom", [1]),
        ("the entry perched two rungs above the last", [0]),
        ("the pick one step down from the top", [1]),
        ("the lead-off item in your lineup", [0]),
        ("last se ginke teesra", [0]),  # Hindi: the third counting from the last
        ("pahilo saman", [0]),  # Nepali: the first item
        ("grahakon ki pehli pasand kaunsi", []),  # "first choice": a favourite, not a place
    ],
)
def test_moves_in_rungs_and_steps_and_a_favourite_that_is_no_place(text, indexes):
    assert [position_index(p, 3) for p in ordinal_positions(text)] == indexes
