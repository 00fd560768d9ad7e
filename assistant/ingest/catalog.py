"""Catalog loaders: generic CSV/JSONL, bigbasket, homedepot, recbole .item, retail-orders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.ingest.clean import Cleaner
from assistant.ingest.formats import CATALOG_ALIASES, Resolver
from assistant.ingest.options import LoadOptions
from assistant.ingest.readers import csv_records, json_document, records
from assistant.ingest.report import IngestError, SkipRow
from assistant.ingest.writer import ProductRec
from assistant.jsontypes import JsonObject

Raw = tuple[str, Any]


def product_row(
    clean: Cleaner,
    opts: LoadOptions,
    *,
    product_id: Any,
    title: Any,
    description: Any = "",
    category: Any = "",
    brand: Any = "",
    price: Any = None,
    currency: Any = None,
    rating: Any = None,
    rating_count: Any = None,
    in_stock: Any = None,
    image_url: Any = "",
    attributes: JsonObject | None = None,
) -> dict[str, Any]:
    """A cleaned products-table row; a missing id or title skips the row."""
    pid = clean.required(product_id, "product_id")
    if len(pid) > 64:
        raise SkipRow(f"product_id {pid[:20]!r}... is longer than 64 characters")
    attrs = {k: v for k, v in (attributes or {}).items() if v not in (None, "")}
    return {
        "id": pid,
        "title": clean.required(title, "title")[:512],
        "description": clean.text(description, multiline=True),
        "category": clean.category(category)[:255],
        "brand": clean.text(brand)[:128],
        "price": clean.price(price),
        "currency": (clean.text(currency) or opts.currency).upper()[:3],
        "rating": clean.rating(rating),
        "rating_count": clean.integer(rating_count),
        "attributes": attrs,
        "in_stock": clean.boolean(in_stock, default=True),
        "image_url": clean.text(image_url)[:1024],
        "source": opts.source[:32],
    }


# --- generic CSV / JSON Lines with a column mapping -------------------------------------------


def read_generic(opts: LoadOptions) -> Iterator[Raw]:
    """Records of a CSV/TSV/JSONL catalog (format chosen by extension)."""
    for line, record in records(opts.path, progress=opts.progress):
        yield f"line {line}", (line, record)


def build_generic(raw: tuple[int, JsonObject], clean: Cleaner, opts: LoadOptions) -> ProductRec:
    """A product from a record through the column mapping; unmapped columns become attributes."""
    line, record = raw
    res: Resolver = opts.state.setdefault("resolver", Resolver(CATALOG_ALIASES, opts.mapping))
    res.bind(opts.path, line, record)
    attributes = res.get(record, "attributes")
    if isinstance(attributes, str) and attributes.strip():
        try:
            attributes = json.loads(attributes)
        except json.JSONDecodeError:
            raise SkipRow("attributes is not a JSON object") from None
    attrs = {k: clean.text(v) if isinstance(v, str) else v for k, v in res.unused(record).items()}
    attrs.update(attributes if isinstance(attributes, dict) else {})
    if res.get(record, "group_id") not in (None, ""):
        attrs["group_id"] = clean.text(res.get(record, "group_id"))
    fields = {
        name: res.get(record, name)
        for name in CATALOG_ALIASES
        if name not in {"attributes", "group_id"}
    }
    return ProductRec(product_row(clean, opts, **fields, attributes=attrs))


# --- bigbasket --------------------------------------------------------------------------------


def read_bigbasket(opts: LoadOptions) -> Iterator[Raw]:
    """BigBasket CSV records; a stray empty extra field before the image is tolerated."""
    for line, record in csv_records(opts.path, progress=opts.progress, extra_fields="merge-empty"):
        yield f"line {line}", record


def build_bigbasket(record: dict[str, str], clean: Cleaner, opts: LoadOptions) -> ProductRec:
    """product_id = index; category path = category > sub_category > type; INR prices."""
    if record.get("__extra_fields__"):
        clean.fixes.add("stray extra field dropped")
    sale = clean.price(record.get("sale_price"), "sale_price")
    market = clean.price(record.get("market_price"), "market_price")
    row = product_row(
        clean,
        opts,
        product_id=record.get("index"),
        title=record.get("product"),
        description=record.get("description"),
        category=[record.get("category"), record.get("sub_category"), record.get("type")],
        brand=record.get("brand"),
        price=sale if sale is not None else market,
        currency="INR",
        rating=record.get("rating"),
        image_url=record.get("image"),
        attributes={"market_price": market},
    )
    return ProductRec(row)


# --- homedepot judgments (title-only catalog) -------------------------------------------------


def read_homedepot(opts: LoadOptions) -> Iterator[Raw]:
    """Judgment rows; the catalog is their distinct (product_uid, product_title)."""
    for line, record in csv_records(opts.path, progress=opts.progress):
        yield f"line {line}", record


def build_homedepot(record: dict[str, str], clean: Cleaner, opts: LoadOptions) -> ProductRec:
    """A title-only product: product_id = product_uid (USD store)."""
    return ProductRec(
        product_row(
            clean,
            opts,
            product_id=record.get("product_uid"),
            title=record.get("product_title"),
            currency="USD",
        )
    )


# --- recbole .item ----------------------------------------------------------------------------


def recbole_header(path: Path, line: int, fields: JsonObject) -> None:
    """Check a RecBole header row named its columns `name:type`."""
    if not any(":" in k for k in fields):
        raise IngestError(
            path, line, "not a RecBole atomic file (header must be name:type columns)"
        )


def read_recbole_tsv(opts: LoadOptions) -> Iterator[tuple[int, dict[str, str]]]:
    """RecBole atomic-file records with `name:type` headers reduced to `name`."""
    checked = False
    for line, record in csv_records(opts.path, delimiter="\t", progress=opts.progress):
        if not checked:
            recbole_header(opts.path, line - 1, record)
            checked = True
        yield line, {k.split(":")[0]: v for k, v in record.items()}


def read_recbole_item(opts: LoadOptions) -> Iterator[Raw]:
    """RecBole .item records."""
    for line, record in read_recbole_tsv(opts):
        yield f"line {line}", record


def build_recbole_item(record: dict[str, str], clean: Cleaner, opts: LoadOptions) -> ProductRec:
    """item_id -> product_id, title (or movie_title), categories/brand/price when present."""
    known = {
        "item_id",
        "title",
        "movie_title",
        "categories",
        "genre",
        "brand",
        "price",
        "description",
    }
    return ProductRec(
        product_row(
            clean,
            opts,
            product_id=record.get("item_id"),
            title=record.get("title") or record.get("movie_title"),
            description=record.get("description"),
            category=record.get("categories") or record.get("genre") or "",
            brand=record.get("brand"),
            price=record.get("price"),
            currency="USD",
            attributes={k: clean.text(v) for k, v in record.items() if k not in known},
        )
    )


# --- retail-orders products.json (products with variants) ------------------------------------


def retail_file(path: Path, name: str) -> Path:
    """`name` inside a retail_orders directory (or path itself when it is that file)."""
    target = path / name if path.is_dir() else path
    if target.name != name or not target.is_file():
        raise IngestError(path, "file", f"expected a retail_orders directory containing {name}")
    return target


def read_retail_products(opts: LoadOptions) -> Iterator[Raw]:
    """products.json entries (a JSON object keyed by product id)."""
    file = retail_file(opts.path, "products.json")
    document = json_document(file)
    if not isinstance(document, dict):
        raise IngestError(file, 1, "expected a JSON object of products keyed by product id")
    for key, value in document.items():
        yield f"product {key}", value


def build_retail_product(entry: Any, clean: Cleaner, opts: LoadOptions) -> ProductRec:
    """A product (price = cheapest variant, USD) with its variants."""
    if not isinstance(entry, dict):
        raise SkipRow("product entry is not an object")
    pid = clean.required(entry.get("product_id"), "product_id")
    variants: list[dict[str, Any]] = []
    for vid, variant in (entry.get("variants") or {}).items():
        if not isinstance(variant, dict):
            raise SkipRow(f"variant {vid} is not an object")
        variants.append(
            {
                "id": clean.required(variant.get("item_id") or vid, "item_id"),
                "product_id": pid,
                "options": variant.get("options") or {},
                "price": clean.price(variant.get("price")),
                "in_stock": clean.boolean(variant.get("available"), default=True),
            }
        )
    prices = [v["price"] for v in variants if v["price"] is not None]
    row = product_row(
        clean,
        opts,
        product_id=pid,
        title=entry.get("name"),
        price=min(prices) if prices else None,
        currency="USD",
        in_stock=any(v["in_stock"] for v in variants) if variants else True,
    )
    return ProductRec(row, variants)
