"""Grounding check: every product id, title, price, rating and order fact in an answer must
come from this turn's tool results. Pure functions over plain data (no database, no model).

Answers cite products and orders in square brackets: ``Cello Water Bottle, ₹180 [12]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

QUOTABLE_CHARS = 40
# shown_price: the price a cart change reports as the one shown before it changed
PRICE_KEYS = frozenset(
    {"price", "sale_price", "market_price", "mrp", "total", "amount", "shown_price"}
)
STATUS_WORDS = (
    "pending",
    "processed",
    "delivered",
    "cancelled",
    "canceled",
    "shipped",
    "returned",
    "refunded",
    "return requested",
    "exchange requested",
)
# Words that do not name a product: a citation's lead-in may use them freely.
_FILLER = frozenset(
    """a an the this that these those it its one ones and or of for with in on at to from by is
    are was were be here there you your i we our my me can could would like try option options
    also about only just very more most less cheaper cheapest best better good great nice top
    pick picks first second third fourth fifth last next other another price priced costs cost
    rated rating stars star review reviews product products item items recommend recommended
    suggest available in-stock stock out buy see show shows showing found find result results
    rs inr usd id no number order orders match matches matching similar alternative alternatives
    which what how why yes not but so if as has have had do does""".split()
)

_CITE = re.compile(r"\[([^\[\]\s]{1,64})\]")
_NUM = r"(\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MONEY = re.compile(
    rf"(?:₹|\$|€|£|\bRs\.?|\bINR|\bUSD|\bEUR)\s?{_NUM}|{_NUM}\s?(?:₹|\bINR\b|\brupees?\b|\bRs\b|\bUSD\b|\bdollars?\b)",
    re.IGNORECASE,
)
_RATING = re.compile(
    rf"{_NUM}\s?(?:★|\bstars?\b|/\s?5\b|\bout of 5\b)|\brat(?:ed|ing)(?:\s+of|\s+is|:)?\s+{_NUM}",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"{_NUM}\s?%")
_ORDER_ID = re.compile(r"#[A-Za-z]*\d[A-Za-z0-9]{3,}")
_PRODUCT_REF = re.compile(
    r"\b(?:product|item|id)\s*(?:id\s*)?(?:#|no\.?\s*)?:?\s*(\d{1,20})\b", re.I
)
_WORD = re.compile(r"[a-z0-9]+")
# Sentence ends: ., ! or ? then space, but not after "Rs." / "No." / "e.g." (prices follow).
_SPLIT = re.compile(r"(?<!\bRs\.)(?<!\bNo\.)(?<!e\.g\.)(?<=[.!?])\s+|\n+")


@dataclass
class ProductFact:
    """What the tool results say about one product."""

    product_id: str
    title: str = ""
    brand: str = ""
    prices: set[float] = field(default_factory=set)
    ratings: set[float] = field(default_factory=set)


@dataclass
class OrderFact:
    """What the tool results say about one order."""

    order_id: str
    status: str = ""
    amounts: set[float] = field(default_factory=set)


@dataclass
class Evidence:
    """Everything this turn's tool results state, in checkable form."""

    products: dict[str, ProductFact] = field(default_factory=dict)
    orders: dict[str, OrderFact] = field(default_factory=dict)
    prices: set[float] = field(default_factory=set)
    ratings: set[float] = field(default_factory=set)
    numbers: set[float] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)  # passages (normalised) that may be quoted

    def ids(self) -> set[str]:
        """Every citable id (products and orders, orders also without their '#')."""
        return set(self.products) | set(self.orders) | {o.lstrip("#") for o in self.orders}


@dataclass
class SentenceCheck:
    """One sentence of an answer and why it is not grounded (empty when it is)."""

    text: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing in the sentence contradicts or exceeds the evidence."""
        return not self.problems


@dataclass
class GroundingReport:
    """Result of checking an answer: per-sentence verdicts and the cited ids."""

    sentences: list[SentenceCheck]
    cited_ids: list[str]

    @property
    def ok(self) -> bool:
        """True when every sentence is grounded."""
        return all(s.ok for s in self.sentences)

    @property
    def problems(self) -> list[str]:
        """All problems, in order."""
        return [p for s in self.sentences for p in s.problems]


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return _num(value.strip().lstrip("₹$"))
        except ValueError:
            return None
    return None


def _walk(node: Any, ev: Evidence) -> None:
    """Collect facts from any nesting of dicts and lists (tool results vary in shape)."""
    if isinstance(node, Mapping):
        pid = node.get("product_id", node.get("id"))
        title = node.get("title") or node.get("name")
        oid = node.get("order_id")
        if oid is not None and (node.get("status") is not None or "items" in node):
            order = ev.orders.setdefault(str(oid), OrderFact(str(oid)))
            order.status = str(node.get("status") or order.status)
            for key in ("total", "amount"):
                val = _as_float(node.get(key))
                if val is not None:
                    order.amounts.add(val)
        elif pid is not None and title:
            fact = ev.products.setdefault(str(pid), ProductFact(str(pid)))
            fact.title = fact.title or str(title)
            fact.brand = fact.brand or str(node.get("brand") or "")
            for key in PRICE_KEYS:
                val = _as_float(node.get(key))
                if val is not None:
                    fact.prices.add(val)
            rating = _as_float(node.get("rating"))
            if rating is not None:
                fact.ratings.add(rating)
        elif pid is not None:
            ev.products.setdefault(str(pid), ProductFact(str(pid)))
        for key, value in node.items():
            val = _as_float(value) if not isinstance(value, str) else None
            if val is not None:
                ev.numbers.add(val)
                if key in PRICE_KEYS:
                    ev.prices.add(val)
                elif key == "rating":
                    ev.ratings.add(val)
            elif isinstance(value, Mapping | list | tuple):
                _walk(value, ev)
            elif isinstance(value, str):
                # a percent stated in text ("size 60%", "10% off") is a figure the answer may repeat
                ev.numbers.update(_num(m.group(1)) for m in _PERCENT.finditer(value))
                if len(value) >= QUOTABLE_CHARS:
                    ev.texts.append(" ".join(words(value)))
    elif isinstance(node, list | tuple):
        for item in node:
            _walk(item, ev)


def evidence_from_results(results: Iterable[Any]) -> Evidence:
    """Evidence from this turn's tool results (any JSON-like shapes)."""
    ev = Evidence()
    for result in results:
        _walk(result, ev)
    for fact in ev.products.values():
        ev.prices |= fact.prices
        ev.ratings |= fact.ratings
    return ev


def split_sentences(text: str) -> list[str]:
    """Sentences and lines of an answer (prices like 'Rs. 20' do not end a sentence)."""
    return [s.strip() for s in _SPLIT.split(text or "") if s and s.strip()]


def words(text: str) -> list[str]:
    """Lower-case alphanumeric tokens."""
    return _WORD.findall(text.lower())


def _close(value: float, allowed: Iterable[float], tol: float = 0.011) -> bool:
    return any(abs(value - a) <= tol for a in allowed)


def _title_mismatch(segment: str, fact: ProductFact) -> bool:
    """True when the words before a citation name something other than the cited product."""
    said = words(_MONEY.sub(" ", _RATING.sub(" ", segment)))
    seg = {w for w in said if w not in _FILLER and not w.isdigit()}
    if len(seg) < 2 or not fact.title:
        return False
    title = words(fact.title)
    if said[-len(title) :] == title:  # the title right before its id ("I'd go for Tea [3763]")
        return False
    ref = set(words(fact.title)) | set(words(fact.brand))
    return len(seg & ref) / len(seg) < 0.34


def _catalog_title_hits(sentence: str, catalog_titles: Iterable[str]) -> list[str]:
    low = " ".join(words(sentence))
    return [t for t in catalog_titles if t and len(t.split()) >= 2 and f" {t} " in f" {low} "]


def _without_titles(sentence: str, ev: Evidence) -> str:
    """The sentence with the titles of the results' products blanked out where it quotes them."""
    for fact in ev.products.values():
        if fact.title and len(fact.title) >= 4:
            sentence = re.sub(re.escape(fact.title), " ", sentence, flags=re.IGNORECASE)
    return sentence


def check_sentence(
    sentence: str, ev: Evidence, catalog_titles: Iterable[str] = ()
) -> SentenceCheck:
    """Check one sentence against the evidence; catalog_titles (normalised) catch named products."""
    out = SentenceCheck(sentence)
    norm = " ".join(words(sentence))
    if len(norm) >= 20 and not _CITE.search(sentence) and any(norm in t for t in ev.texts):
        return out  # quoted from a tool result (a policy passage, a description)
    ids = ev.ids()
    cited = _CITE.findall(sentence)
    cited_products = [ev.products[c] for c in cited if c in ev.products]
    for c in cited:
        if c not in ids:
            out.problems.append(f"cites unknown id [{c}]")
    for m in _PRODUCT_REF.finditer(sentence):
        if m.group(1) not in ids:
            out.problems.append(f"names unknown product {m.group(1)}")
    # A title before a citation must belong to that citation.
    pos = 0
    for m in _CITE.finditer(sentence):
        fact = ev.products.get(m.group(1))
        segment = re.split(r"[;:|•]|\s[-–—]\s|,\s(?=[A-Z])", sentence[pos : m.start()])[-1]
        if fact is not None and _title_mismatch(segment, fact):
            out.problems.append(f"words before [{fact.product_id}] do not match its title")
        pos = m.end()
    cited_orders = [
        ev.orders[o] for o in ev.orders if o in sentence or f"[{o.lstrip('#')}]" in sentence
    ]
    price_pool = (
        {p for f in cited_products for p in f.prices} | {a for o in cited_orders for a in o.amounts}
        if (cited_products or cited_orders)
        else ev.prices | {a for o in ev.orders.values() for a in o.amounts}
    )
    # numbers inside a result's own title ("5 Star Oreo Chocolate Bar") name it: no claim
    facts = _without_titles(sentence, ev)
    for m in _MONEY.finditer(facts):
        value = _num(next(g for g in m.groups() if g))
        if not _close(value, price_pool):
            out.problems.append(f"price {value:g} not in tool results")
    rating_pool = {r for f in cited_products for r in f.ratings} if cited_products else ev.ratings
    for m in _RATING.finditer(facts):
        value = _num(next(g for g in m.groups() if g))
        if not _close(value, rating_pool, 0.051):
            out.problems.append(f"rating {value:g} not in tool results")
    for m in _PERCENT.finditer(facts):
        value = _num(m.group(1))
        if not any(abs(value - n * 100) <= 0.5 or abs(value - n) <= 0.05 for n in ev.numbers):
            out.problems.append(f"figure {value:g}% not in tool results")
    known_orders = {o.lstrip("#").lower() for o in ev.orders}
    for m in _ORDER_ID.finditer(sentence):
        if m.group(0).lstrip("#").lower() not in known_orders:
            out.problems.append(f"order {m.group(0)} not in tool results")
    low = sentence.lower()
    for order in cited_orders:
        said = [w for w in STATUS_WORDS if re.search(rf"\b{w}\b", low)]
        if said and order.status and not any(w == order.status.lower() for w in said):
            out.problems.append(f"status of {order.order_id} is {order.status}, not {said[0]}")
    if catalog_titles:
        known = {" ".join(words(f.title)) for f in ev.products.values()}
        for title in _catalog_title_hits(sentence, catalog_titles):
            if not any(title in k for k in known):
                out.problems.append(f"names product {title!r} not in tool results")
    return out


def check(answer: str, ev: Evidence, catalog_titles: Iterable[str] = ()) -> GroundingReport:
    """Check every sentence of an answer; also lists the ids it cites (known ones, in order)."""
    titles = list(catalog_titles)
    sentences = [check_sentence(s, ev, titles) for s in split_sentences(answer)]
    ids = ev.ids()
    cited: list[str] = []
    for c in _CITE.findall(answer or ""):
        if c in ev.products and c in ids and c not in cited:
            cited.append(c)
    return GroundingReport(sentences, cited)


def repair(
    answer: str, ev: Evidence, catalog_titles: Iterable[str] = ()
) -> tuple[str, GroundingReport]:
    """Drop every ungrounded sentence; returns the repaired text and the original report."""
    report = check(answer, ev, catalog_titles)
    kept = [s.text for s in report.sentences if s.ok]
    return "\n".join(kept) if "\n" in (answer or "") else " ".join(kept), report


def cited_ids(text: str, ev: Evidence) -> list[str]:
    """Product ids cited in text that the evidence knows, first-cited first."""
    return check(text, ev).cited_ids


def normalise_titles(titles: Iterable[str]) -> list[str]:
    """Catalog titles in the form check() compares against (lower-case words joined by spaces)."""
    return sorted({" ".join(words(t)) for t in titles if len(words(t)) >= 2}, key=len, reverse=True)
