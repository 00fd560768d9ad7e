"""Graded judgments (query, product, grade) -> the reranker's training set.

JUDGMENTS.csv has the columns of Home Depot's judgments (`product_uid, product_title,
search_term, relevance`; an `id` column is ignored). Each judged query is searched with the
hybrid first stage; its candidates get the judged grade, or 0 when unjudged (as nDCG@10 counts
them). Popularity, when used, counts the queries that judged a product relevant, leaving the
query's own judgment out (else the model would learn that a judged product is popular).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from retrieval.corpus import ProductDoc
from retrieval.engine import SearchEngine
from retrieval.files import InputFileError
from retrieval.rank_features import FEATURES, DocTerms, hit_features, query_key
from retrieval.ranker import MAX_GRADE, RankerConfig, TrainingSet

COLUMNS = ("product_uid", "product_title", "search_term", "relevance")
RELEVANT_GRADE = 2.0  # Home Depot: 1 irrelevant, 2 partly, 3 exactly relevant
POPULARITY = FEATURES.index("popularity")


@dataclass(frozen=True)
class Judgment:
    """One graded (query, product) pair."""

    query: str
    product_id: str
    title: str
    grade: float


def read_judgments(path: str | Path) -> list[Judgment]:
    """Read JUDGMENTS.csv; InputFileError names the file and line of a bad row."""
    path = Path(path)
    out: list[Judgment] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputFileError(f"{path}:1: missing column(s) {', '.join(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            query = " ".join((row["search_term"] or "").split())
            pid = (row["product_uid"] or "").strip()
            if not query or not pid:
                raise InputFileError(f"{where}: empty search_term or product_uid")
            try:
                grade = float(row["relevance"])
            except (TypeError, ValueError):
                raise InputFileError(
                    f"{where}: relevance must be a number, got {row['relevance']!r}"
                ) from None
            if not 0 <= grade <= MAX_GRADE:
                raise InputFileError(f"{where}: relevance {grade:g} is outside 0..{MAX_GRADE:g}")
            out.append(Judgment(query, pid, (row["product_title"] or "").strip(), grade))
    if not out:
        raise InputFileError(f"{path}: no judgments")
    return out


def judged_docs(judgments: list[Judgment]) -> list[ProductDoc]:
    """The judged products as documents (titles only), first title of each id."""
    titles: dict[str, str] = {}
    for j in judgments:
        if j.title:
            titles.setdefault(j.product_id, j.title)
    return [ProductDoc(product_id=pid, title=t) for pid, t in titles.items()]


def by_query(judgments: list[Judgment]) -> dict[str, dict[str, float]]:
    """{query: {product_id: grade}} (a repeated pair keeps its last grade)."""
    out: dict[str, dict[str, float]] = {}
    for j in judgments:
        out.setdefault(j.query, {})[j.product_id] = j.grade
    return out


def relevant_counts(graded: Mapping[str, Mapping[str, float]]) -> Counter[str]:
    """How many queries judged each product relevant (grade >= RELEVANT_GRADE)."""
    return Counter(p for g in graded.values() for p, v in g.items() if v >= RELEVANT_GRADE)


def training_set(
    engine: SearchEngine,
    graded: Mapping[str, Mapping[str, float]],
    config: RankerConfig,
    popularity: Mapping[str, float] | None = None,
    own: Mapping[str, Mapping[str, float]] | None = None,
    query_clicks: Mapping[str, Mapping[str, float]] | None = None,
    progress: bool = False,
) -> TrainingSet:
    """The first stage's config.candidates hits of every graded query, with their features and
    grades (0 when ungraded). own[query]: what that query itself added to popularity, taken out
    of its rows (default: 1 per product it judged relevant). query_clicks: the click model's
    attractiveness per query key and product, a feature (from other sessions than the grades)."""
    queries = [q for q, g in graded.items() if g]
    qvecs = (
        engine.embedder.embed(queries, progress=progress, desc="queries") if engine.dense else None
    )
    tok = engine.lexical.tokenizer
    feats: list[np.ndarray] = []
    grades: list[np.ndarray] = []
    groups: list[int] = []
    keys: list[str] = []
    pop = popularity or {}
    terms = DocTerms(tok)
    for i, query in enumerate(
        tqdm(queries, desc="ranker features", unit="q", disable=not progress)
    ):
        hits = engine.search(
            query,
            k=config.candidates,
            explain=False,
            query_vector=None if qvecs is None else qvecs[i],
        )
        mine = graded[query]
        if len(hits) < 2:
            continue
        x = hit_features(query, hits, tok, pop, (query_clicks or {}).get(query_key(query)), terms)
        if pop:
            added = (
                own.get(query, {})
                if own is not None
                else {p: 1.0 for p, v in mine.items() if v >= RELEVANT_GRADE}
            )
            for row, h in enumerate(hits):
                if added.get(h.product_id):
                    rest = max(0.0, pop.get(h.product_id, 0.0) - added[h.product_id])
                    x[row, POPULARITY] = np.log1p(rest)
        feats.append(x)
        grades.append(np.array([mine.get(h.product_id, 0.0) for h in hits]))
        groups.append(len(hits))
        keys.append(query)
    if not groups:
        return TrainingSet(np.zeros((0, len(FEATURES)), np.float32), np.zeros(0), [], [])
    return TrainingSet(np.concatenate(feats), np.concatenate(grades), groups, keys)
