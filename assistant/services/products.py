"""Catalog reads for tools and routes: product cards, details, and the catalog's vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assistant.db.models import Product
from assistant.errors import NotFound
from assistant.services.records import ProductCard, ProductDetails, VariantView
from assistant.services.state import AppState
from assistant.tools.arguments import Catalog

DESCRIPTION_CHARS = 400


class ProductNotFound(NotFound):
    """No product with that id."""

    code = "product_not_found"


def product_card(p: Product) -> ProductCard:
    """The compact view of a product that answers and widget cards use."""
    return {
        "product_id": p.id,
        "title": p.title,
        "brand": p.brand or "",
        "category": p.category or "",
        "price": p.price,
        "currency": p.currency,
        "rating": p.rating,
        "rating_count": p.rating_count or 0,
        "in_stock": bool(p.in_stock),
        "image_url": p.image_url or "",
    }


def product_details(p: Product) -> ProductDetails:
    """Every attribute of a product (description shortened), with its variants."""
    desc = (p.description or "").strip()
    if len(desc) > DESCRIPTION_CHARS:
        desc = desc[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " ..."
    return ProductDetails(
        **product_card(p),
        description=desc,
        attributes=dict(p.attributes or {}),
        variants=[
            VariantView(
                variant_id=v.id,
                options=dict(v.options or {}),
                price=v.price,
                in_stock=bool(v.in_stock),
            )
            for v in p.variants[:20]
        ],
    )


def get_product(db: Session, product_id: str) -> Product:
    """The product with that id, or ProductNotFound."""
    product = db.scalar(
        select(Product).where(Product.id == str(product_id)).options(selectinload(Product.variants))
    )
    if product is None:
        raise ProductNotFound(f"product {product_id!r} not found")
    return product


def get_cards(db: Session, product_ids: list[str]) -> list[ProductCard]:
    """Cards for the ids that exist, in the order given (duplicates dropped)."""
    ids = list(dict.fromkeys(str(i) for i in product_ids))
    if not ids:
        return []
    rows = {p.id: p for p in db.scalars(select(Product).where(Product.id.in_(ids)))}
    return [product_card(rows[i]) for i in ids if i in rows]


def cards_with_scores(db: Session, pairs: Sequence[tuple[str, float | None]]) -> list[ProductCard]:
    """Cards from the database (so every fact shown is the catalog's), with the engine's scores."""
    scores = dict(pairs)
    cards = get_cards(db, [p for p, _ in pairs])
    for card in cards:
        score = scores.get(card["product_id"])
        if score is not None:
            card["score"] = round(score, 4)
    return cards


def keyword_search(db: Session, query: str, k: int = 10, **filters: Any) -> list[str]:
    """Product ids whose title contains the query's words (degraded search without an index)."""
    stmt = select(Product.id)
    for word in [w for w in query.lower().split() if len(w) > 2][:5]:
        stmt = stmt.where(func.lower(Product.title).contains(word))
    if filters.get("brand"):
        stmt = stmt.where(func.lower(Product.brand) == str(filters["brand"]).lower())
    if filters.get("category"):
        stmt = stmt.where(func.lower(Product.category).contains(str(filters["category"]).lower()))
    if filters.get("min_price") is not None:
        stmt = stmt.where(Product.price >= filters["min_price"])
    if filters.get("max_price") is not None:
        stmt = stmt.where(Product.price <= filters["max_price"])
    if filters.get("min_rating") is not None:
        stmt = stmt.where(Product.rating >= filters["min_rating"])
    if filters.get("in_stock"):
        stmt = stmt.where(Product.in_stock.is_(True))
    stmt = stmt.order_by(Product.rating_count.desc(), Product.id).limit(k)
    return list(db.scalars(stmt))


def popular(db: Session, category: str | None = None, k: int = 10) -> list[str]:
    """Most-rated products (optionally in a category): the answer when nothing is personal."""
    stmt = select(Product.id).where(Product.in_stock.is_(True))
    if category:
        stmt = stmt.where(func.lower(Product.category).contains(category.lower()))
    stmt = stmt.order_by(Product.rating_count.desc(), Product.rating.desc(), Product.id).limit(k)
    return list(db.scalars(stmt))


@dataclass
class Vocabulary:
    """The catalog's brands, categories and titles, for checking model arguments and answers."""

    brands: list[str]
    categories: list[str]
    titles: list[str]
    title_brands: list[str]


VOCAB_TTL_S = 300.0  # how long the state's catalog names are used before they are read again


def vocabulary(db: Session) -> Vocabulary:
    """Brands, category path parts and titles of the catalog, read from the database."""
    brands = sorted(
        {b.strip() for b in db.scalars(select(Product.brand).distinct()) if b and b.strip()}
    )
    parts: set[str] = set()
    for path in db.scalars(select(Product.category).distinct()):
        parts.update(p.strip() for p in (path or "").split(">") if p.strip())
    rows = list(db.execute(select(Product.title, Product.brand)))
    titles, title_brands = [r[0] for r in rows], [r[1] or "" for r in rows]
    return Vocabulary(brands, sorted(parts), titles, title_brands)


def catalog_for(state: AppState, db: Session) -> Catalog:
    """The catalog names the agent checks arguments and answers against: the state's, read
    again from the database every VOCAB_TTL_S."""
    catalog = state.catalog.recent(VOCAB_TTL_S)
    if catalog is None:
        vocab = vocabulary(db)
        catalog = Catalog(
            tuple(vocab.brands),
            tuple(vocab.categories),
            tuple(vocab.titles),
            tuple(vocab.title_brands),
        )
        state.catalog.put("", catalog)
    return catalog
