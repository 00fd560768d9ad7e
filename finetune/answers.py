"""The answer writer's prompt: the question, this turn's results as short fact lines, and the
decided lead the answer opens with.

The writer is a small LoRA adapter of its own that only writes answers (the planner adapter
picks tools). Its prompt is short on purpose (training on 2 CPU cores is ~200 tokens/s):

    Question: I have dandruff, which one suits me?
    Facts:
    1. [506] Oxygen Moisture Shampoo | Dove | ₹466.2 | rated 4.2/5
    2. [5159] Anti-Dandruff Shampoo | Sebamed | ₹480 | rated 4.2/5
    cheapest: Oxygen Moisture Shampoo [506] at ₹466.2; named in the question: [5159]
    Answer with: For dandruff, Anti-Dandruff Shampoo [5159] fits: its listing says dandruff.

What to say first is decided by the templates (`assistant.agent.draft.lead`); the writer words
the answer from it: the lead copied, then one sentence of its own from the facts.
`Facts.spans` are the strings an answer may copy: ids in brackets, titles, brands, prices with
their currency sign, ratings, order ids, dates, statuses, policy sentences, and the lead and its
sentences (grounded by construction). The runtime lets the model emit a digit, a currency sign,
a '[' or a capitalised word only inside one of them (`assistant.llm.copy_constraint`), so every
fact in a written answer is a copied one. Plain data in (tool name + result dict), so training
data and the runtime share this code (`writer_prompt`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from assistant.agent.draft import lead, lead_sentences, stem_words

WRITER_SYSTEM = "Answer the shopper from the facts only. Copy names, prices and [ids] exactly."
LEAD = "Answer with: "
WRITTEN_TOOLS = frozenset(
    {
        "search_products",
        "get_product",
        "compare_products",
        "similar_products",
        "recommend_for_user",
        "explain_recommendation",
        "list_my_orders",
        "get_order_status",
        "search_policy",
    }
)
MAX_FACT_PRODUCTS = 5
MAX_ORDERS = 4
QUOTE_CHARS = 200
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Facts:
    """The writer's fact lines and the spans an answer may copy from them."""

    lines: list[str] = field(default_factory=list)
    spans: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        """The fact lines as the prompt shows them."""
        return "\n".join(self.lines)


def money(value: Any, currency: str | None = "INR") -> str:
    """A price as the catalog states it ('₹220', '₹1,250.5'): the one spelling answers copy."""
    amount = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return f"₹{amount}" if (currency or "INR") == "INR" else f"{amount} {currency}"


def rating(value: Any) -> str:
    """A rating as answers write it ('4.2/5')."""
    return f"{float(value):g}/5"


def _product(f: Facts, card: Mapping[str, Any], index: int | None = None) -> str:
    pid, title = str(card.get("product_id", "")), str(card.get("title") or "").strip()
    parts = [f"{index}. [{pid}] {title}" if index else f"[{pid}] {title}"]
    f.spans |= {f"[{pid}]", title}
    f.spans |= {p.strip() for p in re.split(r" - |, |\(|\)", title) if len(p.strip()) > 2}
    if card.get("brand"):
        parts.append(str(card["brand"]))
        f.spans.add(str(card["brand"]))
    if card.get("price") is not None:
        parts.append(money(card["price"], card.get("currency")))
        f.spans.add(money(card["price"], card.get("currency")))
    if card.get("rating") is not None:
        parts.append(f"rated {rating(card['rating'])}")
        f.spans.add(rating(card["rating"]))
    if card.get("in_stock") is False:
        parts.append("out of stock")
    return " | ".join(parts)


def _only(
    cards: Sequence[Mapping[str, Any]], key: str, best: Callable[[Iterable[float]], float]
) -> Mapping[str, Any] | None:
    """The one card with the best value of key among cards that have a price and a rating
    (None when two share it, or fewer than two have both)."""
    valued = [c for c in cards if c.get("price") is not None and c.get("rating") is not None]
    if len(valued) < 2:
        return None
    top = best(float(c[key]) for c in valued)
    winners = [c for c in valued if float(c[key]) == top]
    return winners[0] if len(winners) == 1 else None


def cheapest(cards: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The one cheapest card (None on a tie)."""
    return _only(cards, "price", min)


def best_rated(cards: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The one best-rated card (None on a tie)."""
    return _only(cards, "rating", max)


def _pointers(question: str, cards: Sequence[Mapping[str, Any]]) -> str:
    """The deciding differences among shown products, computed and spelled out (the writer
    copies them, it does not compare numbers)."""
    out = []
    cheap, best = cheapest(cards), best_rated(cards)
    if cheap:
        out.append(f"cheapest: {cheap['title']} [{cheap['product_id']}] at {_money(cheap)}")
    if best:
        out.append(f"best rated: {best['title']} [{best['product_id']}], {rating(best['rating'])}")
    asked = stem_words(question)
    named = [c for c in cards if asked & stem_words(str(c.get("title", "")))]
    if asked and 0 < len(named) < len(cards):
        best_named = max(named, key=lambda c: len(asked & stem_words(str(c.get("title", "")))))
        out.append(f"named in the question: [{best_named['product_id']}]")
    return "; ".join(out)


def _money(card: Mapping[str, Any]) -> str:
    return money(card["price"], card.get("currency"))


def _products(f: Facts, question: str, cards: Sequence[Mapping[str, Any]], head: str) -> None:
    cards = list(cards)[:MAX_FACT_PRODUCTS]
    f.lines.append(head)
    f.lines += [_product(f, c, i) for i, c in enumerate(cards, 1)]
    pointers = _pointers(question, cards)
    if pointers:
        f.lines.append(pointers)


def _search(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    found = list(r.get("products") or [])
    query = str(r.get("query", ""))
    f.spans.add(f'"{query}"')
    if not found or not any(c.get("match", True) for c in found):
        f.lines.append(f'no match for "{query}" in the catalog')
        if found:
            nearest = max(found, key=lambda c: c.get("relevance") or 0.0)
            section = " > ".join(
                p.strip() for p in str(nearest.get("category", "")).split(">")[-2:]
            )
            if section.strip():
                f.lines.append(f"closest section: {section}")
                f.spans.add(section)
        return
    related = [c for c in found if c.get("related", True)]
    f.spans.add(str(len(related)))
    _products(f, question, related, f'found for "{query}" ({len(related)} shown as cards):')


def _details(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    p = r.get("product") or {}
    f.lines.append(_product(f, p))
    f.lines.append("in stock" if p.get("in_stock", True) else "out of stock")
    if p.get("category"):
        f.lines.append(f"category: {p['category']}")
        f.spans |= {c.strip() for c in str(p["category"]).split(">")}
    if p.get("description"):
        quote = str(p["description"]).strip()[:QUOTE_CHARS]
        f.lines.append(f"description: {quote}")
        f.spans |= _sentences(quote)


def _sentences(text: str) -> set[str]:
    return {s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 3}


def _explain(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    p = r.get("product") or {}
    f.lines.append("suggested: " + _product(f, p))
    exp = r.get("explanation") or {}
    reasons = exp.get("evidence") if isinstance(exp, Mapping) else None
    for e in list(reasons or [])[:3]:
        if not isinstance(e, Mapping):
            continue
        kinds = {"own_event": "you", "often_next": "shoppers who had this went on to it"}
        other = {"product_id": e.get("product_id"), "title": e.get("title")}
        tail = " " + _product(f, other) if e.get("product_id") and e.get("title") else ""
        events = sorted(
            {str(x.get("type")) for x in e.get("events") or [] if isinstance(x, Mapping)}
        )
        said = {"view": "viewed", "purchase": "bought", "cart": "carted"}
        verb = " and ".join(said.get(k, k) for k in events)
        lead = f"because {kinds.get(str(e.get('kind')), str(e.get('kind', '')).replace('_', ' '))}"
        f.lines.append(f"{lead} {verb}{tail}".strip() if verb else f"{lead}{tail}")
    if len(f.lines) == 1:
        f.lines.append("no recorded reason")


def _order(f: Facts, o: Mapping[str, Any]) -> str:
    oid = str(o.get("order_id", ""))
    parts = [oid, str(o.get("status", ""))]
    f.spans |= {oid, str(o.get("status", ""))}
    if o.get("total") is not None:
        parts.append("total " + money(o["total"], o.get("currency")))
        f.spans.add(money(o["total"], o.get("currency")))
    if o.get("created_at"):
        day = str(o["created_at"])[:10]
        parts.append(f"placed {day}")
        f.spans.add(day)
    names = [str(i.get("name", "")) for i in o.get("items") or [] if i.get("name")]
    if names:
        parts.append("items: " + ", ".join(names[:3]))
        f.spans |= set(names[:3])
    tracking = [t for x in o.get("tracking") or [] for t in x.get("tracking_ids") or []]
    if tracking:
        parts.append("tracking " + ", ".join(tracking))
        f.spans |= set(tracking)
    return " | ".join(parts)


def _orders(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    orders = list(r.get("orders") or [])
    if not orders:
        f.lines.append("no orders")
        return
    f.lines.append(f"{r.get('count', len(orders))} orders, newest first:")
    f.spans.add(str(r.get("count", len(orders))))
    f.lines += [_order(f, o) for o in orders[:MAX_ORDERS]]


def _order_status(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    f.lines.append("order: " + _order(f, r.get("order") or {}))


def _policy(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    passages = list(r.get("passages") or [])
    if not passages:
        f.lines.append("no policy passage found")
        return
    first = passages[0]
    text = " ".join(str(first.get("text", "")).split())[:QUOTE_CHARS]
    f.lines.append(f"policy ({first.get('heading') or first.get('section', '')}): {text}")
    f.spans |= _sentences(text)
    if first.get("heading"):
        f.spans.add(str(first["heading"]))


def _similar(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    base = r.get("product") or {}
    if base.get("product_id"):
        f.lines.append("similar to: " + _product(f, base))
    _products(f, question, r.get("products") or [], "similar products:")


def _recommend(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    head = "picked for the shopper"
    if r.get("strategy"):
        head += f" ({str(r['strategy']).replace('_', ' ')})"
    _products(f, question, r.get("products") or [], head + ":")


def _compare(f: Facts, question: str, r: Mapping[str, Any]) -> None:
    _products(f, question, r.get("products") or [], "compared:")


_FACTS = {
    "search_products": _search,
    "get_product": _details,
    "compare_products": _compare,
    "similar_products": _similar,
    "recommend_for_user": _recommend,
    "explain_recommendation": _explain,
    "list_my_orders": _orders,
    "get_order_status": _order_status,
    "search_policy": _policy,
}


def facts_for(question: str, results: Iterable[tuple[str, Mapping[str, Any]]]) -> Facts:
    """Fact lines and copyable spans of this turn's results ((tool name, result) pairs; the
    last result of each tool, in call order). Numbers the shopper wrote may be repeated."""
    f = Facts()
    latest: dict[str, Mapping[str, Any]] = {}
    for name, result in results:
        if name in _FACTS:
            latest.pop(name, None)
            latest[name] = result
    for name, result in latest.items():
        _FACTS[name](f, question, result)
    f.spans |= set(_NUMBER.findall(question))
    f.spans = {s for s in f.spans if s.strip()}
    return f


def writer_messages(question: str, facts: Facts, lead: str = "") -> list[dict[str, str]]:
    """The writer's conversation: its system line, then the question, the facts and the lead."""
    q = " ".join(question.split())[:300]
    tail = f"\n{LEAD}{lead}" if lead else ""
    return [
        {"role": "system", "content": WRITER_SYSTEM},
        {"role": "user", "content": f"Question: {q}\nFacts:\n{facts.text}{tail}"},
    ]


@dataclass
class WriterPrompt:
    """What the writer gets for one answer: its messages, the copyable facts and the lead (and,
    at runtime, the sentences it may add after the lead: those true of these results)."""

    messages: list[dict[str, str]]
    facts: Facts
    lead: str
    tails: list[str] = field(default_factory=list)


def writer_prompt(
    question: str,
    results: Sequence[tuple[str, Mapping[str, Any]]],
    vocabulary: Set[str] = frozenset(),
) -> WriterPrompt:
    """The writer's prompt for this turn's results, with the decided lead (training and runtime
    both build it here; vocabulary: the catalog's words); the lead and its sentences join the
    spans an answer may copy."""
    facts = facts_for(question, results)
    said = lead(question, results, vocabulary)
    facts.spans |= {s for s in lead_sentences(said) if s.strip()}
    return WriterPrompt(writer_messages(question, facts, said), facts, said)
