"""The fresh, blind cart test set's shape (tests/assistant/data/cart_cases_fresh.jsonl); no model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.assistant.cart_eval import CASES, EXTRA, read_cases
from tests.assistant.known_store import PRODUCTS, USERS

FRESH = CASES.with_name("cart_cases_fresh.jsonl")
STORE_IDS = {p[0] for p in PRODUCTS} | {p[0] for p in EXTRA}
ARGS = {
    "add_to_cart": ({"product_id"}, {"product_id", "quantity"}),
    "update_cart_item": ({"product_id", "quantity"}, {"product_id", "quantity"}),
    "remove_from_cart": ({"product_id"}, {"product_id"}),
    "view_cart": (set(), set()),
    "search_products": ({"query"}, {"query"}),
}


def _calls(path: Path = FRESH) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (case["id"], name, args)
        for case in read_cases(path)
        for turn in case["turns"]
        for name, args in turn["expect"]
    ]


def test_fresh_cases_are_many_unique_and_start_with_a_search() -> None:
    """At least 40 cases with unique ids, 2-4 turns each, the first a product search alone."""
    cases = read_cases(FRESH)
    assert len(cases) >= 40
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert case["user"] in USERS, case["id"]
        assert 2 <= len(case["turns"]) <= 4, case["id"]
        assert all(t["user"].strip() and t["expect"] for t in case["turns"]), case["id"]
        first = case["turns"][0]["expect"]
        assert [name for name, _ in first] == ["search_products"], case["id"]
        assert first[0][1]["query"].strip(), case["id"]


def test_fresh_cases_have_enough_cart_turns() -> None:
    """At least 60 turns expect cart calls; a turn's calls are either all cart calls or a search."""
    cart_turns = 0
    for case in read_cases(FRESH):
        for turn in case["turns"]:
            names = {name for name, _ in turn["expect"]}
            assert names == {"search_products"} or "search_products" not in names, case["id"]
            cart_turns += "search_products" not in names
    assert cart_turns >= 60


def test_fresh_cases_call_known_tools_on_products_in_the_cart_store() -> None:
    """Every expected call is a cart tool or a search with its arguments, on a stored product."""
    for case_id, name, args in _calls():
        assert name in ARGS, (case_id, name)
        required, allowed = ARGS[name]
        assert required <= set(args) <= allowed, (case_id, name, args)
        if "product_id" in args:
            assert args["product_id"] in STORE_IDS, (case_id, args)
        if name == "add_to_cart" and "quantity" in args:  # stated only when more than one
            assert isinstance(args["quantity"], int) and args["quantity"] > 1, (case_id, args)
        if name == "update_cart_item":
            assert isinstance(args["quantity"], int) and args["quantity"] >= 1, (case_id, args)
