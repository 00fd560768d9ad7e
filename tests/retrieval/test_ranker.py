"""The learned reranker: labels as nDCG gains, a tiny training with a known answer, features,
reranking on a real engine, and the versioned artefact."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from retrieval.metrics import ndcg_at_k
from retrieval.rank_features import FEATURES, hit_features
from retrieval.ranker import (
    RankerConfig,
    TrainingSet,
    fit_ranker,
    grade_labels,
    label_gain,
    load_ranker,
    ranker_version,
    save_ranker,
    search_reranked,
)
from retrieval.store import IndexCorrupt, IndexMissing

COVERAGE = FEATURES.index("coverage")
FUSED = FEATURES.index("fused")


def planted(queries: int, per_query: int = 20, seed: int = 0) -> TrainingSet:
    """Candidates whose grade is set by their coverage alone, while the first stage's fused
    score is noise: the right ranking is obvious to a learner, invisible to the first stage."""
    rng = np.random.default_rng(seed)
    n = queries * per_query
    x = rng.random((n, len(FEATURES))).astype(np.float32)
    grades = np.where(x[:, COVERAGE] > 0.8, 3.0, np.where(x[:, COVERAGE] > 0.5, 1.0, 0.0))
    return TrainingSet(x, grades, [per_query] * queries, [f"q{i}" for i in range(queries)])


def mean_ndcg(data: TrainingSet, scores: np.ndarray) -> float:
    out, start = [], 0
    for g in data.groups:
        s, grades = scores[start : start + g], data.grades[start : start + g]
        order = np.argsort(-s, kind="stable")
        out.append(ndcg_at_k([str(i) for i in order], {str(i): grades[i] for i in range(g)}))
        start += g
    return float(np.mean(out))


def test_labels_are_grade_steps_whose_gain_is_ndcg_gain():
    assert grade_labels(np.array([0.0, 1.0, 2.33, 2.67, 3.0, 7.0])).tolist() == [
        0,
        12,
        28,
        32,
        36,
        36,
    ]
    gains = label_gain()
    assert gains[0] == 0 and gains[36] == pytest.approx(7.0) and gains[12] == pytest.approx(1.0)


def test_a_tiny_ranker_learns_the_planted_ranking():
    train, test = planted(60), planted(30, seed=1)
    ranker = fit_ranker(train, RankerConfig(trees=30, min_data_in_leaf=5, leaves=7))
    learned = mean_ndcg(test, ranker.score(test.features))
    first_stage = mean_ndcg(test, test.features[:, FUSED])
    assert learned > 0.95 > first_stage + 0.3
    assert ranker.meta["queries"] == 60 and 1 <= ranker.meta["trees"] <= 30
    with pytest.raises(ValueError, match="relevant"):
        fit_ranker(replace(train, grades=np.zeros_like(train.grades)))


def test_the_artefact_is_versioned_and_refused_when_broken(tmp_path):
    ranker = fit_ranker(planted(20), RankerConfig(trees=5, min_data_in_leaf=5, leaves=4))
    ranker.popularity = {"p1": 3.0}
    root = tmp_path / "ranker"
    with pytest.raises(IndexMissing, match="no ranker"):
        load_ranker(root)
    first = save_ranker(root, ranker)
    second = save_ranker(root, ranker)
    assert ranker_version(root) == second.name != first.name
    loaded = load_ranker(root)
    x = planted(3, seed=2).features
    assert np.allclose(loaded.score(x), ranker.score(x)) and loaded.popularity == {"p1": 3.0}
    (second / "model.txt").write_text("not a model")
    with pytest.raises(IndexCorrupt, match="unreadable"):
        load_ranker(root)


def test_features_of_real_hits(engine):
    query = "green tea loose leaf"
    hits = engine.search(query, k=30, explain=False)
    x = hit_features(query, hits, engine.lexical.tokenizer, {hits[0].product_id: 4.0})
    assert x.shape == (30, len(FEATURES)) and np.isfinite(x).all()
    rows = {h.doc.title: dict(zip(FEATURES, x[i], strict=True)) for i, h in enumerate(hits)}
    tulsi = rows["Green Tea - Tulsi Loose Leaf"]  # every query word, in a title of 5 words
    assert tulsi["coverage"] == 1.0 and tulsi["head_in_title"] == 1.0
    assert tulsi["title_precision"] == pytest.approx(4 / 5) and tulsi["query_words"] == 4
    assert tulsi["bigrams_matched"] == pytest.approx(2 / 3)  # green tea, loose leaf; not tea loose
    assert tulsi["numbers_matched"] == -1.0  # the query has no number
    assert rows["Lemon & Tea Tree Oil Soap"]["coverage"] == pytest.approx(1 / 4)
    assert x[0, FEATURES.index("popularity")] == pytest.approx(np.log1p(4.0))
    assert x[:, FEATURES.index("bm25_rel")].max() == 1.0 and x[0, FEATURES.index("log_rank")] == 0
    assert 0 <= x[:, FEATURES.index("price_position")].max() <= 1
    assert hit_features("x", [], engine.lexical.tokenizer).shape == (0, len(FEATURES))


def test_search_reranked_pages_and_explains(engine):
    data = planted(20)
    ranker = fit_ranker(data, RankerConfig(candidates=20, trees=5, min_data_in_leaf=5, leaves=4))
    full = search_reranked(engine, ranker, "green tea", k=10, explain=False)
    page = search_reranked(engine, ranker, "green tea", k=5, offset=5)
    assert [h.rank for h in full] == list(range(1, 11)) and [h.rank for h in page] == [
        6,
        7,
        8,
        9,
        10,
    ]
    assert [h.product_id for h in page] == [h.product_id for h in full[5:]]
    assert any(h.matched_terms for h in page)
    first = engine.search("green tea", k=10)
    assert search_reranked(engine, None, "green tea", k=10) == first
    # a first stage slower than the budget keeps its own order
    slow = search_reranked(engine, ranker, "green tea", k=10, budget_ms=1e-6)
    assert [h.product_id for h in slow] == [h.product_id for h in first]
