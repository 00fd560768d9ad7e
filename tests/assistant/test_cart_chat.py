"""The cart in the chat: the cart test set (rules only), and what the answers say."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import session_scope
from tests.assistant.cart_eval import build_cart_store, read_cases, run_cases


@pytest.fixture
def cart_settings(store_settings: Settings) -> Settings:
    return store_settings.model_copy(update={"rate_limit": "10000/minute"})


@pytest.fixture
def cart_keys(cart_settings: Settings) -> dict[str, str]:
    return build_cart_store(cart_settings)


@pytest.fixture
def api(cart_settings: Settings, cart_keys: dict[str, str]):
    with TestClient(create_app(cart_settings)) as client:
        yield client


def test_the_cart_set_with_the_rules_plan(api, cart_settings, cart_keys) -> None:
    cases = read_cases()
    assert len(cases) >= 40
    assert all(
        len(c["turns"]) >= 2 or c["turns"][0]["expect"] == [["view_cart", {}]] for c in cases
    )
    report = run_cases(api, cart_settings, cart_keys, cases)
    assert report["cart_turns"] >= 80
    assert report["cart_tool_accuracy"] >= 0.95, report["misses"]
    assert report["other_accuracy"] >= 0.95, report["misses"]


def chat(api: TestClient, key: str, text: str, conversation: str | None = None) -> dict:
    r = api.post(
        "/v1/chat",
        json={"message": text, "conversation_id": conversation},
        headers={"X-API-Key": key},
    )
    assert r.status_code == 200, r.text
    return r.json()


def set_product(settings: Settings, product_id: str, **values: object) -> None:
    with session_scope(settings.effective_database_url) as db:
        product = db.get(Product, product_id)
        for name, value in values.items():
            setattr(product, name, value)


def test_a_changed_price_and_no_stock_are_said_plainly(api, cart_settings, cart_keys) -> None:
    first = chat(api, cart_keys["u1"], "basmati rice")
    conv = first["conversation_id"]
    assert "₹245" in first["answer"]
    set_product(cart_settings, "104", price=260.0)
    added = chat(api, cart_keys["u1"], "add the first one to my cart", conv)
    assert "has changed since it was shown: it is now ₹260 (was ₹245)" in added["answer"]
    assert added["cited_product_ids"] == ["104"] and not added["repaired"]
    set_product(cart_settings, "105", in_stock=False)
    refused = chat(api, cart_keys["u1"], "add the brown rice too", conv)
    assert "[105] is out of stock, so I did not add it to your cart" in refused["answer"]
    assert "Total: ₹260 for 1 item." in refused["answer"]


def test_the_cart_belongs_to_the_session(api, cart_keys) -> None:
    conv = chat(api, cart_keys["anon"], "butter")["conversation_id"]
    added = chat(api, cart_keys["anon"], "add 2 of it to my cart", conv)
    assert "Total: ₹550 for 2 items." in added["answer"]
    # the signed-in shopper's cart and the other anonymous visitor's are their own
    assert "Your cart is empty." in chat(api, cart_keys["u1"], "what's in my cart?")["answer"]
    view = api.get("/v1/cart", headers={"X-API-Key": cart_keys["anon"]}).json()
    assert [(i["product_id"], i["quantity"]) for i in view["items"]] == [("108", 2)]
    # an agent's chat without a customer has no cart to change
    reply = chat(api, cart_keys["agent"], "what's in my cart?")
    assert reply["tool_calls"][0]["ok"] is False
    assert reply["answer"] == "Sorry, I couldn't open your cart right now."


def test_a_carted_product_named_in_a_new_conversation_is_a_search(api, cart_keys) -> None:
    conv = chat(api, cart_keys["u2"], "basmati rice")["conversation_id"]
    added = chat(api, cart_keys["u2"], "add the first one to my cart", conv)
    assert added["tool_calls"][0]["name"] == "add_to_cart"
    # a new conversation: the carted rice is known by name for cart changes only
    fresh = chat(api, cart_keys["u2"], "basmati rice")
    assert [c["name"] for c in fresh["tool_calls"]] == ["search_products"]
    removed = chat(api, cart_keys["u2"], "remove the basmati rice from my cart")
    assert [c["name"] for c in removed["tool_calls"]] == ["remove_from_cart"]
