"""SFT examples for the answer writer, from a store's own products, orders and policy.

Each example is a tool result in the shape the tools return it, a question phrased one of many
ways, the writer's prompt (`finetune.answers`) and an answer whose every fact is copied from the
facts: the cheaper / better-rated / named product for a choice, the asked attribute, the deciding
difference of a comparison, the reason of a recommendation, an order's status and next step, a
quoted policy passage, an honest no-match. `copyable()` checks an answer against the copy rule
the runtime enforces while decoding, and every built example passes it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from finetune.answers import Facts, facts_for, money, rating, stem_words, writer_messages

# Capitalised words an answer may write without copying them (sentence openers).
CAPITAL_WORDS = (
    "I I'd I'm I've It It's The This That These They There Here Your You You'll For If Both "
    "Yes No Sorry Based According Ask Its As And But So Of On In To With From Go Try Among "
    "Compared While Unfortunately Please Order Orders Not Only All Each Either Between Out Like"
).split()
_FREE = re.compile(r"[a-z ,.;:!?'()/&\-\"]")
Example = dict[str, Any]
Card = dict[str, Any]


def copyable(answer: str, facts: Facts) -> bool:
    """True when the answer keeps the copy rule: outside the fact spans only lower-case letters,
    spaces, plain punctuation and the allowed capitalised words (the grammar's rule, in Python)."""
    spans = sorted(facts.spans, key=len, reverse=True)
    i, words = 0, sorted(CAPITAL_WORDS, key=len, reverse=True)
    while i < len(answer):
        hit = next((s for s in spans if answer.startswith(s, i)), None)
        if hit is None:
            hit = next((w for w in words if answer.startswith(w, i)), None)
        if hit is not None:
            i += len(hit)
        elif _FREE.match(answer[i]):
            i += 1
        else:
            return False
    return True


def _cite(c: Mapping[str, Any]) -> str:
    return f"{c['title']} [{c['product_id']}]"


def _price(c: Mapping[str, Any]) -> str:
    return money(c["price"]) if c.get("price") is not None else "an unlisted price"


NEED_Q = [
    "which of these is {need}?", "I want something {need}, which one?",
    "any of them {need}?", "the {need} one please", "which one would be {need}?",
]  # fmt: skip
CHEAP_Q = [
    "which one costs the least?", "I'm on a tight budget, which one?", "the cheapest of these?",
    "which is lowest priced?", "what's the most affordable here?",
]  # fmt: skip
BEST_Q = [
    "which one has the best reviews?", "which is rated highest?", "which one do people like most?",
    "which would you pick?", "what do you recommend out of these?", "which one should I buy?",
]  # fmt: skip
COMPARE_Q = [
    "compare them", "what's the difference between these?", "how do they differ?",
    "compare the two for me", "which is better, and how do they compare?",
]  # fmt: skip
ATTR_Q = {
    "price": ["how much is it?", "what does it cost?", "what's the price of that one?"],
    "brand": ["who makes it?", "which brand is that?", "what brand is it from?"],
    "rating": ["is it any good?", "how is it rated?", "what do reviews say about it?"],
    "stock": ["is it available?", "can I get it now, is it in stock?", "do you have it in stock?"],
    "about": ["tell me more about it", "what is it exactly?", "describe that one"],
}
SEARCH_Q = ["{q}", "show me {q}", "looking for {q}", "do you have {q}?", "I need {q}"]
NO_MATCH_Q = ["do you sell {q}?", "I need {q}", "looking for {q}", "have any {q}?"]
ORDERS_Q = [
    "where is my last order?", "what happened to my latest order?", "did my recent order arrive?",
    "status of my most recent purchase?", "any news on my order?",
]  # fmt: skip
STATUS_Q = ["where is order {oid}?", "status of {oid}?", "what's up with {oid}?"]
POLICY_Q = ["{topic}?", "what is your policy on {topic}?", "can you tell me about {topic}?"]
RECO_Q = ["what would you suggest for me?", "recommend me something", "any picks for me?"]
WHY_Q = ["why did you suggest that?", "why this one?", "what made you pick it?"]
SIMILAR_Q = ["anything like it?", "show me similar ones", "alternatives to that?"]
NEXT_STEP = {
    "pending": "It has not left the store yet, so you can still change or cancel it.",
    "processed": "It is packed and with the courier, so it is on its way.",
    "delivered": "If anything is wrong with it, you can ask for a return or an exchange.",
    "cancelled": "It was cancelled, so its total goes back to your payment method.",
}


def _choice(rng: random.Random, cards: list[Card]) -> tuple[str, str, dict]:
    cheap = min(cards, key=lambda c: c["price"])
    best = max(cards, key=lambda c: (c["rating"] or 0, -c["price"]))
    kind = rng.choice(["need", "need", "cheap", "best"])
    if kind == "need":
        pick = rng.choice(cards)
        own = stem_words(pick["title"]) - set().union(
            *(stem_words(c["title"]) for c in cards if c is not pick)
        )
        if own:
            need = rng.choice(sorted(own))
            q = rng.choice(NEED_Q).format(need=need)
            a = rng.choice([
                f"For {need}, go for {_cite(pick)}: it is the one made for that, at {_price(pick)}.",
                f"{_cite(pick)} is the {need} one, at {_price(pick)}.",
            ])  # fmt: skip
            return q, a, {"chosen": pick["product_id"]}
        kind = "best"
    if kind == "cheap":
        q = rng.choice(CHEAP_Q)
        a = f"{_cite(cheap)} is the cheapest of these at {_price(cheap)}."
        return q, a, {"chosen": cheap["product_id"]}
    q = rng.choice(BEST_Q)
    a = rng.choice([
        f"I'd go for {_cite(best)}: it is the best rated, {rating(best['rating'])}, at {_price(best)}.",
        f"{_cite(best)} is the best rated of these ({rating(best['rating'])}) and costs {_price(best)}.",
    ])  # fmt: skip
    return q, a, {"chosen": best["product_id"]}


def _compare(rng: random.Random, cards: list[Card]) -> tuple[str, str]:
    a, b = cards[:2]
    cheap, dear = (a, b) if a["price"] <= b["price"] else (b, a)
    better = max((a, b), key=lambda c: (c["rating"] or 0, -c["price"]))
    text = (
        f"{_cite(a)} costs {_price(a)} and is rated {rating(a['rating'])}; "
        f"{_cite(b)} costs {_price(b)} and is rated {rating(b['rating'])}. "
    )
    if better is cheap:
        text += f"The deciding difference: {_cite(cheap)} is both cheaper and better rated."
    else:
        text += f"The deciding difference: {_cite(cheap)} is cheaper, while {_cite(dear)} is rated higher."
    return rng.choice(COMPARE_Q), text


def _attribute(rng: random.Random, p: Card) -> tuple[str, str]:
    kind = rng.choice(sorted(ATTR_Q))
    q = rng.choice(ATTR_Q[kind])
    if kind == "price":
        return q, f"{_cite(p)} costs {_price(p)}."
    if kind == "brand":
        return q, f"It is made by {p['brand']}: {_cite(p)}."
    if kind == "rating":
        return q, f"{_cite(p)} is rated {rating(p['rating'])} by shoppers."
    if kind == "stock":
        return q, (
            f"Yes, {_cite(p)} is in stock, at {_price(p)}."
            if p["in_stock"]
            else f"Sorry, {_cite(p)} is out of stock right now."
        )
    first = re.split(r"(?<=[.!?])\s+", p["description"])[0]
    return q, f"{_cite(p)} costs {_price(p)}. {first}"


def _with_rating(cards: Sequence[Card]) -> list[Card]:
    return [c for c in cards if c.get("rating") is not None and c.get("price") is not None]


def _example(kind: str, question: str, results: list[tuple[str, Any]], answer: str) -> Example:
    facts = facts_for(question, results)
    if not copyable(answer, facts):
        raise ValueError(f"{kind}: answer breaks the copy rule: {answer!r}\n{facts.spans}")
    return {"kind": kind, "messages": writer_messages(question, facts), "target": answer}


def _sample_cards(rng: random.Random, products: list[Card], k: int) -> list[Card]:
    group = rng.choice(products)["category"]
    same = [p for p in products if p["category"] == group]
    pool = same if len(same) >= k else products
    return [dict(c) for c in rng.sample(pool, k)]


def _policy_sections(text: str) -> list[tuple[str, str]]:
    out, head = [], ""
    for block in re.split(r"\n(?=#+ )", text):
        lines = block.strip().splitlines()
        if lines and lines[0].startswith("#"):
            head = lines[0].lstrip("# ").strip()
            lines = lines[1:]
        for item in " ".join(lines).split("- "):
            if len(item.strip()) > 40 and head:
                out.append((head, item.strip()))
    return out


def build_writer_data(
    products: list[Card],
    orders: list[dict[str, Any]],
    policy_text: str,
    n: int,
    seed: int = 0,
) -> list[Example]:
    """n writer examples over the store's products (product cards with description), orders
    (newest first per shopper is not needed: each example sorts its own) and policy."""
    rng = random.Random(seed)
    rated = _with_rating(products)
    sections = _policy_sections(policy_text)
    makers: dict[str, Callable[[], Example]] = {}

    def choice() -> Example:
        cards = _sample_cards(rng, rated, rng.choice([2, 3, 3]))
        q, a, _ = _choice(rng, cards)
        return _example("choice", q, [("compare_products", {"products": cards, "table": {}})], a)

    def compare() -> Example:
        cards = _sample_cards(rng, rated, 2)
        q, a = _compare(rng, cards)
        return _example("compare", q, [("compare_products", {"products": cards, "table": {}})], a)

    def attribute() -> Example:
        p = dict(rng.choice(rated))
        p.setdefault("attributes", {})
        q, a = _attribute(rng, p)
        return _example("attribute", q, [("get_product", {"product": p})], a)

    def search() -> Example:
        cards = _sample_cards(rng, rated, rng.choice([2, 3, 3]))
        query = " ".join(sorted(stem_words(cards[0]["title"]))[:2]) or "snacks"
        result = {"query": query, "filters": {}, "products": cards}
        best = max(cards, key=lambda c: (c["rating"], -c["price"]))
        cheap = min(cards, key=lambda c: c["price"])
        a = f'I found {len(cards)} options for "{query}", shown below. The best rated is {_cite(best)} at {_price(best)}'
        a += "." if cheap is best else f", and the cheapest is {_cite(cheap)} at {_price(cheap)}."
        q = rng.choice(SEARCH_Q).format(q=query)
        return _example("search", q, [("search_products", result)], a)

    def no_match() -> Example:
        cards = _sample_cards(rng, rated, 3)
        query = rng.choice(["bicycle helmet", "car tyres", "sofa set", "guitar strings",
                            "dog leash", "laptop bag", "garden hose", "printer ink"])  # fmt: skip
        for c in cards:
            c.update(match=False, related=False, relevance=rng.random() * 0.3)
        result = {"query": query, "filters": {}, "products": cards}
        section = " > ".join(p.strip() for p in cards[0]["category"].split(">")[-2:])
        a = f'Sorry, I couldn\'t find anything that matches "{query}" in the catalog. '
        best = max(cards, key=lambda c: c["relevance"])
        section = " > ".join(p.strip() for p in best["category"].split(">")[-2:])
        a += f"The closest section is {section}; you could try other words or a brand."
        q = rng.choice(NO_MATCH_Q).format(q=query)
        return _example("no_match", q, [("search_products", result)], a)

    def latest_order() -> Example:
        picked = sorted(rng.sample(orders, rng.choice([1, 2, 3])), key=lambda o: o["created_at"])
        picked.reverse()
        o = picked[0]
        result = {"status_filter": None, "count": len(picked), "orders": picked}
        a = f"Your most recent order is {o['order_id']}, placed {o['created_at'][:10]}: it is {o['status']}, total {money(o['total'])}. {NEXT_STEP[o['status']]}"
        return _example("orders", rng.choice(ORDERS_Q), [("list_my_orders", result)], a)

    def order_status() -> Example:
        o = dict(rng.choice(orders))
        tracking = [t for f in o.get("tracking", []) for t in f.get("tracking_ids", [])]
        a = f"Order {o['order_id']} is {o['status']}, total {money(o['total'])}. {NEXT_STEP[o['status']]}"
        if tracking and o["status"] == "processed":
            a += f" Its tracking number is {tracking[0]}."
        q = rng.choice(STATUS_Q).format(oid=o["order_id"])
        return _example("order_status", q, [("get_order_status", {"order": o})], a)

    def policy() -> Example:
        head, text = rng.choice(sections)
        passage = {
            "passage_id": "p",
            "doc": "policy",
            "heading": head,
            "section": head,
            "text": text,
        }
        facts = facts_for("", [("search_policy", {"question": "", "passages": [passage]})])
        quote = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s in facts.spans]
        a = f"Here is what the store policy says under {head}. " + " ".join(quote[:2])
        q = rng.choice(POLICY_Q).format(topic=head.lower())
        result = {"question": q, "passages": [passage]}
        return _example("policy", q, [("search_policy", result)], a)

    def recommend() -> Example:
        cards = _sample_cards(rng, rated, rng.choice([2, 3]))
        top = cards[0]
        result = {"products": cards, "strategy": "personal"}
        a = f"Based on what you shop for, I'd start with {_cite(top)} at {_price(top)}; the other picks are shown below."
        return _example("recommend", rng.choice(RECO_Q), [("recommend_for_user", result)], a)

    def explain() -> Example:
        p, other = rng.sample(rated, 2)
        kind = rng.choice(["own_event", "often_next", "none"])
        ev: list[dict[str, Any]] = []
        if kind == "own_event":
            ev = [{"kind": kind, "product_id": other["product_id"], "title": other["title"],
                   "weight": 1.0, "text": "", "events": [{"type": "purchase"}]}]  # fmt: skip
            a = f"I suggested {_cite(p)} because you bought {_cite(other)}."
        elif kind == "often_next":
            ev = [{"kind": kind, "product_id": other["product_id"], "title": other["title"],
                   "weight": 1.0, "text": ""}]  # fmt: skip
            a = f"I suggested {_cite(p)} because shoppers who had {_cite(other)} often went on to it."
        else:
            a = f"I have no recorded reason for suggesting {_cite(p)}; it is simply popular."
        result = {"product": p, "explanation": {"evidence": ev}}
        return _example("explain", rng.choice(WHY_Q), [("explain_recommendation", result)], a)

    def similar() -> Example:
        cards = _sample_cards(rng, rated, 3)
        base, rest = cards[0], cards[1:]
        a = f"Like {_cite(base)}, you could try {_cite(rest[0])} at {_price(rest[0])} or {_cite(rest[1])} at {_price(rest[1])}."
        result = {"product": base, "products": rest}
        return _example("similar", rng.choice(SIMILAR_Q), [("similar_products", result)], a)

    makers = {
        "choice": choice, "compare": compare, "attribute": attribute, "search": search,
        "no_match": no_match, "orders": latest_order, "order_status": order_status,
        "policy": policy, "recommend": recommend, "explain": explain, "similar": similar,
    }  # fmt: skip
    weights = {"choice": 5, "compare": 2, "attribute": 3, "search": 2, "no_match": 1.5,
               "orders": 1.5, "order_status": 1, "policy": 1, "recommend": 1, "explain": 1,
               "similar": 1}  # fmt: skip
    if not orders:
        weights.pop("orders"), weights.pop("order_status")
    if not sections:
        weights.pop("policy")
    kinds = list(weights)
    return [makers[k]() for k in rng.choices(kinds, [weights[k] for k in kinds], k=n)]
