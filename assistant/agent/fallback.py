"""The plan used when the model fails or runs out of time: keep the shopper served.

Deliberately small: an order id gets its status, a reference to shown products gets those
products, anything else is searched as it was written (with the filters the text states).
"""

from __future__ import annotations

import re
from typing import Any

from assistant.agent.memory import ShownProducts, resolve_references

_ORDER = re.compile(r"#?\b(W\d{5,})\b", re.I)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|thanks|thank you|good (morning|evening|afternoon)|bye|ok|okay)\b[\s!.,]*$",
    re.I,
)
_MY_ORDERS = re.compile(r"\bmy (orders?|purchases?)\b", re.I)
_COMPARE = re.compile(r"\b(compare|comparison|difference|vs\.?|versus)\b", re.I)
_SIMILAR = re.compile(r"\b(similar|alternatives?|like (it|this|that))\b", re.I)


def fallback_calls(
    text: str, shown: ShownProducts, signed_in: bool
) -> list[tuple[str, dict[str, Any]]]:
    """Tool calls that answer text without the model (empty for a greeting)."""
    if _GREETING.match(text):
        return []
    m = _ORDER.search(text)
    if m:
        return [("get_order_status", {"order_id": "#" + m.group(1).upper()})]
    if signed_in and _MY_ORDERS.search(text):
        return [("list_my_orders", {})]
    refs = resolve_references(text, shown)
    if len(refs) >= 2 and _COMPARE.search(text):
        return [("compare_products", {"product_ids": refs[:5]})]
    if refs and _SIMILAR.search(text):
        return [("similar_products", {"product_id": refs[0]})]
    if refs:
        return [("get_product", {"product_id": refs[0]})]
    return [("search_products", {"query": text.strip()[:200]})]
