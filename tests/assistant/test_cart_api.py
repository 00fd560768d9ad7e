"""The cart API: /v1/cart on the known store (stock and price re-checks, idempotent adds, merge)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import session_scope


@pytest.fixture
def api(store_settings: Settings, store: dict[str, str]):
    with TestClient(create_app(store_settings)) as client:
        yield client


def h(key: str, **extra: str) -> dict[str, str]:
    return {"X-API-Key": key, **extra}


def set_product(settings: Settings, product_id: str, **values: object) -> None:
    with session_scope(settings.effective_database_url) as db:
        product = db.get(Product, product_id)
        for name, value in values.items():
            setattr(product, name, value)


def test_add_view_update_remove(api: TestClient, store: dict[str, str]) -> None:
    empty = api.get("/v1/cart", headers=h(store["u1"])).json()
    assert empty == {
        "cart_id": None, "items": [], "count": 0, "total": 0.0, "currency": "", "price_changes": []
    }  # fmt: skip
    r = api.post(
        "/v1/cart/items", json={"product_id": "108", "quantity": 2}, headers=h(store["u1"])
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["action"] == "added" and body["quantity"] == 2
    assert body["cart"]["items"][0]["product_id"] == "108"
    assert body["cart"]["total"] == 550.0 and body["cart"]["count"] == 2
    api.post("/v1/cart/items", json={"product_id": "101"}, headers=h(store["u1"]))
    r = api.patch("/v1/cart/items/108", json={"quantity": 5}, headers=h(store["u1"]))
    assert r.json()["quantity"] == 5 and r.json()["cart"]["total"] == 5 * 275 + 180
    r = api.delete("/v1/cart/items/101", headers=h(store["u1"]))
    assert r.json()["action"] == "removed"
    assert [i["product_id"] for i in r.json()["cart"]["items"]] == ["108"]
    # another shopper's cart is their own
    assert api.get("/v1/cart", headers=h(store["u2"])).json()["items"] == []
    r = api.patch("/v1/cart/items/108", json={"quantity": 0}, headers=h(store["u1"]))
    assert r.json()["cart"]["items"] == []


def test_errors_use_the_error_family(api: TestClient, store: dict[str, str]) -> None:
    r = api.post("/v1/cart/items", json={"product_id": "nope"}, headers=h(store["u1"]))
    assert r.status_code == 404 and r.json()["error"]["code"] == "product_not_found"
    r = api.delete("/v1/cart/items/101", headers=h(store["u1"]))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_in_cart"
    r = api.post(
        "/v1/cart/items", json={"product_id": "101", "quantity": 0}, headers=h(store["u1"])
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    r = api.get("/v1/cart", headers=h(store["agent"]))
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    assert api.get("/v1/cart").json()["error"]["code"] == "unauthorized"


def test_stock_and_price_are_rechecked(
    api: TestClient, store: dict[str, str], store_settings: Settings
) -> None:
    set_product(store_settings, "106", in_stock=False)
    r = api.post("/v1/cart/items", json={"product_id": "106"}, headers=h(store["u1"]))
    assert r.status_code == 409 and r.json()["error"]["code"] == "out_of_stock"
    r = api.post(
        "/v1/cart/items", json={"product_id": "104", "shown_price": 230}, headers=h(store["u1"])
    )
    change = r.json()["price_change"]
    assert change == {
        "product_id": "104", "title": "Basmati Rice Classic 1 kg", "shown_price": 230.0,
        "price": 245.0, "currency": "INR",
    }  # fmt: skip
    set_product(store_settings, "104", price=260.0)
    cart = api.get("/v1/cart", headers=h(store["u1"])).json()
    assert cart["price_changes"][0]["shown_price"] == 245.0
    assert cart["price_changes"][0]["price"] == 260.0 and cart["total"] == 260.0
    # adding again re-agrees the price, and says it changed
    r = api.post("/v1/cart/items", json={"product_id": "104"}, headers=h(store["u1"]))
    assert r.json()["price_change"]["price"] == 260.0 and r.json()["cart"]["price_changes"] == []


def test_post_is_idempotent_with_a_key(api: TestClient, store: dict[str, str]) -> None:
    body = {"product_id": "102", "quantity": 1}
    first = api.post(
        "/v1/cart/items", json=body, headers=h(store["u1"], **{"Idempotency-Key": "k1"})
    )
    again = api.post(
        "/v1/cart/items", json=body, headers=h(store["u1"], **{"Idempotency-Key": "k1"})
    )
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert api.get("/v1/cart", headers=h(store["u1"])).json()["count"] == 1
    other = api.post(
        "/v1/cart/items",
        json={"product_id": "103"},
        headers=h(store["u1"], **{"Idempotency-Key": "k1"}),
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    # keys are per shopper: u2's k1 is a new request
    r = api.post("/v1/cart/items", json=body, headers=h(store["u2"], **{"Idempotency-Key": "k1"}))
    assert "Idempotent-Replayed" not in r.headers
    # without a key every POST adds
    api.post("/v1/cart/items", json=body, headers=h(store["u1"]))
    assert api.get("/v1/cart", headers=h(store["u1"])).json()["count"] == 2


def test_anonymous_cart_merges_on_sign_in(api: TestClient, store: dict[str, str]) -> None:
    anon = h(store["anon"])
    api.post("/v1/cart/items", json={"product_id": "101", "quantity": 2}, headers=anon)
    api.post("/v1/cart/items", json={"product_id": "105"}, headers=anon)
    api.post("/v1/cart/items", json={"product_id": "101"}, headers=h(store["u1"]))
    r = api.post("/v1/cart/merge", json={"anonymous_key": store["anon"]}, headers=h(store["u1"]))
    assert r.status_code == 200, r.text
    lines = {i["product_id"]: i["quantity"] for i in r.json()["cart"]["items"]}
    assert lines == {"101": 3, "105": 1}
    assert api.get("/v1/cart", headers=anon).json()["items"] == []
    # only an anonymous widget key's cart can be merged, and only by a signed-in shopper
    r = api.post("/v1/cart/merge", json={"anonymous_key": store["u2"]}, headers=h(store["u1"]))
    assert r.status_code == 409  # a well-formed key that is not an anonymous one: 409 unfit
    r = api.post("/v1/cart/merge", json={"anonymous_key": store["anon"]}, headers=anon)
    assert r.status_code == 400
