"""Small real catalog for tests: BigBasket products as ProductDocs (skips when the data is absent)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from retrieval.corpus import ProductDoc
from retrieval.files import read_qrels
from retrieval.homedepot import convert_judgments
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


def homedepot_slice(out: Path, max_queries: int = 30) -> tuple[Path, Path, Path]:
    """(corpus, queries, qrels) files under out: the first max_queries Home Depot dev queries
    over their judged products plus 200 distractors (skips when the data is absent)."""
    src = SHARED_DATA / "homedepot" / "judgments_dev.csv"
    if not src.is_file():
        pytest.skip(f"shared data not found at {src}")
    files = convert_judgments(src, out / "full", max_queries=max_queries)
    judged = {p for grades in read_qrels(files.qrels).values() for p in grades}
    lines = files.corpus.read_text().splitlines()
    keep = [ln for ln in lines if json.loads(ln)["product_id"] in judged] + lines[-200:]
    corpus = out / "corpus.jsonl"
    corpus.write_text("\n".join(dict.fromkeys(keep)) + "\n")
    return corpus, files.queries, files.qrels
