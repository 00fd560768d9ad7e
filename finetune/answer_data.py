"""SFT examples for the answer writer, from a store's own products, orders and policy.

Each example is a tool result in the shape the tools return it, a question phrased one of many
ways, the writer's prompt (`finetune.answers.writer_prompt`: facts + the decided lead) and the
target: the lead copied, then one true sentence computed from the facts (`finetune.follow_up`):
the pick's standing on price or rating, the deciding difference of a comparison, a field the
question did not ask about, the best rated or cheapest hit, an order's next step, the policy's
next sentence, the closest section of a no-match. `copyable()` checks an answer against the
copy rule the runtime enforces while decoding, and every built example passes it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from assistant.llm.copy_constraint import CopyRule
from finetune.answers import Facts, stem_words, writer_prompt
from finetune.follow_up import target

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


NEED_Q = [
    "which of these is {need}?", "I want something {need}, which one?", "the {need} one please",
    "any of them good for {need}?", "which one would be best for {need}?",
    "which one has {need}?", "I'd like the one with {need}", "which suits {need}?",
]  # fmt: skip
CHEAP_Q = [
    "which one costs the least?", "I'm on a tight budget, which one?", "the cheapest of these?",
    "which is lowest priced?", "what's the most affordable here?", "which is easier on my wallet?",
    "the less expensive one?", "which one is the best value for money?",
]  # fmt: skip
BEST_Q = [
    "which one has the best reviews?", "which is rated highest?", "which one do people like most?",
    "which would you pick?", "what do you recommend out of these?", "which one should I buy?",
    "which of them is the better buy?", "pick one for me", "which one is most expensive?",
]  # fmt: skip
COMPARE_Q = [
    "compare them", "what's the difference between these?", "how do they differ?",
    "compare the two for me", "put them side by side", "how do these stack up?",
]  # fmt: skip
ATTR_Q = [
    "how much is it?", "what does it cost?", "what's the price of that one?", "who makes it?",
    "which brand is that?", "how is it rated?", "what do reviews say about it?",
    "is it available?", "is it in stock?", "which section is it in?", "what's its rating and price?",
    "how much does the second one cost?", "who is the maker of the first one?",
]  # fmt: skip
ABOUT_Q = ["tell me more about it", "what is it exactly?", "describe that one", "details please"]
SEARCH_Q = ["{q}", "show me {q}", "looking for {q}", "do you have {q}?", "I need {q}"]
NO_MATCH_Q = ["do you sell {q}?", "I need {q}", "looking for {q}", "have any {q}?"]
NO_MATCH = ["bicycle helmet", "car tyres", "sofa set", "guitar strings", "dog leash",
            "laptop bag", "garden hose", "printer ink", "camping tent", "tennis racquet"]  # fmt: skip
LATEST_Q = [
    "where is my last order?", "what happened to my latest order?", "did my recent order arrive?",
    "status of my most recent purchase?", "any news on my last package?",
]  # fmt: skip
ORDERS_Q = ["show my orders", "what have I ordered?", "list my orders please"]
STATUS_Q = ["where is order {oid}?", "status of {oid}?", "what's up with {oid}?"]
POLICY_Q = ["{topic}?", "what is your policy on {topic}?", "can you tell me about {topic}?"]
RECO_Q = ["what would you suggest for me?", "recommend me something", "any picks for me?"]
WHY_Q = ["why did you suggest that?", "why this one?", "what made you pick it?"]
SIMILAR_Q = ["anything like it?", "show me similar ones", "alternatives to that?"]
WEIGHTS = {"choice": 5, "compare": 2, "attribute": 3, "about": 1, "search": 2, "no_match": 1.5,
           "latest_order": 1.5, "orders": 0.5, "order_status": 1, "policy": 1.5,
           "recommend": 1, "explain": 1, "similar": 1}  # fmt: skip


def _example(kind: str, question: str, results: list[tuple[str, Any]]) -> Example:
    """One example: the writer's prompt for the results and its target (lead + follow-up)."""
    prompt = writer_prompt(question, results)
    answer = target(question, results, prompt.lead)
    rule = CopyRule(prompt.facts.spans, CAPITAL_WORDS)  # the decoder's own automaton
    if not (copyable(answer, prompt.facts) and rule.accepts(answer)):
        raise ValueError(f"{kind}: answer breaks the copy rule: {answer!r}")
    return {"kind": kind, "messages": prompt.messages, "target": answer}


def _sample_cards(rng: random.Random, products: list[Card], k: int) -> list[Card]:
    group = rng.choice(products)["category"]
    same = [p for p in products if p["category"] == group]
    pool = same if len(same) >= k else products
    return [dict(c) for c in rng.sample(pool, k)]


def _own_word(rng: random.Random, cards: list[Card]) -> str:
    """A title word one card has and the others lack ("" when there is none)."""
    pick = rng.choice(cards)
    others = set().union(*(stem_words(c["title"]) for c in cards if c is not pick))
    own = sorted(w for w in stem_words(pick["title"]) - others if w.isalpha())
    return rng.choice(own) if own else ""


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


def _order_result(o: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in o.items() if k != "user_id"}


def build_writer_data(
    products: list[Card],
    orders: list[dict[str, Any]],
    policy_text: str,
    n: int,
    seed: int = 0,
) -> list[Example]:
    """n writer examples over the store's products (product cards with description), orders
    (as the order tools return them) and policy."""
    rng = random.Random(seed)
    rated = [c for c in products if c.get("rating") is not None and c.get("price") is not None]
    sections = _policy_sections(policy_text)

    def compared(kind: str) -> Example:
        cards = _sample_cards(rng, rated, 2 if kind == "compare" else rng.choice([2, 3, 3]))
        word = _own_word(rng, cards) if kind == "choice" else ""
        if kind == "compare":
            q = rng.choice(COMPARE_Q)
        elif word and rng.random() < 0.5:
            q = rng.choice(NEED_Q).format(need=word)
        else:
            q = rng.choice(CHEAP_Q + BEST_Q)
        return _example(kind, q, [("compare_products", {"products": cards, "table": {}})])

    def product(kind: str) -> Example:
        p = dict(rng.choice(rated))
        if rng.random() < 0.1:
            p["in_stock"] = False
        q = rng.choice(ATTR_Q if kind == "attribute" else ABOUT_Q)
        return _example(kind, q, [("get_product", {"product": p})])

    def search() -> Example:
        cards = _sample_cards(rng, rated, rng.choice([2, 3, 4, 5]))
        query = " ".join(sorted(stem_words(cards[0]["title"]))[:2]) or "snacks"
        for i, c in enumerate(cards):
            c.update(match=i == 0 or rng.random() < 0.6, relevance=round(rng.random(), 3))
            c["related"] = c["match"] or rng.random() < 0.5
        result = {"query": query, "filters": {}, "products": cards}
        return _example(
            "search", rng.choice(SEARCH_Q).format(q=query), [("search_products", result)]
        )

    def no_match() -> Example:
        cards = _sample_cards(rng, rated, 3)
        for c in cards:
            c.update(match=False, related=False, relevance=round(rng.random() * 0.3, 3))
        query = rng.choice(NO_MATCH)
        result = {"query": query, "filters": {}, "products": cards if rng.random() < 0.9 else []}
        q = rng.choice(NO_MATCH_Q).format(q=query)
        return _example("no_match", q, [("search_products", result)])

    def listed(kind: str) -> Example:
        picked = sorted(rng.sample(orders, rng.choice([1, 2, 3, 4])), key=lambda o: o["created_at"])
        picked.reverse()
        listed = [_order_result(o) for o in picked]
        if len(listed) > 1 and rng.random() < 0.25:  # orders without distinct dates
            listed = [{**o, "created_at": listed[0]["created_at"]} for o in listed]
        result = {"status_filter": None, "count": len(picked), "orders": listed}
        q = rng.choice(LATEST_Q if kind == "latest_order" else ORDERS_Q)
        return _example(kind, q, [("list_my_orders", result)])

    def order_status() -> Example:
        o = _order_result(rng.choice(orders))
        q = rng.choice(STATUS_Q).format(oid=o["order_id"])
        return _example("order_status", q, [("get_order_status", {"order": o})])

    def policy() -> Example:
        head, text = rng.choice(sections)
        passage = {"passage_id": "p", "doc": "policy", "heading": head, "section": head,
                   "text": text}  # fmt: skip
        q = rng.choice(POLICY_Q).format(topic=head.lower())
        return _example("policy", q, [("search_policy", {"question": q, "passages": [passage]})])

    def recommend() -> Example:
        cards = _sample_cards(rng, rated, rng.choice([2, 3, 4]))
        result = {"products": cards, "strategy": "personal"}
        return _example("recommend", rng.choice(RECO_Q), [("recommend_for_user", result)])

    def explain() -> Example:
        p, other = rng.sample(rated, 2)
        kind = rng.choice(["own_event", "often_next", "similar_to_bought", "none"])
        ev: list[dict[str, Any]] = []
        if kind != "none":
            ev = [{"kind": kind, "product_id": other["product_id"], "title": other["title"],
                   "weight": 1.0, "text": "",
                   "events": [{"type": rng.choice(["purchase", "view", "cart"])}]}]  # fmt: skip
        result = {"product": p, "explanation": {"evidence": ev}}
        return _example("explain", rng.choice(WHY_Q), [("explain_recommendation", result)])

    def similar() -> Example:
        cards = _sample_cards(rng, rated, rng.choice([3, 4]))
        result = {"product": cards[0], "products": cards[1:]}
        return _example("similar", rng.choice(SIMILAR_Q), [("similar_products", result)])

    makers: dict[str, Callable[[], Example]] = {
        "choice": lambda: compared("choice"), "compare": lambda: compared("compare"),
        "attribute": lambda: product("attribute"), "about": lambda: product("about"),
        "search": search, "no_match": no_match, "latest_order": lambda: listed("latest_order"),
        "orders": lambda: listed("orders"), "order_status": order_status, "policy": policy,
        "recommend": recommend, "explain": explain, "similar": similar,
    }  # fmt: skip
    weights = dict(WEIGHTS)
    if not orders:
        for k in ("latest_order", "orders", "order_status"):
            weights.pop(k)
    if not sections:
        weights.pop("policy")
    kinds = list(weights)
    return [makers[k]() for k in rng.choices(kinds, [weights[k] for k in kinds], k=n)]
