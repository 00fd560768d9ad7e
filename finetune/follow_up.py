"""The writer's own sentence: one more true fact after the decided lead, computed from the results.

The writer's SFT target is the lead (`assistant.agent.draft`) copied, then this sentence: for a
choice, how the pick stands on the other axis ("It is also the cheapest of these, at ₹45.") or
which product leads there; for products compared, the figures of the deciding difference or the
product the lead did not name; for a product, a field the question did not ask about or its
description; for a search, the best rated or the cheapest of the hits; for an order, the next
step or its tracking number; for a policy, the passage's next sentence; for a no-match, the
closest section. Every fact is copied from the results (the copy rule holds). Pure functions
over plain (tool name, result) pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from assistant.agent.asked import asked_fields
from assistant.agent.choice import is_choice
from assistant.agent.draft import Result, cited, main_result
from finetune.answers import (
    MAX_FACT_PRODUCTS,
    QUOTE_CHARS,
    best_rated,
    cheapest,
    money,
    rating,
)

Card = Mapping[str, Any]
NEXT_STEP = {
    "pending": "It has not left the store yet, so you can still change or cancel it.",
    "processed": "It is packed and with the courier, so it is on its way.",
    "delivered": "If anything is wrong with it, you can ask for a return or an exchange.",
    "cancelled": "It was cancelled, so its total goes back to your payment method.",
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _name(c: Card) -> str:
    return f"{c.get('title', '')} [{c.get('product_id', '')}]"


def _among(n: int) -> str:
    return "of the two" if n == 2 else "of these"


def pointer(cards: Sequence[Card], chosen: str, lead: str) -> str:
    """How the chosen product stands among the cards on price and rating, on the axis the lead
    does not state; else the product that leads there (of two, always the other one)."""
    cards = list(cards)[:MAX_FACT_PRODUCTS]
    if len(cards) == 2 and chosen in {c.get("product_id") for c in cards}:
        return _the_other(cards, chosen)
    cheap, best = cheapest(cards), best_rated(cards)
    said = lead.lower()
    also = "also " if re.search(r"cheap|best|most|fits|\bgo for\b", said) else ""
    among, two = _among(len(cards)), len(cards) == 2
    low, top = ("cheaper", "better rated") if two else ("cheapest", "best rated")
    if cheap and cheap["product_id"] == chosen and "cheap" not in said:
        return f"It is {also}the {low} {among}, at {_price(cheap)}."
    if (
        best
        and best["product_id"] == chosen
        and "best rat" not in said
        and "better rat" not in said
    ):
        return f"It is {also}the {top} {among}, {rating(best['rating'])}."
    if cheap and cheap["product_id"] != chosen:
        return f"The {low} {among} is {_name(cheap)}, at {_price(cheap)}."
    if best and best["product_id"] != chosen:
        return f"The {top} {among} is {_name(best)}, {rating(best['rating'])}."
    return ""


def _the_other(cards: Sequence[Card], chosen: str) -> str:
    """Of two products, the one not chosen, with its price and rating."""
    other = next(c for c in cards if c.get("product_id") != chosen)
    return _card_line(other, f"The other one, {_name(other)},")


def _compared(question: str, r: Mapping[str, Any], lead: str) -> str:
    cards = list(r.get("products") or [])
    ids = cited(lead)
    if is_choice(question) or not cards:
        return pointer(cards, ids[0] if ids else "", lead)
    unnamed = [c for c in cards if c.get("product_id") not in ids]
    if unnamed:
        return _card_line(unnamed[0])
    cheap, best = cheapest(cards), best_rated(cards)
    if len(cards) == 2 and cheap and best and cheap is not best:  # the cheaper is rated lower
        return (
            f"That is {_price(cheap)} against {_price(best)}, and "
            f"{rating(best['rating'])} against {rating(cheap['rating'])}."
        )
    return ""


def _price(c: Card) -> str:
    return money(c["price"], c.get("currency"))


def _card_line(c: Card, subject: str = "") -> str:
    """'X [7] costs ₹45 and is rated 4.2/5.' (subject: another opening than the name)."""
    who = subject or _name(c)
    parts = [f"{who} costs {_price(c)}" if c.get("price") is not None else who]
    if c.get("rating") is not None:
        parts.append(f"is rated {rating(c['rating'])}")
    return " and ".join(parts) + "."


def _field(question: str, p: Card) -> str:
    """A field of the product the question did not ask about (its description's first sentence
    when it asked none: the lead then states price and rating)."""
    asked = set(asked_fields(question))
    if not asked:
        text = str(p.get("description") or "").strip()
        first = _SENTENCE.split(text[:QUOTE_CHARS])[0]
        whole = len(text) <= QUOTE_CHARS or len(first) < len(text[:QUOTE_CHARS])
        if whole and len(first) > 3 and first.endswith((".", "!", "?")):  # quoted whole
            return first
        return "It is in stock." if p.get("in_stock", True) else "It is out of stock right now."
    if "rating" not in asked and p.get("rating") is not None:
        return f"It is rated {rating(p['rating'])}."
    if "price" not in asked and p.get("price") is not None:
        return f"It costs {_price(p)}."
    if "stock" not in asked:
        return "It is in stock." if p.get("in_stock", True) else "It is out of stock right now."
    if "brand" not in asked and p.get("brand"):
        return f"It is made by {p['brand']}."
    return ""


def _search(question: str, r: Mapping[str, Any], lead: str) -> str:
    found = list(r.get("products") or [])
    if not found or not any(c.get("match", True) for c in found):
        if not found:
            return ""
        nearest = max(found, key=lambda c: c.get("relevance") or 0.0)
        section = " > ".join(p.strip() for p in str(nearest.get("category", "")).split(">")[-2:])
        return f"The closest section is {section}." if section.strip() else ""
    related = [c for c in found if c.get("related", True)]
    ids = cited(lead)
    return pointer(related, ids[-1] if ids else "", lead)


def _listed(question: str, r: Mapping[str, Any], lead: str) -> str:
    cards = list(r.get("products") or [])
    ids = cited(lead)
    return pointer(cards, ids[-1] if ids else "", lead)


def _explain(question: str, r: Mapping[str, Any], lead: str) -> str:
    p = r.get("product") or {}
    return _card_line(p, "It") if p.get("price") is not None else ""


def _orders(question: str, r: Mapping[str, Any], lead: str) -> str:
    orders = list(r.get("orders") or [])
    if not orders:
        return ""
    if lead.startswith("Your most recent order"):
        return NEXT_STEP.get(str(orders[0].get("status")), "")
    count = r.get("count", len(orders))
    return f"You have {count} orders in all." if count > 1 else ""


def _order(question: str, r: Mapping[str, Any], lead: str) -> str:
    o = r.get("order") or {}
    tracking = [t for f in o.get("tracking") or [] for t in f.get("tracking_ids") or []]
    if tracking and o.get("status") == "processed":
        return f"Its tracking number is {tracking[0]}."
    return NEXT_STEP.get(str(o.get("status")), "")


def _policy(question: str, r: Mapping[str, Any], lead: str) -> str:
    passages = list(r.get("passages") or [])
    if not passages:
        return ""
    text = " ".join(str(passages[0].get("text", "")).split())[:QUOTE_CHARS]
    sentences = [s.strip() for s in _SENTENCE.split(text)]
    whole = sentences[:-1] if not text.endswith((".", "!", "?")) else sentences
    rest = [s for s in whole if s and s not in lead]
    return rest[0] if rest else ""


_FOLLOW: dict[str, Callable[[str, Mapping[str, Any], str], str]] = {
    "search_products": _search,
    "get_product": lambda q, r, lead: _field(q, r.get("product") or {}),
    "compare_products": _compared,
    "similar_products": _listed,
    "recommend_for_user": _listed,
    "explain_recommendation": _explain,
    "list_my_orders": _orders,
    "get_order_status": _order,
    "search_policy": _policy,
}


def follow_up(question: str, results: Iterable[Result], lead: str) -> str:
    """The writer's one extra sentence after the lead ("" when the results hold none)."""
    main = main_result(results)
    if main is None or main[0] not in _FOLLOW:
        return ""
    return _FOLLOW[main[0]](question, main[1], lead)


def target(question: str, results: Sequence[Result], lead: str) -> str:
    """The writer's SFT target: the lead, then the follow-up sentence."""
    extra = follow_up(question, results, lead)
    return f"{lead} {extra}" if extra else lead
