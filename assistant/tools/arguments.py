"""The rules for tool-call arguments: what the shopper's words and the store can justify.

The fine-tuned model proposes; these rules veto what the shopper cannot have asked for (a brand
that is not a catalog brand named in the message, a price with no number in it, "under 500" read
as a minimum). Three callers ask them, one per stage of a call: constrained decoding (`Hints`,
`allowed_argument`: which arguments may be written at all), the runtime's repair of a decoded
call before contract validation (`repair_arguments`), and the agent's post-check against the
shown products and the catalog (`tools/postcheck.py`, on the `Catalog` names kept here). Prices,
ratings and brands are read by retrieval's query parser, the one the search box uses.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

from assistant.jsontypes import JsonObject
from finetune.format import ids_in_text
from retrieval.query_parse import Lexicon, build_lexicon, parse_query, words

# An order id as the store writes it (#W1234567); the rules plan and agent assist look it up.
ORDER_ID = re.compile(r"#?\b(W\d{5,})\b", re.I)
AMBIGUOUS_MIN_TITLES = 3  # a one-word brand seen as a word in this many titles is ambiguous
# an id: digits with letters / '#' (bb12, #W1234567, ORD-12345) or 4+ digits alone (123456)
ID_LIKE = re.compile(r"#?(?=[\w\-#]*\d)(?=[\w\-#]*[A-Za-z#]|\d{4,}$)[\w\-#]+")
_PRICE_TOKEN = re.compile(
    r"(?:₹|rs\.?)?\d+(?:\.\d+)?(?:k|rs|/-|\+|-\d+)?|\d+(?:\.\d+)?-\d+(?:\.\d+)?", re.I
)
_MONEY_WORDS = re.compile(r"₹|\brs\b|rupee|inr|price|budget|cost")


# --- the catalog names the rules accept ------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """The catalog names the checks accept (brands, category path parts, product ids known).

    One per catalog version (the app's state keeps the current one), so what is derived from
    the names is worked out once per catalog and kept on it.
    """

    brands: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    title_brands: tuple[str, ...] = ()  # the brand of each title (same order)

    @cached_property
    def lexicon(self) -> Lexicon:
        """Parser lexicon of the catalog; brands whose words are ordinary title words are left out."""
        brands = self.title_brands or ("",) * len(self.titles)
        title_words = Counter(
            w
            for t, b in zip(self.titles, brands, strict=False)
            for w in set(words(t)) - set(words(b))
        )  # words of titles, not counting a title's own brand name
        ambiguous = [b for b in self.brands if _ordinary(words(b), title_words)]
        return build_lexicon(self.brands, self.categories, ambiguous)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the catalog's titles, brands and category names (empty when the
        catalog is unknown): a word outside it cannot name something the store sells."""
        names = (*self.titles, *self.brands, *self.categories)
        return frozenset(w for name in names for w in words(name))


def _ordinary(brand: list[str], title_words: Counter[str]) -> bool:
    """A brand made of words that titles use as plain words ('Desi' ghee, 'Real' fruit juice)."""
    if not brand or len(brand) > 2:
        return False
    if len(brand) == 1:
        return title_words.get(brand[0], 0) >= AMBIGUOUS_MIN_TITLES
    return all(title_words.get(w, 0) >= AMBIGUOUS_MIN_TITLES * 4 for w in brand)


# --- decoding hints: which arguments the message can justify ----------------------------------


@dataclass
class Hints:
    """What the request and the store allow: numbers and ids the shopper gave, known names."""

    user_text: str = ""
    context_text: str = ""
    brands: list[str] | None = None
    categories: list[str] | None = None
    ids: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    @classmethod
    def from_conversation(
        cls,
        user_text: str,
        context_text: str,
        brands: list[str] | None = None,
        categories: list[str] | None = None,
    ) -> Hints:
        """Hints from the last user message and the whole conversation text."""
        ids = ids_in_text(context_text)
        numbers: list[str] = []
        for raw in user_text.split():
            tok = raw.strip(".,?!:;()[]\"'")
            if ID_LIKE.fullmatch(tok) and not _PRICE_TOKEN.fullmatch(tok):
                if tok not in ids:
                    ids.append(tok)
                continue
            if re.fullmatch(r"\d{5,}", tok) and tok not in ids:  # a bare order number
                ids.append(tok)
            for m in re.finditer(r"\d+(?:\.\d+)?", tok):
                if m.group(0) not in numbers:
                    numbers.append(m.group(0))
        return cls(user_text, context_text, brands, categories, ids, numbers)

    def brand_in_text(self) -> str | None:
        """The longest catalog brand named in the user's message, in catalog spelling."""
        low = self.user_text.lower()
        # a substring test first: a regex per brand (thousands) cost ~50 ms of every plan
        hits = [b for b in self.brands or [] if len(b) > 1 and _names(b.lower(), low)]
        return max(hits, key=len) if hits else None

    def category_in_text(self) -> str | None:
        """The longest catalog category named in the user's message."""
        low = self.user_text.lower()
        hits = [c for c in self.categories or [] if c and c.lower() in low]
        return max(hits, key=len) if hits else None


def _names(name: str, text: str) -> bool:
    """True when `name` occurs in `text` as whole words (no letter or digit on either side)."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (_alnum(before) or _alnum(after)):
            return True
        start = text.find(name, start + 1)
    return False


def _alnum(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9")


def allowed_argument(tool: str, arg: str, hints: Hints) -> bool:
    """Whether the message can justify this argument at all (used to constrain decoding)."""
    text = hints.user_text.lower()
    if arg in ("min_price", "max_price", "min_rating", "k"):
        return bool(hints.numbers)
    if arg == "brand" and hints.brands is not None:
        return hints.brand_in_text() is not None
    if arg == "category" and hints.categories is not None:
        return hints.category_in_text() is not None
    if arg == "in_stock":
        return "stock" in text or "available" in text
    if arg == "status" and tool == "list_my_orders":
        return any(w in text for w in ("pending", "process", "deliver", "cancel"))
    return True


# --- repair of a decoded call -----------------------------------------------------------------


def price_bounds(text: str) -> tuple[float | None, float | None]:
    """(min_price, max_price) stated in a message, as the query parser reads it; None when absent."""
    found = parse_query(text).filters  # the parser's price values are floats
    return cast(float | None, found.get("min_price")), cast(float | None, found.get("max_price"))


def rating_bound(text: str) -> float | None:
    """Minimum rating stated in a message ("4+ stars", "rated at least 4"), or None."""
    return cast(float | None, parse_query(text).filters.get("min_rating"))


def repair_arguments(tool: str, args: JsonObject, hints: Hints) -> JsonObject:
    """Arguments with unjustified values dropped and stated bounds taken from the message."""
    out = dict(args)
    if tool != "search_products":
        return out
    for arg in list(out):
        if not allowed_argument(tool, arg, hints):
            del out[arg]
    if "brand" in out and hints.brands is not None:
        out["brand"] = hints.brand_in_text() or out.pop("brand")
    lo, hi = price_bounds(hints.user_text)
    text = hints.user_text.lower()
    if lo is None and hi is None and not _MONEY_WORDS.search(text):
        out.pop("min_price", None)  # a bare number ("10 kombucha") is not a price
        out.pop("max_price", None)
    rating = rating_bound(hints.user_text)
    if rating is None and not re.search(r"star|rat(ed|ing)", text):
        out.pop("min_rating", None)
    if lo is not None or hi is not None:
        out.pop("min_price", None)
        out.pop("max_price", None)
        if lo is not None:
            out["min_price"] = lo
        if hi is not None:
            out["max_price"] = hi
    if rating is not None:
        out["min_rating"] = rating
    for key in ("min_price", "max_price", "min_rating"):
        if isinstance(out.get(key), float) and out[key].is_integer():
            out[key] = int(out[key])
    if isinstance(out.get("query"), str):
        out["query"] = clean_query(out["query"], out)
    return out


def clean_query(query: str, args: JsonObject) -> str:
    """The query without what its filters already say (the brand, the price numbers)."""
    q = query
    if args.get("brand"):
        q = re.sub(
            rf"(?<![a-z0-9]){re.escape(str(args['brand']).lower())}(?![a-z0-9])", " ", q, flags=re.I
        )
    for key in ("min_price", "max_price"):
        if args.get(key) is not None:
            num = f"{args[key]:g}" if isinstance(args[key], float) else str(args[key])
            q = re.sub(
                rf"(?:₹|rs\.?\s*)?(?<![\d.]){re.escape(num)}(?![\d.])\s*(?:rs|rupees)?",
                " ",
                q,
                flags=re.I,
            )
    q = " ".join(q.split()).strip(" -,")
    return q or query
