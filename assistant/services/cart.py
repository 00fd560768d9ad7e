"""The shopper's cart: persisted per shopper, prices and stock re-checked against the catalog.

A cart belongs to an owner: `user:<id>` for a signed-in shopper, `key:<id>` for an anonymous
widget key (the same rule that scopes anonymous conversations). An anonymous cart is merged into
the shopper's own when the widget signs in (`merge`). Every line keeps the unit price the
shopper last agreed to, so a later catalog price change is reported, never silently charged.
"""

from __future__ import annotations

import uuid
from typing import Literal, NotRequired

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from typing_extensions import TypedDict

from assistant.db.cart_models import Cart, CartItem
from assistant.db.models import Product, utcnow
from assistant.errors import Conflict, Forbidden, Invalid, NotFound
from assistant.services.products import get_product, product_card
from assistant.services.records import ProductCard
from assistant.tools.contract import MAX_CART_QUANTITY

MAX_QUANTITY = MAX_CART_QUANTITY  # per line: more than this is not a shopper's cart
MAX_LINES = 100


class CartLine(ProductCard):
    """One product in the cart: its card (current catalog facts), quantity and line total."""

    quantity: int
    total: float | None  # price x quantity; None when the catalog lists no price


class PriceChange(TypedDict):
    """A product whose price is not the one the shopper saw or agreed to."""

    product_id: str
    title: str
    shown_price: float  # what the shopper saw (the chat's list, the widget card, the cart)
    price: float | None  # the catalog's price now
    currency: str


class CartView(TypedDict):
    """The cart: its lines, item count, total and any price changed since it was agreed."""

    cart_id: str | None  # None until something is added
    items: list[CartLine]
    count: int  # units, summed over the lines
    total: float
    currency: str
    price_changes: list[PriceChange]


CartAction = Literal["added", "updated", "removed", "viewed", "refused", "merged"]


class CartChange(TypedDict):
    """What a cart request did, and the cart afterwards."""

    action: CartAction
    cart: CartView
    product: NotRequired[ProductCard]  # the product added, changed or removed
    quantity: NotRequired[int]  # its quantity in the cart now (0 when removed)
    price_change: NotRequired[PriceChange]  # its price is not the one last shown
    reason: NotRequired[str]  # why nothing changed (refused)


class OutOfStock(Conflict):
    """The product cannot be added: it is out of stock."""

    code = "out_of_stock"


class NotInCart(NotFound):
    """The product is not in the cart."""

    code = "not_in_cart"


def owner_of(role: str, key_id: int | None, user_id: str | None) -> str:
    """Whose cart a caller works on: the shopper's, else an anonymous widget key's own."""
    if user_id:
        return f"user:{user_id}"
    if role == "widget" and key_id is not None:
        return f"key:{key_id}"
    raise Forbidden("a cart belongs to a shopper: name the customer or use a widget key")


def _load(db: Session, owner: str) -> Cart | None:
    return db.scalar(select(Cart).where(Cart.owner == owner).options(selectinload(Cart.items)))


def _cart(db: Session, owner: str) -> Cart:
    """The owner's cart, created on first use (a concurrent creation wins, we reuse it)."""
    cart = _load(db, owner)
    if cart is not None:
        return cart
    try:
        with db.begin_nested():
            db.add(Cart(id=str(uuid.uuid4()), owner=owner))
    except IntegrityError:
        pass  # created by a concurrent request in between: load theirs
    cart = _load(db, owner)
    assert cart is not None
    return cart


def _price_change(p: Product, seen: float | None) -> PriceChange | None:
    if seen is None or p.price is not None and abs(p.price - seen) < 0.005:
        return None
    return PriceChange(
        product_id=p.id, title=p.title, shown_price=seen, price=p.price, currency=p.currency
    )


def _products(db: Session, ids: list[str]) -> dict[str, Product]:
    if not ids:
        return {}
    return {p.id: p for p in db.scalars(select(Product).where(Product.id.in_(ids)))}


def cart_view(db: Session, cart: Cart | None) -> CartView:
    """The cart with current catalog prices; lines whose product left the catalog are dropped."""
    items = list(cart.items) if cart is not None else []
    products = _products(db, [i.product_id for i in items])
    lines: list[CartLine] = []
    changes: list[PriceChange] = []
    for item in items:
        p = products.get(item.product_id)
        if p is None:
            continue
        total = round(p.price * item.quantity, 2) if p.price is not None else None
        lines.append(CartLine(**product_card(p), quantity=item.quantity, total=total))
        change = _price_change(p, item.agreed_price)
        if change:
            changes.append(change)
    return CartView(
        cart_id=cart.id if cart is not None else None,
        items=lines,
        count=sum(line["quantity"] for line in lines),
        total=round(sum(line["total"] or 0.0 for line in lines), 2),
        currency=lines[0]["currency"] if lines else "",
        price_changes=changes,
    )


def view(db: Session, owner: str) -> CartView:
    """The owner's cart (an empty one when they have none yet)."""
    return cart_view(db, _load(db, owner))


def _quantity(quantity: int, least: int = 1) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise Invalid("quantity must be a whole number")
    if quantity < least or quantity > MAX_QUANTITY:
        raise Invalid(f"quantity must be between {least} and {MAX_QUANTITY}")
    return quantity


def _line(cart: Cart, product_id: str) -> CartItem | None:
    return next((i for i in cart.items if i.product_id == product_id), None)


def _done(db: Session, commit: bool) -> None:
    db.flush()
    if commit:
        db.commit()


def add(
    db: Session,
    owner: str,
    product_id: str,
    quantity: int = 1,
    shown_price: float | None = None,
    commit: bool = True,
) -> CartChange:
    """Add quantity of a product (stock and price re-checked: an out-of-stock product is refused
    with OutOfStock; a price other than shown_price, or than the line's agreed price, is reported)."""
    quantity = _quantity(quantity)
    product = get_product(db, product_id)
    if not product.in_stock:
        raise OutOfStock(f"{product.title} [{product.id}] is out of stock")
    cart = _cart(db, owner)
    line = _line(cart, product.id)
    seen = shown_price if shown_price is not None else (line.agreed_price if line else None)
    change = _price_change(product, seen)
    others = [i for i in cart.items if i.product_id != product.id]
    currencies = {p.currency for p in _products(db, [i.product_id for i in others]).values()}
    if currencies and product.currency not in currencies:
        raise Conflict(
            f"the cart is in {', '.join(sorted(currencies))}; {product.title} is priced in "
            f"{product.currency}",
            code="currency_mismatch",
        )
    if line is None:
        if len(cart.items) >= MAX_LINES:
            raise Conflict(f"a cart holds at most {MAX_LINES} different products")
        line = CartItem(product_id=product.id, quantity=0)
        cart.items.append(line)
    line.quantity = min(MAX_QUANTITY, line.quantity + quantity)
    line.agreed_price = product.price
    cart.updated_at = utcnow()
    _done(db, commit)
    out = CartChange(
        action="added",
        cart=cart_view(db, cart),
        product=product_card(product),
        quantity=line.quantity,
    )
    if change:
        out["price_change"] = change
    return out


def set_quantity(
    db: Session, owner: str, product_id: str, quantity: int, commit: bool = True
) -> CartChange:
    """Set a line's quantity (0 removes it); NotInCart when the product is not in the cart."""
    quantity = _quantity(quantity, least=0)
    if quantity == 0:
        return remove(db, owner, product_id, commit)
    cart = _load(db, owner)
    line = _line(cart, str(product_id)) if cart is not None else None
    if cart is None or line is None:
        raise NotInCart(f"product {product_id!r} is not in the cart")
    product = get_product(db, line.product_id)
    if quantity > line.quantity and not product.in_stock:
        raise OutOfStock(f"{product.title} [{product.id}] is out of stock")
    change = _price_change(product, line.agreed_price)
    line.quantity = quantity
    line.agreed_price = product.price
    cart.updated_at = utcnow()
    _done(db, commit)
    out = CartChange(
        action="updated", cart=cart_view(db, cart), product=product_card(product), quantity=quantity
    )
    if change:
        out["price_change"] = change
    return out


def remove(db: Session, owner: str, product_id: str, commit: bool = True) -> CartChange:
    """Take a product out of the cart; NotInCart when it is not there."""
    cart = _load(db, owner)
    line = _line(cart, str(product_id)) if cart is not None else None
    if cart is None or line is None:
        raise NotInCart(f"product {product_id!r} is not in the cart")
    product = db.get(Product, line.product_id)
    cart.items.remove(line)
    cart.updated_at = utcnow()
    _done(db, commit)
    out = CartChange(action="removed", cart=cart_view(db, cart), quantity=0)
    if product is not None:
        out["product"] = product_card(product)
    return out


def merge(db: Session, from_owner: str, into_owner: str, commit: bool = True) -> CartChange:
    """Move the lines of from_owner's cart into into_owner's (quantities add up, capped), and
    delete the emptied cart: an anonymous cart joins the shopper's on sign-in."""
    if from_owner == into_owner:
        raise Invalid("a cart cannot be merged into itself")
    source = _load(db, from_owner)
    target = _cart(db, into_owner)
    for item in list(source.items) if source is not None else []:
        line = _line(target, item.product_id)
        if line is None:
            target.items.append(
                CartItem(
                    product_id=item.product_id,
                    quantity=item.quantity,
                    agreed_price=item.agreed_price,
                )
            )
        else:
            line.quantity = min(MAX_QUANTITY, line.quantity + item.quantity)
    if source is not None:
        db.delete(source)
    target.updated_at = utcnow()
    _done(db, commit)
    return CartChange(action="merged", cart=cart_view(db, target))
