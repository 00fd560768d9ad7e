"""Features of a query's first-stage candidates for the learned reranker (pure functions).

Each candidate is described by its first-stage scores (BM25, cosine, fused score and rank, each
also relative to the best of its list, since raw BM25 scales differ from query to query), by how
its title matches the query's words (coverage both ways, the head noun, numbers, adjacent word
pairs, the brand, the category), by lengths, and by store signals: popularity (clicks or
judgments per product), how attractive shoppers who searched this very query found it (the
click model's estimate), and where its price and rating sit within the list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.engine import Hit
from retrieval.lexical import Tokenizer

FEATURES = (
    "bm25",
    "bm25_rel",  # bm25 / best bm25 of the list
    "cosine",
    "cosine_gap",  # cosine - best cosine of the list
    "fused",
    "log_rank",  # log2 of the first-stage rank
    "coverage",  # share of the query's words in the title
    "title_precision",  # share of the title's words in the query
    "head_in_title",  # the query's last word (usually the product noun) is in the title
    "numbers_matched",  # share of the query's numbers in the title; -1 when it has none
    "bigrams_matched",  # share of adjacent query word pairs adjacent in the title; -1: one word
    "phrase_in_title",  # the whole query is a phrase of the title
    "brand_in_query",  # 1 the brand is named, 0 not, -1 the product has no brand
    "category_coverage",  # share of the query's words in the category path
    "query_words",
    "title_words",
    "length_ratio",  # query words / title words
    "popularity",  # log1p of the product's popularity count
    "query_clicks",  # the click model's attractiveness of this product for this query; -1: unseen
    "price_position",  # price's percentile within the list; -1 when unknown
    "rating",  # -1 when unknown
)


@dataclass(frozen=True)
class QueryTerms:
    """A query's words and stems, computed once per query."""

    words: list[str]
    stems: list[str]
    numbers: set[str]
    bigrams: set[tuple[str, str]]
    phrase: str

    @classmethod
    def of(cls, query: str, tok: Tokenizer) -> QueryTerms:
        """The terms of query under the BM25 tokenizer."""
        words = tok.words(query)
        stems = [tok.stem(w) for w in words]
        return cls(
            words=words,
            stems=stems,
            numbers={s for s in stems if any(c.isdigit() for c in s)},
            bigrams=set(zip(stems, stems[1:], strict=False)),
            phrase=" ".join(stems),
        )


def _share(part: int, whole: int, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def _match(terms: QueryTerms, title_stems: list[str]) -> list[float]:
    """The title-match features of one candidate (coverage .. phrase_in_title)."""
    have = set(title_stems)
    qset = set(terms.stems)
    pairs = set(zip(title_stems, title_stems[1:], strict=False))
    return [
        _share(sum(s in have for s in terms.stems), len(terms.stems)),
        _share(sum(s in qset for s in title_stems), len(title_stems)),
        float(bool(terms.stems) and terms.stems[-1] in have),
        _share(sum(n in have for n in terms.numbers), len(terms.numbers), -1.0),
        _share(len(terms.bigrams & pairs), len(terms.bigrams), -1.0),
        float(bool(terms.phrase) and f" {terms.phrase} " in f" {' '.join(title_stems)} "),
    ]


class DocTerms:
    """Stems of products' titles, categories and brands, memoised per (product, text) by the
    ranker that owns it (tokenising 150 titles took half a rerank's time)."""

    def __init__(self, tok: Tokenizer, max_items: int = 500_000) -> None:
        self.tok = tok
        self.max_items = max_items
        self._memo: dict[tuple, tuple[list[str], set[str], list[str]]] = {}

    def __call__(self, hit: Hit) -> tuple[list[str], set[str], list[str]]:
        """(title stems, category stems, brand stems) of a hit's product."""
        d = hit.doc
        key = (d.product_id, d.title, d.category, d.brand)
        got = self._memo.get(key)
        if got is None:
            if len(self._memo) >= self.max_items:
                self._memo.clear()
            got = self._memo[key] = (
                self.tok(d.title),
                set(self.tok(d.category)) if d.category else set(),
                self.tok(d.brand) if d.brand else [],
            )
        return got


def query_key(query: str) -> str:
    """How a query is looked up in the click log: lower case, single spaces."""
    return " ".join(query.lower().split())


def hit_features(
    query: str,
    hits: Sequence[Hit],
    tok: Tokenizer,
    popularity: Mapping[str, float] | None = None,
    query_clicks: Mapping[str, float] | None = None,
    doc_terms: DocTerms | None = None,
) -> np.ndarray:
    """(n,) first-stage hits of one query, best first -> (n, len(FEATURES)) float32 features;
    query_clicks: product id -> attractiveness for this query (from the store's click log);
    doc_terms: a memo of the products' stems (made here when not given)."""
    n = len(hits)
    out = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    terms = QueryTerms.of(query, tok)
    qset = set(terms.stems)
    bm25 = np.array([h.lexical_score or 0.0 for h in hits], dtype=np.float32)
    cos = np.array([h.vector_similarity or 0.0 for h in hits], dtype=np.float32)
    prices = np.array([np.nan if h.doc.price is None else h.doc.price for h in hits])
    known = ~np.isnan(prices)
    # percentile of each price among the list's known prices (cheapest 0, dearest 1)
    price_pos = np.full(n, -1.0)
    if known.sum() > 1:
        order = prices[known].argsort().argsort()
        price_pos[known] = order / (known.sum() - 1)
    pop, seen = popularity or {}, query_clicks or {}
    best_bm25, best_cos = float(bm25.max()) or 1.0, float(cos.max())
    stems = doc_terms or DocTerms(tok)
    for i, h in enumerate(hits):
        title, category, brand = stems(h)
        out[i] = [
            bm25[i],
            bm25[i] / best_bm25,
            cos[i],
            cos[i] - best_cos,
            h.score,
            math.log2(i + 1),
            *_match(terms, title),
            (float(all(b in qset for b in brand)) if brand else -1.0),
            _share(sum(s in category for s in terms.stems), len(terms.stems)),
            len(terms.stems),
            len(title),
            _share(len(terms.stems), len(title)),
            math.log1p(pop.get(h.product_id, 0.0)),
            seen.get(h.product_id, -1.0),
            price_pos[i],
            -1.0 if h.doc.rating is None else h.doc.rating,
        ]
    return out
