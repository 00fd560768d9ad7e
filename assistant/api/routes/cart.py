"""The shopper's cart: GET /v1/cart, POST/PATCH/DELETE /v1/cart/items, POST /v1/cart/merge.

POST /v1/cart/items takes an `Idempotency-Key` header: the same key and body again (a retry
after a lost response) gets the first reply back, with `Idempotent-Replayed: true`, and adds
nothing twice.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Header, Path, Response
from pydantic import Field

from assistant.api.deps import Principal, SessionDep, WidgetDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import JsonInt, RequestModel
from assistant.errors import BadRequest, Unfit
from assistant.services import cart, idempotency
from assistant.services.keys import find_key

router = APIRouter(prefix="/v1/cart", tags=["cart"], responses=AUTH_ERRORS)
ProductId = Annotated[str, Path(min_length=1, max_length=64)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=idempotency.MAX_KEY_CHARS,
        description="makes a retry harmless: the same key and body get the first reply back",
    ),
]


def owner(who: Principal) -> str:
    """The cart a widget key works on: its shopper's, or the anonymous key's own."""
    if who.role != "widget":
        raise BadRequest("the cart is the shopper's: call it with a widget key")
    return cart.owner_of(who.role, who.key_id, who.user_id)


class AddItem(RequestModel):
    """A product to add; shown_price is the price the shopper saw (a change is reported)."""

    product_id: str = Field(min_length=1, max_length=64)
    quantity: JsonInt = Field(1, ge=1, le=cart.MAX_QUANTITY)
    shown_price: float | None = Field(None, ge=0, description="the price on the card shown")


class SetQuantity(RequestModel):
    """A line's new quantity (0 removes it)."""

    quantity: JsonInt = Field(ge=0, le=cart.MAX_QUANTITY)


class MergeCarts(RequestModel):
    """The anonymous widget key the shopper used before signing in."""

    anonymous_key: str = Field(min_length=8, max_length=128)


@router.get("", responses=responses(400))
def get_cart(who: WidgetDep, db: SessionDep) -> cart.CartView:
    """The shopper's cart with current prices (changes since an item was added are listed)."""
    return cart.view(db, owner(who))


@router.post("/items", responses=responses(400, 404, 409))
def add_item(
    body: AddItem,
    who: WidgetDep,
    db: SessionDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> cart.CartChange:
    """Add a product (stock and price re-checked); idempotent with an Idempotency-Key."""
    scope = owner(who)
    print_ = idempotency.fingerprint("POST", "/v1/cart/items", body.model_dump())
    _, reply, replayed = idempotency.run_once(
        db,
        scope,
        idempotency_key,
        print_,
        lambda: cart.add(db, scope, body.product_id, body.quantity, body.shown_price, commit=False),
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return cast(cart.CartChange, reply)  # the stored reply is the change as it was sent


@router.patch("/items/{product_id}", responses=responses(400, 404, 409))
def update_item(
    product_id: ProductId, body: SetQuantity, who: WidgetDep, db: SessionDep
) -> cart.CartChange:
    """Set the quantity of a product in the cart (0 removes it)."""
    return cart.set_quantity(db, owner(who), product_id, body.quantity)


@router.delete("/items/{product_id}", responses=responses(400, 404))
def delete_item(product_id: ProductId, who: WidgetDep, db: SessionDep) -> cart.CartChange:
    """Take a product out of the cart."""
    return cart.remove(db, owner(who), product_id)


@router.post("/merge", responses=responses(400, 409))
def merge_carts(body: MergeCarts, who: WidgetDep, db: SessionDep) -> cart.CartChange:
    """After sign-in: move the cart of the anonymous widget key into the shopper's own."""
    into = owner(who)
    if not who.user_id:
        raise BadRequest("merge needs a signed-in shopper's widget key")
    anon = find_key(db, body.anonymous_key)
    if anon is None or anon.revoked or anon.role != "widget" or anon.user_id:
        raise Unfit("anonymous_key is not an anonymous widget key")
    return cart.merge(db, cart.owner_of("widget", anon.id, None), into)
