"""Cart tools: add, view, change the quantity, remove. The cart is the session's (the shopper's,
or the anonymous widget key's); a refusal the shopper should hear (out of stock, not in the cart)
is a result, so the answer can say it plainly."""

from __future__ import annotations

from assistant.errors import Forbidden
from assistant.services import cart
from assistant.services import products as catalog
from assistant.tools.context import ToolContext, ToolFailure
from assistant.tools.contract import (
    AddToCartArgs,
    RemoveFromCartArgs,
    UpdateCartItemArgs,
    ViewCartArgs,
)


def _owner(ctx: ToolContext) -> str:
    try:
        return cart.owner_of(ctx.role, ctx.key_id, ctx.user_id)
    except Forbidden as exc:
        raise ToolFailure("the cart needs a shopper; this session has none") from exc


def _refused(ctx: ToolContext, owner: str, product_id: str, reason: str) -> cart.CartChange:
    """Nothing changed, and why: with the product (when it exists) and the cart as it is."""
    out = cart.CartChange(action="refused", cart=cart.view(ctx.db, owner), reason=reason)
    found = catalog.get_cards(ctx.db, [product_id])
    if found:
        out["product"] = found[0]
    return out


def add_to_cart(ctx: ToolContext, args: AddToCartArgs) -> cart.CartChange:
    """Add a product to the session's cart; stock and price are re-checked (a price other than
    the one shown in this conversation is reported)."""
    owner = _owner(ctx)
    try:
        return cart.add(
            ctx.db,
            owner,
            args.product_id,
            args.quantity or 1,
            shown_price=ctx.shown_prices.get(args.product_id),
        )
    except catalog.ProductNotFound as exc:
        raise ToolFailure(str(exc)) from exc
    except cart.OutOfStock:
        ctx.db.rollback()
        return _refused(ctx, owner, args.product_id, "out of stock")


def view_cart(ctx: ToolContext, args: ViewCartArgs) -> cart.CartChange:
    """The session's cart: items, quantities, total, and prices changed since they were added."""
    return cart.CartChange(action="viewed", cart=cart.view(ctx.db, _owner(ctx)))


def update_cart_item(ctx: ToolContext, args: UpdateCartItemArgs) -> cart.CartChange:
    """Set the quantity of a product in the session's cart (0 removes it)."""
    owner = _owner(ctx)
    try:
        return cart.set_quantity(ctx.db, owner, args.product_id, args.quantity)
    except cart.NotInCart:
        ctx.db.rollback()
        return _refused(ctx, owner, args.product_id, "not in the cart")
    except cart.OutOfStock:
        ctx.db.rollback()
        return _refused(ctx, owner, args.product_id, "out of stock")


def remove_from_cart(ctx: ToolContext, args: RemoveFromCartArgs) -> cart.CartChange:
    """Take a product out of the session's cart."""
    owner = _owner(ctx)
    try:
        return cart.remove(ctx.db, owner, args.product_id)
    except cart.NotInCart:
        ctx.db.rollback()
        return _refused(ctx, owner, args.product_id, "not in the cart")
