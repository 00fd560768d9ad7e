"""Small real catalog for tests: BigBasket products as ProductDocs (skips when the data is absent)."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from retrieval.corpus import ProductDoc
from tests.conftest import SHARED_DATA

N_PRODUCTS = 300


def _num(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def bigbasket_docs(n: int = N_PRODUCTS) -> list[ProductDoc]:
    """The first n BigBasket products; every 7th is out of stock; repeated titles share a group_id."""
    path = SHARED_DATA / "bigbasket" / "bigbasket_products.csv"
    if not path.is_file():
        pytest.skip(f"shared data not found at {path}")
    docs: list[ProductDoc] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if len(docs) == n:
                break
            if not row.get("index") or not row.get("product"):
                continue
            docs.append(
                ProductDoc(
                    product_id=f"bb{row['index']}",
                    title=row["product"].strip(),
                    description=(row.get("description") or "").strip(),
                    category=f"{row['category']} > {row['sub_category']}",
                    brand=(row.get("brand") or "").strip(),
                    price=_num(row.get("sale_price")),
                    rating=_num(row.get("rating")),
                    in_stock=len(docs) % 7 != 3,
                )
            )
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.title.lower()] = counts.get(d.title.lower(), 0) + 1
    return [
        replace(d, group_id=f"g:{d.title.lower()}") if counts[d.title.lower()] > 1 else d
        for d in docs
    ]
