"""The words every composed answer shares: a price, a product's name, its line in a list.

Facts are copied from tool results as they are, so an answer built from these passes the
grounding check by construction.
"""

from __future__ import annotations

from typing import Any

from assistant.services.records import OrderStatus, ProductCard
from assistant.tools.results import OrderSummary

MAX_LISTED = 5


def money(value: Any, currency: str | None) -> str:
    """A price as the catalog states it ('₹220' for INR)."""
    if value is None:
        return "price not listed"
    amount = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return f"₹{amount}" if (currency or "INR") == "INR" else f"{amount} {currency}"


def product_line(card: ProductCard, index: int | None = None) -> str:
    """One product: title, brand, price, rating and its citation."""
    parts = [named(card)]
    parts.append(money(card.get("price"), card.get("currency")))
    rating = card.get("rating")
    if rating is not None:
        parts.append(f"rated {float(rating):g}/5")
    if card.get("in_stock") is False:
        parts.append("out of stock")
    head = f"{index}. " if index is not None else ""
    return f"{head}{', '.join(parts)} [{card['product_id']}]"


def named(card: ProductCard) -> str:
    """A product's title, with its brand when the title does not say it."""
    title = card.get("title", "")
    if card.get("brand") and card["brand"].lower() not in title.lower():
        return f"{title} by {card['brand']}"
    return title


def rating_text(card: ProductCard) -> str:
    """'rated 4.2/5', or 'not rated'."""
    rating = card.get("rating")
    return f"rated {float(rating):g}/5" if rating is not None else "not rated"


def order_line(order: OrderSummary | OrderStatus, lead: str = "Order") -> str:
    """An order: its id, status, total and item names."""
    items = ", ".join(i.get("name", "") for i in order.get("items", []) if i.get("name"))
    total = (
        f", total {money(order['total'], order.get('currency'))}"
        if order.get("total") is not None
        else ""
    )
    return f"{lead} {order['order_id']}: {order['status']}{total}" + (
        f" ({items})" if items else ""
    )
