"""The agent's post-check of a tool call: the call against the shopper's words, the catalog and
the products shown earlier.

The model (or the rules plan) proposes a call; `check_call` keeps the arguments the text can
support (filters the shopper stated, with the values stated, catalog spellings), fills a product
id the text points at ("the second one"), and raises `ImplausibleCall` for a call the text
cannot be asking for (an id nobody gave, a handoff for a product search, a new search for a
choice among the shown products). The catalog names and the decoding rules are in
`tools/arguments.py`; prices, ratings and brands are read by retrieval's query parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from typing import Any, Protocol, cast

from assistant.jsontypes import JsonObject
from assistant.tools.arguments import ID_LIKE, Catalog
from assistant.tools.contract import LISTED_STATUSES
from assistant.tools.query_text import search_query
from retrieval.lexical import Tokenizer
from retrieval.query_parse import parse_query, words

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
FILTER_KEYS = frozenset({"min_price", "max_price", "min_rating", "brand", "in_stock"})
# the search tokenizer: a query's words with stopwords out
_TOKENIZER = Tokenizer()
_STOCK = re.compile(r"\b(in[\s-]?stock|available)\b", re.I)
_ID_TOKEN = re.compile(r"[A-Za-z0-9#_\-]+")
_ORDINAL_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)", re.I)


def _mentioned(text: str) -> set[str]:
    """Tokens of the shopper's words that may be an id they typed ("2nd" is a position)."""
    return {t for t in _ID_TOKEN.findall(text) if not _ORDINAL_TOKEN.fullmatch(t)}


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

    def choice_among(self, text: str, vocabulary: Set[str] = frozenset()) -> list[str]:
        """Ids of the shown products a choice question ("which one?") is about; [] if none."""
        ...


class ImplausibleCall(ValueError):
    """A call the text cannot support (a product id nobody mentioned, a handoff for a product
    search); the agent answers with its deterministic plan instead."""


def _tidy_query(query: str) -> str:
    """The query without request phrasing (`query_text.search_query`: "sofa set at all") and
    filter cue words left dangling at its ends ("face wash below")."""
    tidy = _CUES.sub("", search_query(query).strip(" ,.?!")).strip(" ,.?!")
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


def _within(query: str, asked: str, catalog: Catalog) -> bool:
    """True when the query's words (stopwords out) are some of the words the shopper asked
    for, request phrasing aside, and keep every one of them the catalog uses: "is there a
    grater in your range?" asks for a grater, so a query "range" (a word of the request's
    phrasing) or "this" is not what was asked, nor "artist" of "mehndi artist"."""
    mine = set(_TOKENIZER.words(query))
    said = set(_TOKENIZER.words(_tidy_query(asked)))
    sold = {w for w in said if w in catalog.vocabulary}
    return bool(mine) and _among(mine, said) and _among(sold, mine)


def _among(these: Set[str], those: Set[str]) -> bool:
    """True when each of these words is one of those, or begins as one does (a typo fixed:
    "shampo", "shampoo")."""
    starts = {w[:4] for w in those if len(w) >= 4}
    return all(w in those or (len(w) >= 4 and w[:4] in starts) for w in these)


def _named(text: str, name: str) -> bool:
    """True when every word of name occurs in text."""
    toks = set(words(text))
    return bool(words(name)) and all(w in toks for w in words(name))


def _canonical(value: str, options: tuple[str, ...]) -> str | None:
    low = value.strip().casefold()
    return next((o for o in options if o.casefold() == low), None)


def check_search(args: JsonObject, text: str, catalog: Catalog) -> JsonObject:
    """search_products arguments: filters only where the text states them, values from the text."""
    parsed = parse_query(text, catalog.lexicon)
    found = parsed.filters
    out = {k: v for k, v in args.items() if v is not None}
    query = str(out.get("query") or "").strip()
    asked = parsed.text or text.strip()
    if not query or not _shares_words(query, text) or not _within(query, asked, catalog):
        query = asked  # a query must come from what the shopper wrote, of what they asked for
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


_STATUS = re.compile(rf"\b({'|'.join(LISTED_STATUSES)}|canceled)\b", re.I)
# "not delivered yet", "yet to be delivered": every order but those, so no status filter
_NOT_BEFORE = re.compile(
    r"(?:\bnot|n[’']t|\b(?:havent|hasnt|isnt|arent|wasnt|werent|didnt|dont|doesnt)|\bnever|"
    r"\byet\s+to\s+be)\s+(?:(?:yet|been|be|got|gotten|being)\s+)?$",
    re.I,
)


def asked_status(text: str) -> str | None:
    """The order status the text asks for, in the contract's spelling; None when it names none
    or negates the one it names ("any order not delivered yet?" asks for all of them)."""
    m = _STATUS.search(text)
    if m is None or _NOT_BEFORE.search(text[: m.start()]):
        return None
    return m.group(1).lower().replace("canceled", "cancelled")


def check_call(
    name: str, args: JsonObject, text: str, shown: Shown, catalog: Catalog
) -> JsonObject:
    """The call's arguments after checking them against the text and the shown products;
    ImplausibleCall when the call itself cannot be what the shopper asked for, or when an
    argument holds an id that neither the shopper nor the conversation gave."""
    args = dict(args or {})
    if name in ("handoff_to_human", "search_policy", "get_product") and _shopping_filters(
        text, catalog
    ):
        raise ImplausibleCall(f"{name} for a request with product filters")
    if name in CHOICE_MISREADS and shown.choice_among(text, catalog.vocabulary):
        raise ImplausibleCall(f"{name} for a choice among the products shown")
    if name == "get_order_status":  # an id typed now or said before; "last_order" is none
        typed = [t for t in _ID_TOKEN.findall(text) if ID_LIKE.fullmatch(t)]
        known = {o.lstrip("#").upper() for o in [*shown.orders, *typed]}
        if str(args.get("order_id") or "").lstrip("#").upper() not in known:
            raise ImplausibleCall(f"order id {args.get('order_id')!r} is not in the conversation")
        return args
    if name == "search_products":
        return check_search(args, text, catalog)
    if name == "list_my_orders":
        status = asked_status(text)
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
        elif pid not in set(shown.ids()) | _mentioned(text):
            raise ImplausibleCall(f"product id {pid!r} was neither shown nor mentioned")
        if name == "add_to_cart" and args.get("quantity") is not None:
            said = set(words(text))
            if str(args["quantity"]) not in said and not said & _COUNT_WORDS:
                args.pop("quantity")  # a count the shopper did not give: one
    elif name == "compare_products":
        ids = [str(i) for i in args.get("product_ids") or []]
        if (
            len(refs) >= 2
            and set(ids) != set(refs)
            and set(ids) != set(shown.choice_among(text, catalog.vocabulary))
        ):
            args["product_ids"] = refs[:5]
        elif len(refs) == 1 and not shown.choice_among(text, catalog.vocabulary):
            raise ImplausibleCall("compare_products for a question about one product")
        elif len(ids) < 2 and len(shown.latest) >= 2:
            args["product_ids"] = [c["product_id"] for c in shown.latest[:2]]
        else:
            invented = [i for i in ids if i not in set(shown.ids()) | _mentioned(text)]
            if invented:
                raise ImplausibleCall(f"product ids {invented} were neither shown nor mentioned")
    return args
