"""Catalog tools: search, one product, comparison, similar items."""

from __future__ import annotations

import logging
from typing import Any, Literal, cast, get_args

from assistant.services import products as catalog
from assistant.services import search as search_service
from assistant.services.records import SimilarProducts
from assistant.tools.context import ToolContext, ToolFailure, field
from assistant.tools.contract import (
    CompareProductsArgs,
    GetProductArgs,
    SearchProductsArgs,
    SimilarProductsArgs,
)
from assistant.tools.results import (
    CompareResult,
    ProductResult,
    SearchFilters,
    SearchResult,
)
from retrieval.relevance import RELEVANCE_V1

log = logging.getLogger(__name__)
DEFAULT_K = 5
CompareField = Literal["brand", "category", "price", "rating", "rating_count", "in_stock"]
COMPARE_FIELDS: tuple[CompareField, ...] = get_args(CompareField)


def hit_ids(result: Any) -> list[tuple[str, float | None]]:
    """(product id, score) pairs from an engine result (a list of hits or an object holding one)."""
    hits = result
    for name in ("hits", "results", "products", "items"):
        inner = field(result, name)
        if inner is not None and not isinstance(result, list):
            hits = inner
            break
    out: list[tuple[str, float | None]] = []
    for hit in hits or []:
        if isinstance(hit, str | int):
            out.append((str(hit), None))
        elif isinstance(hit, tuple | list) and hit:
            out.append((str(hit[0]), float(hit[1]) if len(hit) > 1 else None))
        else:
            pid = field(hit, "product_id", "item_id", "id")
            if pid is not None:
                score = field(hit, "score")
                out.append((str(pid), float(score) if score is not None else None))
    return out


def search_products(ctx: ToolContext, args: SearchProductsArgs) -> SearchResult:
    """Find products matching a free-text query, optionally filtered by category, brand,
    price range (inclusive), minimum rating and stock."""
    k = args.k or DEFAULT_K
    # the arguments' filter fields, those set: exactly SearchFilters' keys
    filters = cast(SearchFilters, args.model_dump(exclude_none=True, exclude={"query", "k"}))
    degraded, probs = "", {}
    mode: str = ctx.search_mode or ctx.settings.search_mode  # None: the engine's, the settings'
    try:
        hits = search_service.search(
            ctx.state, args.query, filters, k, 0, mode=ctx.search_mode, learned=ctx.search_learned
        )
        pairs = hit_ids(hits)
    except Exception as exc:  # noqa: BLE001 - no index yet: keyword search keeps the shopper served
        log.warning("search engine unavailable, using keyword search: %s", exc)
        degraded = f"search index unavailable ({str(exc)[:120]}); keyword match used"
        pairs = [(pid, None) for pid in catalog.keyword_search(ctx.db, args.query, k, **filters)]
        mode = "keyword"
    else:
        try:  # whether each hit matches at all: the answer presents only those that do
            probs = search_service.relevance(ctx.state, args.query, hits[:k])
            if not search_service.carries_kind(ctx.state, args.query):
                probs = {pid: 0.0 for pid in probs}  # a kind of product the catalog never names
        except Exception as exc:  # noqa: BLE001 - unknown relevance: every hit is presented
            log.warning("relevance of search hits unavailable: %s", exc)
    cards = catalog.cards_with_scores(ctx.db, pairs[:k])
    for card in cards:
        if card["product_id"] in probs:
            card["relevance"] = round(probs[card["product_id"]], 3)
            card["match"] = RELEVANCE_V1.is_match(probs[card["product_id"]])
            card["related"] = RELEVANCE_V1.is_related(probs[card["product_id"]])
    result = SearchResult(query=args.query, filters=filters, products=cards, search_mode=mode)
    if degraded:
        result["note"] = degraded
    return result


def get_product(ctx: ToolContext, args: GetProductArgs) -> ProductResult:
    """All attributes of one product."""
    try:
        return ProductResult(
            product=catalog.product_details(catalog.get_product(ctx.db, args.product_id))
        )
    except catalog.ProductNotFound as exc:
        raise ToolFailure(str(exc)) from exc


def compare_products(ctx: ToolContext, args: CompareProductsArgs) -> CompareResult:
    """An attribute table comparing 2-5 products."""
    cards = catalog.get_cards(ctx.db, args.product_ids)
    missing = [p for p in args.product_ids if p not in {c["product_id"] for c in cards}]
    if missing:
        raise ToolFailure(f"unknown product ids: {', '.join(missing)}")
    if len(cards) < 2:
        raise ToolFailure("compare_products needs two different products")
    table: dict[str, dict[str, str | float | int | bool | None]] = {
        name: {c["product_id"]: c[name] for c in cards} for name in COMPARE_FIELDS
    }
    return CompareResult(products=cards, table=table)


def similar_products(ctx: ToolContext, args: SimilarProductsArgs) -> SimilarProducts:
    """Products like the given one."""
    try:
        return search_service.similar_products(
            ctx.state, ctx.db, args.product_id, args.k or DEFAULT_K
        )
    except catalog.ProductNotFound as exc:
        raise ToolFailure(str(exc)) from exc
