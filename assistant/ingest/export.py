"""Read the catalog and the behaviour log back out of the database as plain data for the libraries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assistant.db.models import Event, Product
from retrieval.corpus import ProductDoc

if TYPE_CHECKING:
    import pandas as pd

EVENT_COLUMNS = ["user_id", "product_id", "type", "ts", "dwell_seconds", "category"]


def _variant_summary(product: Product) -> dict[str, str]:
    """Option values across a product's variants, e.g. {"color": "black, blue", "size": "M, S"}."""
    values: dict[str, set[str]] = {}
    for variant in product.variants:
        for key, value in (variant.options or {}).items():
            values.setdefault(str(key), set()).add(str(value))
    return {key: ", ".join(sorted(vals)) for key, vals in sorted(values.items())}


def product_doc(product: Product) -> ProductDoc:
    """One Product row (with its variants loaded) as a retrieval ProductDoc."""
    attributes = dict(product.attributes or {})
    extra = {
        str(k): str(v) for k, v in attributes.items() if k != "group_id" and v not in (None, "")
    }
    price, in_stock = product.price, product.in_stock
    if product.variants:
        # A product with variants is searchable as one item: cheapest variant, in stock if any is.
        extra.update(_variant_summary(product))
        prices = [v.price for v in product.variants if v.price is not None]
        price = min(prices) if prices else price
        in_stock = any(v.in_stock for v in product.variants)
    return ProductDoc(
        product_id=product.id,
        title=product.title,
        description=product.description or "",
        category=product.category or "",
        brand=product.brand or "",
        price=float(price) if price is not None else None,
        rating=product.rating,
        in_stock=bool(in_stock),
        group_id=str(attributes.get("group_id") or ""),
        extra=extra,
    )


def catalog_docs(session: Session, source: str | None = None) -> list[ProductDoc]:
    """Every product in the database (optionally of one source) as ProductDocs, ordered by id."""
    stmt = select(Product).options(selectinload(Product.variants)).order_by(Product.id)
    if source is not None:
        stmt = stmt.where(Product.source == source)
    return [product_doc(p) for p in session.scalars(stmt)]


def events_frame(session: Session, source: str | None = None) -> pd.DataFrame:
    """The behaviour log as a DataFrame (user_id, product_id, type, ts, dwell_seconds, category).

    category is the product's catalog category when the product is known, else the event's own
    category id (behaviour logs such as Taobao carry one). Rows are in time order.
    """
    # lazy: pandas takes half a second to import; only the recommender's training reads a frame
    import pandas as pd

    category = func.coalesce(func.nullif(Product.category, ""), Event.category_id, "")
    stmt = (
        select(
            Event.user_id,
            Event.product_id,
            Event.type,
            Event.ts,
            Event.dwell_seconds,
            category.label("category"),
        )
        .outerjoin(Product, Product.id == Event.product_id)
        .order_by(Event.ts, Event.id)
    )
    if source is not None:
        stmt = stmt.where(Event.source == source)
    rows = session.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"])
    frame["dwell_seconds"] = frame["dwell_seconds"].astype("float64")
    return frame
