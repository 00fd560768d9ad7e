"""The fact a question asks of one product ("how much is the second one?", "who makes it?"),
and the answer's first line that states it from the product's own fields.

Pure functions over the shopper's words and a product card; every fact is copied from the card,
so the line passes the grounding check by construction.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.agent.wording import money, rating_text
from assistant.services.records import ProductCard
from retrieval.indic import BRAND, PRICE, RATING, alternation

Field = Literal["price", "rating", "brand", "stock", "category"]

# The words that ask for each field, in the order the answer states them.
_ASKS: tuple[tuple[Field, re.Pattern[str]], ...] = (
    (
        "price",
        re.compile(
            r"\b(?:how\s+much|price\w*|costs?|costing|pay|charge[sd]?|mrp|kharch\w*|damage|"
            rf"kitne\s+(?:ka|ki|ke|mein|me|da|di)|{alternation(PRICE)})\b",
            re.I,
        ),
    ),
    (
        "rating",
        re.compile(
            rf"\b(?:rat(?:e|ed|es|ing|ings)|reviews?|reviewed|stars?|starred|score[sd]?|{alternation(RATING)})\b",
            re.I,
        ),
    ),
    (
        "brand",
        re.compile(
            r"\b(?:brand|company|maker|manufacturer|manufactured|makes?|made\s+by|"
            r"produce[sd]?|who\s+(?:sells|makes|made)|banane\s+wal[aie]|banata|banati|"
            rf"{alternation(BRAND)})\b",
            re.I,
        ),
    ),
    ("stock", re.compile(r"\b(?:in[\s-]stock|available|availability|sold\s+out)\b", re.I)),
    ("category", re.compile(r"\b(?:category|section|aisle|department)\b", re.I)),
)


def asked_fields(question: str) -> list[Field]:
    """The product fields the question asks for (none for "tell me more about it")."""
    return [name for name, pattern in _ASKS if pattern.search(question)]


def _fact(field: Field, card: ProductCard) -> str:
    """One field of the card in words."""
    if field == "price":
        price = card.get("price")
        return (
            f"costs {money(price, card.get('currency'))}"
            if price is not None
            else "has no price listed"
        )
    if field == "rating":
        return f"is {rating_text(card)}"
    if field == "brand":
        return f"is made by {card['brand']}" if card.get("brand") else "has no brand listed"
    if field == "stock":
        return "is in stock" if card.get("in_stock") is not False else "is out of stock"
    category = " > ".join(p.strip() for p in str(card.get("category") or "").split(">")[-2:])
    return f"is in {category}" if category.strip() else "has no category listed"


def answer_line(question: str, card: ProductCard) -> str:
    """ "Eye Mask [2236] costs ₹25." for the fields the question asks; "" when it asks none."""
    fields = asked_fields(question)
    if not fields:
        return ""
    facts = [_fact(f, card) for f in fields]
    said = facts[0] if len(facts) == 1 else ", ".join(facts[:-1]) + " and " + facts[-1]
    return f"{card['title']} [{card['product_id']}] {said}."
