"""Structure extraction: prices, ratings, sizes, colours, brands and categories from query text."""

from __future__ import annotations

import pytest

from retrieval.query_parse import build_lexicon, extract_filters, parse_query, preferences

BRANDS = ["Nike", "Amul", "Tata Sampann", "BB Home", "Active"]
CATEGORIES = ["Beauty & Hygiene > Hair Care > Shampoo & Conditioner", "Foodgrains > Rice"]


@pytest.mark.parametrize(
    "text, rest, filters",
    [
        ("nike running shoes under $100 size 10", "running shoes", {"brand": "Nike", "max_price": 100.0, "size": "10"}),
        ("below ₹300 shampoo", "shampoo", {"max_price": 300.0}),
        ("shampoo less than rs. 250", "shampoo", {"max_price": 250.0}),
        ("headphones under 1.5k", "headphones", {"max_price": 1500.0}),
        ("watch upto 2,000 rupees", "watch", {"max_price": 2000.0}),
        ("gifts 500 and under", "gifts", {"max_price": 500.0}),
        ("shoes 100-200", "shoes", {"min_price": 100.0, "max_price": 200.0}),
        ("basmati rice between 100 and 200 rs", "basmati rice", {"min_price": 100.0, "max_price": 200.0}),
        ("kettle from $20 to $40", "kettle", {"min_price": 20.0, "max_price": 40.0}),
        ("rs 500 to rs 1,000 watch", "watch", {"min_price": 500.0, "max_price": 1000.0}),
        ("toys $50+", "toys", {"min_price": 50.0}),
        ("mixer over 3000 rs", "mixer", {"min_price": 3000.0}),
        ("lamp priced between 300 and 500", "lamp", {"min_price": 300.0, "max_price": 500.0}),
        ("blender at least 4 stars", "blender", {"min_rating": 4.0}),
        ("4+ stars blender", "blender", {"min_rating": 4.0}),
        ("toaster rated 4 or more", "toaster", {"min_rating": 4.0}),
        ("4.5 star and up earphones", "earphones", {"min_rating": 4.5}),
        ("top rated blender", "blender", {"min_rating": 4.0}),
        ("in stock kettle", "kettle", {"in_stock": True}),
        ("tshirt size xl", "tshirt", {"size": "xl"}),
        ("amul butter", "butter", {"brand": "Amul"}),
        ("butter by amul", "butter", {"brand": "Amul"}),
        ("tata sampann toor dal", "toor dal", {"brand": "Tata Sampann"}),
        ("hair care", "hair care", {"category": "Beauty & Hygiene > Hair Care"}),
        ("red kettle under 900", "red kettle", {"colour": "red", "max_price": 900.0}),
    ],
)  # fmt: skip
def test_filters_read_from_many_phrasings(text, rest, filters):
    assert extract_filters(text, brands=BRANDS, categories=CATEGORIES) == (rest, filters)


@pytest.mark.parametrize(
    "text",
    [
        "tv under 30 inch",  # a measure, not a price
        "12-2 wire",  # wire gauge
        "1-1/2 in pvc",  # a fraction
        "rheem 40-50 gallon",  # a capacity range
        "auger anchor kit model 542-960",  # a model number
        "4*8 beadboard paneling",  # a dimension, not a star rating
        "stanley powermax 6",  # "max" inside a word
        "vent cover 31",  # "over" inside a word
        "what sizes in louvered closet doors",
        "2 and 4 inch pipe",
    ],
)
def test_measures_and_model_numbers_are_not_filters(text):
    rest, filters = extract_filters(text)
    assert rest == text and set(filters) <= {"colour"}


def test_brand_only_when_the_catalog_has_it():
    assert extract_filters("puma running shoes", brands=BRANDS) == ("puma running shoes", {})
    assert extract_filters("puma running shoes", brands=["Puma"])[1] == {"brand": "Puma"}


def test_ambiguous_brand_words_are_not_brands():
    lex = build_lexicon(BRANDS, ambiguous=["Active"])
    assert parse_query("active wear for men", lex).filters == {}


def test_category_needs_a_cue_unless_it_is_the_whole_query():
    lex = build_lexicon(categories=CATEGORIES)
    assert "category" not in parse_query("brown rice cooker", lex).filters
    assert parse_query("shampoo in hair care", lex).filters["category"].endswith("Hair Care")


def test_colour_can_be_removed_from_the_text():
    assert extract_filters("red kettle", keep_colours=False) == ("kettle", {"colour": "red"})


def test_matches_carry_phrase_and_confidence():
    parsed = parse_query("shoes under $100")
    (m,) = parsed.matches
    assert (m.key, m.value, m.phrase) == (
        "max_price",
        100.0,
        "under $100",
    ) and 0 < m.confidence <= 1


@pytest.mark.parametrize("text", ["", "   ", "₹₹₹", "under", "between and"])
def test_degenerate_text(text):
    rest, filters = extract_filters(text)
    assert filters == {} and rest == " ".join(text.split())


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("which one is easy on the wallet?", ["low_price"]),
        ("the cheaper one please", ["low_price"]),
        ("which is the most expensive?", ["high_price"]),
        ("which one is available and well reviewed?", ["in_stock", "rating"]),
        ("which one would you recommend?", []),
        ("shampoo under 300 with 4+ stars", ["rating"]),  # the number is a filter, "stars" a cue
        ("whats the rock-bottom price option here", ["low_price"]),
        ("sabse kam kimat wala dikhao", ["low_price"]),
        ("I only buy well-reviewed stuff, so what tops the chart here?", ["rating"]),
        ("sabse zyada pasand kiya gaya kaunsa", ["rating"]),  # Hinglish: the most liked
    ],
)
def test_preferences_name_the_orderings_a_choice_asks_for(text, wanted):
    assert preferences(text) == wanted
