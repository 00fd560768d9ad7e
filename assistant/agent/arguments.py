"""Check and fill the model's tool arguments against what the shopper actually wrote.

The small model invents filters (a colour as a brand), swaps price bounds and loses track of
"the second one"; the deterministic query parser and the shown-products memory correct that.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.agent.memory import ShownProducts, resolve_references
from retrieval.query_parse import Lexicon, build_lexicon, parse_query, words

PRODUCT_ID_TOOLS = ("get_product", "similar_products", "explain_recommendation", "predict_purchase")
AMBIGUOUS_MIN_TITLES = 3  # a one-word brand seen as a word in this many titles is ambiguous
FILTER_KEYS = frozenset({"min_price", "max_price", "min_rating", "brand", "in_stock"})
_STOCK = re.compile(r"\b(in[\s-]?stock|available)\b", re.I)


@dataclass(frozen=True)
class Catalog:
    """The catalog names the checks accept (brands, category path parts, product ids known)."""

    brands: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    title_brands: tuple[str, ...] = ()  # the brand of each title (same order)


@lru_cache(maxsize=4)
def lexicon_for(catalog: Catalog) -> Lexicon:
    """Parser lexicon for a catalog; brands whose words are ordinary title words are left out."""
    brands = catalog.title_brands or ("",) * len(catalog.titles)
    title_words = Counter(
        w
        for t, b in zip(catalog.titles, brands, strict=False)
        for w in set(words(t)) - set(words(b))
    )  # words of titles, not counting a title's own brand name
    ambiguous = [b for b in catalog.brands if _ordinary(words(b), title_words)]
    return build_lexicon(catalog.brands, catalog.categories, ambiguous)


def _ordinary(brand: list[str], title_words: Counter[str]) -> bool:
    """A brand made of words that titles use as plain words ('Desi' ghee, 'Real' fruit juice)."""
    if not brand or len(brand) > 2:
        return False
    if len(brand) == 1:
        return title_words.get(brand[0], 0) >= AMBIGUOUS_MIN_TITLES
    return all(title_words.get(w, 0) >= AMBIGUOUS_MIN_TITLES * 4 for w in brand)


_CUES = re.compile(
    r"^(?:(?:under|below|above|over|within|upto|up to|less than|more than|cheaper than|between|"
    r"max|min|rated|with|at least|for|in|by|from)\b\s*)+|"
    r"(?:\s*\b(?:under|below|above|over|within|upto|up to|less than|more than|cheaper than|"
    r"between|max|min|rated|rating|stars?|with|at least|for|and|or|in|by|from|rs|inr|rupees)\b)+$",
    re.I,
)


def _tidy_query(query: str) -> str:
    """The query without filter cue words left dangling at its ends ("face wash below")."""
    tidy = _CUES.sub("", query.strip(" ,.?!")).strip(" ,.?!")
    return tidy or query.strip()


def _shopping_filters(text: str, catalog: Catalog) -> bool:
    """True when the text states a price, rating or brand filter (a product search)."""
    found = parse_query(text, lexicon_for(catalog)).filters
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
    parsed = parse_query(text, lexicon_for(catalog))
    found = parsed.filters
    out = {k: v for k, v in args.items() if v is not None}
    query = str(out.get("query") or "").strip()
    if not query or not _shares_words(query, text):
        query = parsed.text or text.strip()  # a query must come from what the shopper wrote
    in_query = parse_query(query, lexicon_for(catalog))
    if in_query.text and set(in_query.filters) & FILTER_KEYS:
        query = in_query.text  # filter phrases ("under 300", the brand) are filters, not words
    out["query"] = _tidy_query(query)[:200]
    for key in ("min_price", "max_price", "min_rating"):
        if key in found:
            out[key] = float(found[key])
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


class ImplausibleCall(ValueError):
    """A call the text cannot support (a product id nobody mentioned, a handoff for a product
    search); the agent answers with its deterministic plan instead."""


_STATUSES = ("pending", "processed", "delivered", "cancelled")
_ID_TOKEN = re.compile(r"[A-Za-z0-9#_\-]+")


def _mentioned_ids(text: str, shown: ShownProducts) -> set[str]:
    return set(shown.ids()) | set(_ID_TOKEN.findall(text))


def check_call(
    name: str, args: dict[str, Any], text: str, shown: ShownProducts, catalog: Catalog
) -> dict[str, Any]:
    """The call's arguments after checking them against the text and the shown products;
    ImplausibleCall when the call itself cannot be what the shopper asked for."""
    args = dict(args or {})
    if name in ("handoff_to_human", "search_policy", "get_product") and _shopping_filters(
        text, catalog
    ):
        raise ImplausibleCall(f"{name} for a request with product filters")
    if name == "search_products":
        return check_search(args, text, catalog)
    if name == "list_my_orders":
        said = [
            st
            for st in _STATUSES
            if st in words(text) or (st == "cancelled" and "canceled" in words(text))
        ]
        if said:
            args["status"] = said[0]
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
    refs = resolve_references(text, shown)
    if name in PRODUCT_ID_TOOLS:
        pid = str(args.get("product_id") or "")
        if refs and pid not in refs:
            args["product_id"] = refs[0]
        elif not pid and shown.latest and len(shown.latest) == 1:
            args["product_id"] = shown.latest[0]["product_id"]
        elif pid not in _mentioned_ids(text, shown):
            raise ImplausibleCall(f"product id {pid!r} was neither shown nor mentioned")
    elif name == "compare_products":
        ids = [str(i) for i in args.get("product_ids") or []]
        if len(refs) >= 2 and set(ids) != set(refs):
            args["product_ids"] = refs[:5]
        elif len(ids) < 2 and len(shown.latest) >= 2:
            args["product_ids"] = [c["product_id"] for c in shown.latest[:2]]
    return args
