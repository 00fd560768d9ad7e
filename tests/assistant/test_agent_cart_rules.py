"""Completing a planned cart write from the shopper's words (agent/cart_rules.py)."""

from __future__ import annotations

import pytest

from assistant.agent.cart_rules import complete_cart_calls, quantity_change_asked
from assistant.agent.memory import ShownProducts


@pytest.fixture
def shown() -> ShownProducts:
    shown = ShownProducts()
    shown.add_list(
        [
            {"product_id": "101", "title": "Water Bottle - Orange 1 L", "brand": "Cello"},
            {"product_id": "102", "title": "Steel Water Bottle 750 ml", "brand": "Milton"},
            {"product_id": "103", "title": "Glass Water Bottle 500 ml", "brand": "Borosil"},
        ]
    )
    return shown


@pytest.mark.parametrize(
    ("text", "planned", "expected"),
    [
        ("add the 2nd and 3rd ones to my cart", ["102"], ["102", "103"]),
        ("put the first and the third in my basket", ["103"], ["101", "103"]),
        ("add the second one", ["102"], ["102"]),  # one product named: the plan stands
        ("add the 2nd and 3rd", ["101"], ["101"]),  # the plan names another: left to the checks
    ],
)
def test_a_write_on_several_named_products_covers_each(shown, text, planned, expected) -> None:
    calls = [("add_to_cart", {"product_id": p, "quantity": 2}) for p in planned]
    got = complete_cart_calls(calls, text, shown)
    assert [args["product_id"] for _, args in got] == expected
    assert all(name == "add_to_cart" and args["quantity"] == 2 for name, args in got)


def test_a_quantity_of_zero_is_a_removal(shown) -> None:
    got = complete_cart_calls(
        [("update_cart_item", {"product_id": "102", "quantity": 0})], "make it 0", shown
    )
    assert got == [("remove_from_cart", {"product_id": "102"})]


def test_other_calls_pass_unchanged(shown) -> None:
    calls = [("compare_products", {"product_ids": ["101", "102"]})]
    assert complete_cart_calls(calls, "compare both", shown) == calls


@pytest.mark.parametrize(
    ("text", "quantity", "asked"),
    [
        ("make it 3", 3, True),
        ("change the bottle to two", 2, True),
        ("make it 3", 2, False),  # not the number the shopper said
        ("add one more", 1, False),  # an add, not a new quantity
        ("and the second one too", 2, False),  # an ordinal is no count
    ],
)
def test_a_quantity_change_must_be_asked_for(shown, text, quantity, asked) -> None:
    assert quantity_change_asked({"product_id": "102", "quantity": quantity}, text, shown) is asked


def test_a_write_on_one_product_is_about_the_one_the_words_name(shown) -> None:
    calls = [("add_to_cart", {"product_id": "101", "quantity": 2})]
    got = complete_cart_calls(calls, "two of the Borosil bottles", shown)
    assert got == [("add_to_cart", {"product_id": "103", "quantity": 2})]
    shown.cart_focus = ["102"]  # the product the last cart change was about
    got = complete_cart_calls([("add_to_cart", {"product_id": "101"})], "add another one", shown)
    assert got == [("add_to_cart", {"product_id": "102"})]


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("the middle one of the three ka rate bata do zara", None),  # a place: "one" a pronoun
        ("cant decide between the first one and the middle one of the three", None),
        ("two of the first", [("add_to_cart", {"product_id": "101", "quantity": 2})]),
        ("add one of the third", [("add_to_cart", {"product_id": "103"})]),
    ],
)
def test_a_count_of_a_product_is_a_cart_add_and_one_of_a_place_is_not(shown, text, calls):
    from assistant.agent.cart_rules import cart_calls

    assert cart_calls(text, shown) == calls
