"""The rules for tool-call arguments: what the shopper's words and the store can justify.

The fine-tuned model proposes; these rules veto what the shopper cannot have asked for (a brand
that is not a catalog brand named in the message, a price with no number in it, "under 500" read
as a minimum, a product id nobody showed). Three callers ask them, one per stage of a call:
constrained decoding (`Hints`, `allowed_argument`: which arguments may be written at all), the
runtime's repair of a decoded call before contract validation (`repair_arguments`), and the
agent's post-check against the shown products and the catalog (`check_call`). Prices, ratings
and brands are read by retrieval's query parser, the one the search box uses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, cast

from finetune.format import ids_in_text
from retrieval.query_parse import Lexicon, build_lexicon, parse_query, words

# An order id as the store writes it (#W1234567); the rules plan and agent assist look it up.
ORDER_ID = re.compile(r"#?\b(W\d{5,})\b", re.I)
PRODUCT_ID_TOOLS = (
    "get_product",
    "similar_products",
    "explain_recommendation",
    "predict_purchase",
    "add_to_cart",
    "update_cart_item",
    "remove_from_cart",
)
_COUNT_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve dozen couple pair another "
    "more".split()
)
# Calls that misread a question choosing among the shown products as a new request.
CHOICE_MISREADS = ("recommend_for_user", "predict_purchase", "explain_recommendation",
                   "search_products", "similar_products")  # fmt: skip
ORDER_STATUSES = ("pending", "processed", "delivered", "cancelled")
AMBIGUOUS_MIN_TITLES = 3  # a one-word brand seen as a word in this many titles is ambiguous
FILTER_KEYS = frozenset({"min_price", "max_price", "min_rating", "brand", "in_stock"})
_STOCK = re.compile(r"\b(in[\s-]?stock|available)\b", re.I)
# an id: digits with letters / '#' (bb12, #W1234567, ORD-12345) or 4+ digits alone (123456)
_ID_LIKE = re.compile(r"#?(?=[\w\-#]*\d)(?=[\w\-#]*[A-Za-z#]|\d{4,}$)[\w\-#]+")
_PRICE_TOKEN = re.compile(
    r"(?:₹|rs\.?)?\d+(?:\.\d+)?(?:k|rs|/-|\+|-\d+)?|\d+(?:\.\d+)?-\d+(?:\.\d+)?", re.I
)
_ID_TOKEN = re.compile(r"[A-Za-z0-9#_\-]+")
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
            if _ID_LIKE.fullmatch(tok) and not _PRICE_TOKEN.fullmatch(tok):
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
        low = f" {self.user_text.lower()} "
        hits = [
            b
            for b in self.brands or []
            if len(b) > 1 and re.search(rf"(?<![a-z0-9]){re.escape(b.lower())}(?![a-z0-9])", low)
        ]
        return max(hits, key=len) if hits else None

    def category_in_text(self) -> str | None:
        """The longest catalog category named in the user's message."""
        low = self.user_text.lower()
        hits = [c for c in self.categories or [] if c and c.lower() in low]
        return max(hits, key=len) if hits else None


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


def repair_arguments(tool: str, args: dict[str, Any], hints: Hints) -> dict[str, Any]:
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


def clean_query(query: str, args: dict[str, Any]) -> str:
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


# --- the post-check: the call against the text, the catalog and the shown products ------------

_CUES = re.compile(
    r"^(?:(?:under|below|above|over|within|upto|up to|less than|more than|cheaper than|between|"
    r"max|min|rated|with|at least|for|in|by|from)\b\s*)+|"
    r"(?:\s*\b(?:under|below|above|over|within|upto|up to|less than|more than|cheaper than|"
    r"between|max|min|rated|rating|stars?|with|at least|for|and|or|in|by|from|rs|inr|rupees)\b)+$",
    re.I,
)


class Shown(Protocol):
    """The products shown earlier in the conversation, as the post-check reads them."""

    @property
    def latest(self) -> Sequence[Mapping[str, Any]]:
        """The latest list of shown product cards (read only here)."""
        ...

    def ids(self) -> list[str]:
        """Every shown product id."""
        ...

    @property
    def orders(self) -> Sequence[str]:
        """Order ids the conversation mentioned before this message."""
        ...

    def referred_to(self, text: str) -> list[str]:
        """Ids of the shown products that text refers to ("the second one"), in order."""
        ...

    def choice_among(self, text: str) -> list[str]:
        """Ids of the shown products a choice question ("which one?") is about; [] if none."""
        ...


class ImplausibleCall(ValueError):
    """A call the text cannot support (a product id nobody mentioned, a handoff for a product
    search); the agent answers with its deterministic plan instead."""


def _tidy_query(query: str) -> str:
    """The query without filter cue words left dangling at its ends ("face wash below")."""
    tidy = _CUES.sub("", query.strip(" ,.?!")).strip(" ,.?!")
    return tidy or query.strip()


def _shopping_filters(text: str, catalog: Catalog) -> bool:
    """True when the text states a price, rating or brand filter (a product search)."""
    found = parse_query(text, catalog.lexicon).filters
    return any(k in found for k in ("min_price", "max_price", "min_rating", "brand"))


def _shares_words(query: str, text: str) -> bool:
    """True when some query word (or its first 4 letters, for typo fixes) is in the text."""
    said = set(words(text))
    stems = {w[:4] for w in said if len(w) >= 4}
    return any(w in said or (len(w) >= 4 and w[:4] in stems) for w in words(query))


def _named(text: str, name: str) -> bool:
    """True when every word of name occurs in text."""
    toks = set(words(text))
    return bool(words(name)) and all(w in toks for w in words(name))


def _canonical(value: str, options: tuple[str, ...]) -> str | None:
    low = value.strip().casefold()
    return next((o for o in options if o.casefold() == low), None)


def check_search(args: dict[str, Any], text: str, catalog: Catalog) -> dict[str, Any]:
    """search_products arguments: filters only where the text states them, values from the text."""
    parsed = parse_query(text, catalog.lexicon)
    found = parsed.filters
    out = {k: v for k, v in args.items() if v is not None}
    query = str(out.get("query") or "").strip()
    if not query or not _shares_words(query, text):
        query = parsed.text or text.strip()  # a query must come from what the shopper wrote
    in_query = parse_query(query, catalog.lexicon)
    if in_query.text and set(in_query.filters) & FILTER_KEYS:
        query = in_query.text  # filter phrases ("under 300", the brand) are filters, not words
    out["query"] = _tidy_query(query)[:200]
    for key in ("min_price", "max_price", "min_rating"):
        if key in found:
            out[key] = float(cast(float, found[key]))
        else:
            out.pop(key, None)
    if "max_price" in out and "min_price" in out and out["min_price"] > out["max_price"]:
        out["min_price"], out["max_price"] = out["max_price"], out["min_price"]
    if found.get("brand"):
        out["brand"] = found["brand"]
    elif out.get("brand"):
        brand = _canonical(str(out["brand"]), catalog.brands)
        if brand and _named(text, brand):
            out["brand"] = brand
        else:
            out.pop("brand")
    if out.get("category"):
        cat = _canonical(str(out["category"]).split(">")[-1], catalog.categories)
        if cat and _named(text, cat):
            out["category"] = cat
        elif found.get("category"):
            out["category"] = str(found["category"]).split(" > ")[-1]
        else:
            out.pop("category")
    if out.get("in_stock") is not None and not _STOCK.search(text):
        out.pop("in_stock")
    if out.get("k") is not None and str(out["k"]) not in words(text):
        out.pop("k")
    return out


def _order_status(text: str) -> str | None:
    """The order status the text names, in the contract's spelling."""
    said = words(text)
    return next(
        (st for st in ORDER_STATUSES if st in said or (st == "cancelled" and "canceled" in said)),
        None,
    )


def check_call(
    name: str, args: dict[str, Any], text: str, shown: Shown, catalog: Catalog
) -> dict[str, Any]:
    """The call's arguments after checking them against the text and the shown products;
    ImplausibleCall when the call itself cannot be what the shopper asked for, or when an
    argument holds an id that neither the shopper nor the conversation gave."""
    args = dict(args or {})
    if name in ("handoff_to_human", "search_policy", "get_product") and _shopping_filters(
        text, catalog
    ):
        raise ImplausibleCall(f"{name} for a request with product filters")
    if name in CHOICE_MISREADS and shown.choice_among(text):
        raise ImplausibleCall(f"{name} for a choice among the products shown")
    if name == "get_order_status":  # an id typed now or said before; "last_order" is none
        typed = [t for t in _ID_TOKEN.findall(text) if _ID_LIKE.fullmatch(t)]
        known = {o.lstrip("#").upper() for o in [*shown.orders, *typed]}
        if str(args.get("order_id") or "").lstrip("#").upper() not in known:
            raise ImplausibleCall(f"order id {args.get('order_id')!r} is not in the conversation")
        return args
    if name == "search_products":
        return check_search(args, text, catalog)
    if name == "list_my_orders":
        status = _order_status(text)
        if status:
            args["status"] = status
        else:
            args.pop("status", None)  # a status filter the shopper did not ask for
        return args
    if name == "recommend_for_user":
        if args.get("category"):
            cat = _canonical(str(args["category"]).split(">")[-1], catalog.categories)
            if cat and _named(text, cat):
                args["category"] = cat
            else:
                args.pop("category")  # a category the shopper did not name narrows for no reason
        if args.get("k") is not None and str(args["k"]) not in words(text):
            args.pop("k")
        return args
    refs = shown.referred_to(text)
    if name in PRODUCT_ID_TOOLS:
        pid = str(args.get("product_id") or "")
        if refs and pid not in refs:
            args["product_id"] = refs[0]
        elif not pid and shown.latest and len(shown.latest) == 1:
            args["product_id"] = shown.latest[0]["product_id"]
        elif pid not in set(shown.ids()) | set(_ID_TOKEN.findall(text)):
            raise ImplausibleCall(f"product id {pid!r} was neither shown nor mentioned")
        if name == "add_to_cart" and args.get("quantity") is not None:
            said = set(words(text))
            if str(args["quantity"]) not in said and not said & _COUNT_WORDS:
                args.pop("quantity")  # a count the shopper did not give: one
    elif name == "compare_products":
        ids = [str(i) for i in args.get("product_ids") or []]
        if len(refs) >= 2 and set(ids) != set(refs) and set(ids) != set(shown.choice_among(text)):
            args["product_ids"] = refs[:5]
        elif len(ids) < 2 and len(shown.latest) >= 2:
            args["product_ids"] = [c["product_id"] for c in shown.latest[:2]]
        else:
            invented = [i for i in ids if i not in set(shown.ids()) | set(_ID_TOKEN.findall(text))]
            if invented:
                raise ImplausibleCall(f"product ids {invented} were neither shown nor mentioned")
    return args
