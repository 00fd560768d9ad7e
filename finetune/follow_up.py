"""The writer's own sentence after the decided lead, and every sentence it may say there.

The writer's SFT target is the lead (`assistant.agent.draft`) copied, then one sentence computed
from the results (`follow_up`): for a choice, how the pick stands on the other axis ("It is also
the cheapest of these, at ₹45.") or which product leads there (of two, the other one); for
products compared, the figures of the deciding difference or the product the lead did not
name; for a product, a field the question did not ask about or its description; for a search,
the best rated or the cheapest of the hits; for an order, the next step or its tracking number;
for a policy, the passage's next sentence; for a no-match, the closest section.

`true_sentences` lists every sentence of that vocabulary that is true of these results (the
follow-up first): the runtime lets the writer say one of them after the lead and nothing else
(`assistant.llm.copy_constraint.LeadRule`), so a claim made of copied facts ("the cheapest is
X [7], at ₹45") cannot be false. Pure functions over plain (tool name, result) pairs.
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
Sentences = list[str]  # true sentences, the follow-up first ("" when there is none)


def _name(c: Card) -> str:
    return f"{c.get('title', '')} [{c.get('product_id', '')}]"


def _price(c: Card) -> str:
    return money(c["price"], c.get("currency"))


def _card_line(c: Card, subject: str = "") -> str:
    """'X [7] costs ₹45 and is rated 4.2/5.' (subject: another opening than the name)."""
    who = subject or _name(c)
    parts = [f"{who} costs {_price(c)}" if c.get("price") is not None else who]
    if c.get("rating") is not None:
        parts.append(f"is rated {rating(c['rating'])}")
    return " and ".join(parts) + "."


def _quoted(text: str) -> list[str]:
    """The whole sentences of the part of a text the facts quote (its first QUOTE_CHARS, as
    `finetune.answers` cuts it)."""
    quote = text[:QUOTE_CHARS]
    said = [s.strip() for s in _SENTENCE.split(quote) if len(s.strip()) > 3]
    if said and len(text) > QUOTE_CHARS and not text[len(quote) :].startswith(" "):
        said = said[:-1]  # the quote cuts its last sentence
    return [s for s in said if s.endswith((".", "!", "?"))]


def _ranked(cards: Sequence[Card], chosen: str, lead: str) -> Sentences:
    """Of a product list: how the chosen one stands on price and rating, on the axis the lead
    does not state, else the product that leads there (of two, always the other one); then the
    other true sentences about the list."""
    cards = list(cards)[:MAX_FACT_PRODUCTS]
    ids = {c.get("product_id") for c in cards}
    cheap, best = cheapest(cards), best_rated(cards)
    said, two = lead.lower(), len(cards) == 2
    also = "also " if re.search(r"cheap|best|most|fits|\bgo for\b", said) else ""
    among = "of the two" if two else "of these"
    low, top = ("cheaper", "better rated") if two else ("cheapest", "best rated")
    it_cheap = it_best = on_cheap = on_best = ""
    if cheap:
        it_cheap = f"It is {also}the {low} {among}, at {_price(cheap)}."
        on_cheap = f"The {low} {among} is {_name(cheap)}, at {_price(cheap)}."
    if best:
        it_best = f"It is {also}the {top} {among}, {rating(best['rating'])}."
        on_best = f"The {top} {among} is {_name(best)}, {rating(best['rating'])}."
    others = [c for c in cards if c.get("product_id") != chosen]
    the_other = (
        [_card_line(others[0], f"The other one, {_name(others[0])},")]
        if two and chosen in ids
        else []
    )
    mine = cheap is not None and cheap.get("product_id") == chosen
    top_mine = best is not None and best.get("product_id") == chosen
    ordered = [
        it_cheap if mine and "cheap" not in said else "",
        it_best if top_mine and "best rat" not in said and "better rat" not in said else "",
        on_cheap if cheap and not mine else "",
        on_best if best and not top_mine else "",
    ]
    first = the_other[0] if the_other else next((s for s in ordered if s), "")
    rest = [it_cheap if mine else "", it_best if top_mine else "", on_cheap, on_best]
    rest += the_other + [_card_line(c) for c in cards]
    rest += [_card_line(c, "It") for c in cards if c.get("product_id") == chosen]
    return [first, *rest]


def _compared(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    cards = list(r.get("products") or [])
    ids = cited(lead)
    if is_choice(question) or not cards:
        return _ranked(cards, ids[0] if ids else "", lead)
    unnamed = [c for c in cards if c.get("product_id") not in ids]
    cheap, best = cheapest(cards), best_rated(cards)
    figures = ""
    if len(cards) == 2 and cheap and best:  # by how much each wins (one may win both)
        dearer = cards[1] if cards[0] is cheap else cards[0]
        worse = cards[1] if cards[0] is best else cards[0]
        figures = (
            f"That is {_price(cheap)} against {_price(dearer)}, and "
            f"{rating(best['rating'])} against {rating(worse['rating'])}."
        )
    first = _card_line(unnamed[0]) if unnamed else figures
    return [first, figures, *[_card_line(c) for c in cards]]


def _stock(p: Card) -> str:
    return "It is in stock." if p.get("in_stock", True) else "It is out of stock right now."


def _product(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    """A field the question did not ask about (the description's first sentence when it asked
    none: the lead then states price and rating); then every field and quoted sentence."""
    p = r.get("product") or {}
    asked = set(asked_fields(question))
    fields = {
        "rating": f"It is rated {rating(p['rating'])}." if p.get("rating") is not None else "",
        "price": f"It costs {_price(p)}." if p.get("price") is not None else "",
        "stock": _stock(p),
        "brand": f"It is made by {p['brand']}." if p.get("brand") else "",
    }
    described = _quoted(str(p.get("description") or "").strip())
    if asked:
        first = next((s for k, s in fields.items() if s and k not in asked), "")
    else:
        first = described[0] if described else _stock(p)
    line = [_card_line(p, "It")] if p.get("price") is not None else []
    return [first, *fields.values(), *line, *described]


def _search(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    found = list(r.get("products") or [])
    if not found or not any(c.get("match", True) for c in found):
        if not found:
            return [""]
        nearest = max(found, key=lambda c: c.get("relevance") or 0.0)
        section = " > ".join(p.strip() for p in str(nearest.get("category", "")).split(">")[-2:])
        return [f"The closest section is {section}." if section.strip() else ""]
    ids = cited(lead)
    return _ranked([c for c in found if c.get("related", True)], ids[-1] if ids else "", lead)


def _listed(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    ids = cited(lead)
    return _ranked(list(r.get("products") or []), ids[-1] if ids else "", lead)


def _explain(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    p = r.get("product") or {}
    return [_card_line(p, "It") if p.get("price") is not None else ""]


def _tracked(o: Mapping[str, Any]) -> list[str]:
    ids = [t for f in o.get("tracking") or [] for t in f.get("tracking_ids") or []]
    return [f"Its tracking number is {t}." for t in ids]


def _orders(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    orders = list(r.get("orders") or [])
    if not orders:
        return [""]
    count = r.get("count", len(orders))
    in_all = f"You have {count} orders in all." if count > 1 else ""
    step = NEXT_STEP.get(str(orders[0].get("status")), "")
    first = step if lead.startswith("Your most recent order") else in_all
    return [first, step, in_all, *_tracked(orders[0])]


def _order(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    o = r.get("order") or {}
    tracked, step = _tracked(o), NEXT_STEP.get(str(o.get("status")), "")
    return [tracked[0] if tracked and o.get("status") == "processed" else step, step, *tracked]


def _policy(question: str, r: Mapping[str, Any], lead: str) -> Sentences:
    passages = list(r.get("passages") or [])
    said = _quoted(" ".join(str(passages[0].get("text", "")).split())) if passages else []
    rest = [s for s in said if s not in lead]
    return [rest[0] if rest else "", *rest]


_TRUE: dict[str, Callable[[str, Mapping[str, Any], str], Sentences]] = {
    "search_products": _search,
    "get_product": _product,
    "compare_products": _compared,
    "similar_products": _listed,
    "recommend_for_user": _listed,
    "explain_recommendation": _explain,
    "list_my_orders": _orders,
    "get_order_status": _order,
    "search_policy": _policy,
}


def _sentences(question: str, results: Iterable[Result], lead: str) -> Sentences:
    main = main_result(results)
    if main is None or main[0] not in _TRUE:
        return [""]
    return _TRUE[main[0]](question, main[1], lead)


def follow_up(question: str, results: Iterable[Result], lead: str) -> str:
    """The writer's one extra sentence after the lead ("" when the results hold none)."""
    return _sentences(question, results, lead)[0]


def true_sentences(question: str, results: Iterable[Result], lead: str) -> list[str]:
    """Every sentence the writer may say after the lead: true of these results, each once, the
    follow-up first."""
    return [s for s in dict.fromkeys(_sentences(question, results, lead)) if s]


def target(question: str, results: Sequence[Result], lead: str) -> str:
    """The writer's SFT target: the lead, then the follow-up sentence."""
    extra = follow_up(question, results, lead)
    return f"{lead} {extra}" if extra else lead
