"""Products shown earlier in a conversation, and what "the second one" / "the Cello one" means.

Pure functions over plain product cards (dicts with product_id, title, brand, price, rating).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from assistant.agent import choice
from assistant.agent.grounding import words
from assistant.agent.positions import NUMBER_WORDS, ordinal_positions, position_index
from assistant.services.records import ProductCard
from assistant.tools.arguments import ORDER_ID
from assistant.tools.contract import ToolCall

# "the cheaper one", "the best rated of them": a shown product named by a fact it has
_FACT_REF = re.compile(
    r"\bthe\s+(?:cheaper|cheapest|pricier|priciest|costlier|(?:more|most|less)\s+expensive|"
    r"(?:higher|highest|best|better|top)[\s-]rated)(?:\s+(?:one|option|of)\b|\s*[?.!]*$)",
    re.IGNORECASE,
)
# "the ₹62 one", "the 129 rupee one": a shown product named by its price
_PRICE_REF = re.compile(
    r"(?:₹|\brs\.?|\binr)\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:rupees?\b|rs\b|/-|inr\b)"
    r"|\bthe\s+(\d+(?:\.\d+)?)\s+(?:one|rupee)|\b(\d{2,}(?:\.\d+)?|\d+\.\d+)\b",
    re.IGNORECASE,
)  # a bare number counts only when it is exactly a shown price
_PRICE_BOUND = re.compile(
    r"\b(?:under|below|above|over|less\s+than|more\s+than|up\s*to|within|between|max|min|budget)\b",
    re.IGNORECASE,
)  # "under 300 rupees" is a price filter, not the shown product that costs 300
# a choice among some of the shown products ("of the first two", "the Dove or the Dabur one");
# "which of them" is a choice among all of them
_COUNTED = re.compile(r"\b(?:first|top|last)\s+(?:two|three|four|\d)\b|\bor\b|\bboth\b", re.I)
_PLURAL_RE = re.compile(
    r"\b(?:these|those|them)\s+(two|three|four|five|\d)\b"  # "of these 3": all three
    r"|\b(?:both|these|those|them|the\s+(two|three|four|five)|all\s+(?:of\s+)?(?:them|these|those|(two|three|four|five)))\b"
    r"|\b(?:first|top)\s+(two|three|four|five|\d)\b",
    re.IGNORECASE,
)
# "of those", "among them (three)": after an ordinal, the list the one named is taken from
_PARTITIVE = re.compile(
    r"\b(?:of|among|from)\s+(?:these|those|them|the\s+(?:list|lot|results|two|three|four|five))"
    r"(?:\s+(?:two|three|four|five|\d))?\b",
    re.IGNORECASE,
)
# Words a reference to a shown product may use besides the product's own title words.
_REFERRING = frozenset(
    """a an the one ones it its this that these those is are was in on of for to and or with me
    my i you your please pls more about details detail tell show info information stock price
    cost costs much how what which why is there any available buy add cart get want like similar
    compare comparison versus vs than better best cheaper good chance likely probability would
    should can could do does did recommend recommended suggest suggested explain pick picked
    ingredients describe description size sizes rating ratings reviews review option kind
    variant version""".split()
)
MAX_SHOWN = 20
MAX_FOR_MODEL = 6


@dataclass
class ShownProducts:
    """Products shown so far: the latest list (for ordinals) and everything (for names)."""

    latest: list[ProductCard] = field(default_factory=list)
    all: list[ProductCard] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)  # order ids the conversation mentioned
    latest_orders: list[str] = field(default_factory=list)  # the last message's orders, if any
    prices: dict[str, float] = field(default_factory=dict)  # the price each was shown at
    in_cart: list[str] = field(default_factory=list)  # the products in the shopper's cart now
    # cart items this conversation never showed or named: known by name for cart changes only
    cart_only: set[str] = field(default_factory=set)
    cart_focus: list[str] = field(default_factory=list)  # what the last cart change was about
    last_call: str | None = None  # the tool the last answer came from ("and the third one too")

    def note_text(self, text: str) -> None:
        """Record the order ids an earlier message mentions (ids a later call may use); a
        message that lists orders makes them the list "the second one" refers to."""
        said = list(dict.fromkeys("#" + m.group(1).upper() for m in ORDER_ID.finditer(text or "")))
        self.orders += [o for o in said if o not in self.orders]
        if said:
            self.latest_orders = said

    def referred_order(self, text: str) -> str | None:
        """The order of the latest order list that text names by position ("the second one")."""
        if not self.latest_orders:
            return None
        at = ordinal_positions(text)
        if not at and len(self.latest_orders) == 1 and re.search(r"\b(it|that one)\b", text, re.I):
            at = [1]
        idx = position_index(at[0], len(self.latest_orders)) if at else -1
        return self.latest_orders[idx] if idx >= 0 else None

    def add_list(self, cards: Sequence[ProductCard]) -> None:
        """Record one answer's products, in the order shown."""
        cards = [c for c in cards if c.get("product_id")]
        if not cards:
            return
        self.latest, self.latest_orders = list(cards), []
        seen = {c["product_id"] for c in cards}
        self.cart_only -= seen
        self.all = (list(cards) + [c for c in self.all if c["product_id"] not in seen])[:MAX_SHOWN]

    def add_seen(self, cards: Sequence[ProductCard]) -> None:
        """Record products named without a list to pick from (a cart change, the cart's items):
        known by name, while "the second one" still counts in the latest list."""
        cards = [c for c in cards if c.get("product_id")]
        seen = {c["product_id"] for c in cards}
        self.cart_only -= seen
        self.all = (list(cards) + [c for c in self.all if c["product_id"] not in seen])[:MAX_SHOWN]

    def ids(self) -> list[str]:
        """Every shown product id, latest first."""
        return [c["product_id"] for c in self.all]

    def referred_to(self, text: str) -> list[str]:
        """Ids of the shown products that text refers to, in the order referred to."""
        return resolve_references(text, self)

    def choice_among(self, text: str, vocabulary: Set[str] = frozenset()) -> list[str]:
        """Ids of the shown products a choice question is about ("which one would you
        recommend?", "the cheaper one"): the ones it names, else the latest list; empty when
        text is not such a question or fewer than two products are on the screen. vocabulary:
        the catalog's words; a word outside it is chatter, not a product asked for."""
        latest = self.latest or self.all
        if len(latest) < 2 or not choice.asks_among(text, latest, vocabulary):
            return []
        if len(ordinal_positions(text)) == 1 and not names_several(text):
            return []  # "which company makes the second one?": a question about that one
        pointed = choice.refers_to_shown(text) or choice.telling_words(text, latest)
        if choice.foreign_words(text, latest, vocabulary) and not pointed:
            return []  # it names a product the list does not have: a new request
        several = _COUNTED.search(text) or len(ordinal_positions(text)) >= 2
        named = resolve_references(text, self) if several else []
        if len(named) >= 2:  # "which of the first two": those, in the order shown
            place = {c["product_id"]: i for i, c in enumerate(latest)}
            return sorted(named, key=lambda pid: place.get(pid, len(place)))[:5]
        return [c["product_id"] for c in latest[:5]]

    def for_model(self) -> str:
        """A compact numbered list of the latest products for the model's context."""
        lines = []
        for i, c in enumerate(self.latest[:MAX_FOR_MODEL], 1):
            price = (
                f", {c['price']:g} {c.get('currency') or ''}".rstrip()
                if c.get("price") is not None
                else ""
            )
            brand = f" ({c['brand']})" if c.get("brand") else ""
            lines.append(f"{i}. [{c['product_id']}] {c.get('title', '')}{brand}{price}")
        return "\n".join(lines)


def _plural_count(text: str, default: int) -> int | None:
    if ordinal_positions(text):  # "the first of those (three)" names one of them, not them
        text = _PARTITIVE.sub(" ", text)
    m = _PLURAL_RE.search(text)
    if not m:
        return None
    n = next((g for g in m.groups() if g), None)
    if n is None:
        return default
    return int(n) if n.isdigit() else NUMBER_WORDS[n.lower()]


def _by_name(text: str, cards: Iterable[ProductCard]) -> list[str]:
    """Cards whose brand is named, else the card whose distinctive title words are named."""
    toks = set(words(text))
    low = " " + " ".join(words(text)) + " "
    cards = list(cards)
    branded = [
        c["product_id"]
        for c in cards
        if c.get("brand") and f" {' '.join(words(c['brand']))} " in low
    ]
    if branded:
        return branded
    # Else the card with the most title words named that no other shown title has ("the Dark
    # Fantasy one" among biscuits), provided it is the only one with that many.
    titles = {
        c["product_id"]: {w for w in words(c.get("title", "")) if len(w) > 2 and not w.isdigit()}
        for c in cards
    }
    counts: dict[str, int] = {}
    for t in titles.values():
        for w in t:
            counts[w] = counts.get(w, 0) + 1
    vocab = set(counts) | _REFERRING
    if any(w not in vocab and not w.isdigit() for w in toks):
        return []  # words beyond the shown titles: a new request, not a reference
    scored = sorted(
        ((sum(1 for w in t & toks if counts[w] == 1), pid) for pid, t in titles.items()),
        reverse=True,
    )
    if scored and scored[0][0] >= 1 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return [scored[0][1]]
    return []


def resolve_references(text: str, shown: ShownProducts) -> list[str]:
    """Product ids that text refers to among shown products, in the order referred to."""
    if not shown.all:
        return []
    ids: list[str] = []
    latest = shown.latest or shown.all
    for pos in ordinal_positions(text):
        idx = position_index(pos, len(latest))
        if idx >= 0:
            ids.append(latest[idx]["product_id"])
    if not ids and _FACT_REF.search(text):
        picked = choice.pick(text, latest)
        ids = [str(picked.card["product_id"])] if picked else []
    if not ids and not _PRICE_BOUND.search(text):
        prices = [float(next(g for g in m.groups() if g)) for m in _PRICE_REF.finditer(text)]
        ids = [c["product_id"] for p in prices for c in latest if c.get("price") == p]
    if not ids:
        ids = _by_name(text, shown.all)
    if len(ids) < 2:
        count = _plural_count(text, default=min(2, len(latest)))
        if count and count >= 2:
            ids = ids + [c["product_id"] for c in latest[:count] if c["product_id"] not in ids]
            ids = ids[: max(count, len(ids))]
    if (
        not ids
        and re.search(r"\b(it|this one|that one|this|that)\b", text, re.I)
        and len(latest) == 1
    ):
        ids = [latest[0]["product_id"]]
    return list(dict.fromkeys(ids))


_PRONOUN = re.compile(r"\b(it|that|this|them|those|these)\b", re.I)


def _singular(text: str, cards: Iterable[ProductCard]) -> str:
    """Plurals read as the singular a shown title uses ("the Amul bars": bar)."""
    vocab = {w for c in cards for w in words(c.get("title", ""))}

    def one(m: re.Match[str]) -> str:
        word = m.group(0).lower()
        if word in vocab:
            return m.group(0)
        return next((cut for cut in (word[:-1], word[:-2]) if cut in vocab), m.group(0))

    return re.sub(r"[A-Za-z]+s\b", one, text)


def _single_out(text: str, ids: list[str], shown: ShownProducts, in_cart_first: bool) -> list[str]:
    """Among several products named, the one whose own title words (not its brand) the text
    names most, those in the cart first when changing it; all of them when that does not decide."""
    if in_cart_first:
        carted = [i for i in ids if i in shown.in_cart]
        if len(carted) == 1:
            return carted
        ids = carted or ids
    toks = set(words(text))
    cards = {c["product_id"]: c for c in shown.all}
    scored = sorted(
        (
            (len(toks & (set(words(cards[i]["title"])) - set(words(cards[i]["brand"])))), i)
            for i in ids
            if i in cards
        ),
        reverse=True,
    )
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return [scored[0][1]]
    return ids


def names_several(text: str) -> bool:
    """True when text means several products ("both", "the first two", "1st and 3rd")."""
    return _plural_count(text, 2) is not None or len(ordinal_positions(text)) > 1


def _all_named(text: str, shown: ShownProducts) -> list[str]:
    """Shown products whose title and brand hold every word text names ("the shampoo" when two
    shampoos were shown)."""
    said = {w for w in words(text) if w not in _REFERRING and not w.isdigit()}
    if not said:
        return []
    return [
        c["product_id"]
        for c in shown.all
        if said <= set(words(c.get("title", ""))) | set(words(c.get("brand", "")))
    ]


def cart_references(text: str, shown: ShownProducts, in_cart_first: bool = False) -> list[str]:
    """The products a cart request (its cart phrasing already taken out) is about: ordinals and
    names among the shown products (plurals read as singular; one product when the words, or
    the cart, single it out), else "it" / "those": what the last cart change was about, or the
    one product shown last."""
    text = _singular(text, shown.all)
    ids = resolve_references(text, shown) or _all_named(text, shown)
    if len(ids) > 1 and not names_several(text):
        ids = _single_out(text, ids, shown, in_cart_first)
    if not ids and _PRONOUN.search(text):
        if shown.cart_focus:
            ids = list(shown.cart_focus)
        elif len(shown.latest) == 1:
            ids = [shown.latest[0]["product_id"]]
    return ids


@dataclass
class PastTurn:
    """One earlier exchange: what the shopper wrote, the answer, its first call, its products."""

    user: str
    answer: str
    call: ToolCall | None = None
    cards: list[ProductCard] = field(default_factory=list)


HISTORY_TURNS = 2
HISTORY_CHARS = 300
_CARD_KEYS = ("product_id", "title", "brand", "price", "rating", "in_stock")


def history_for_model(turns: Sequence[PastTurn]) -> list[BaseMessage]:
    """The last turns as the fine-tune saw them: a turn that listed products is replayed as its
    tool call and a compact tool result, so "the second one" can be read off the list."""
    out: list[BaseMessage] = []
    for i, t in enumerate(turns[-HISTORY_TURNS:]):
        out.append(HumanMessage(t.user[:HISTORY_CHARS]))
        if t.call and t.cards:
            call_id = f"past_{i}"
            out.append(
                AIMessage(
                    "",
                    tool_calls=[
                        {
                            "name": t.call["name"],
                            "args": t.call.get("arguments") or {},
                            "id": call_id,
                        }
                    ],
                )
            )
            compact = [
                {k: c.get(k) for k in _CARD_KEYS if c.get(k) is not None}
                for c in t.cards[:MAX_FOR_MODEL]
            ]
            out.append(
                ToolMessage(
                    json.dumps({"products": compact}, ensure_ascii=False), tool_call_id=call_id
                )
            )
            out.append(AIMessage(f"Here are {len(compact)} options."))
        else:
            out.append(AIMessage(t.answer[:HISTORY_CHARS]))
    return out
