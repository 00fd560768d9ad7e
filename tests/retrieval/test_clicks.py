"""Learning from clicks: the click model recovers known propensities, and a ranker trained only
on simulated shoppers' clicks (hidden relevance from Home Depot grades, position bias) ranks the
store's searched queries better than the hybrid first stage it learned from, on the true grades,
and is no worse on queries nobody searched yet."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.clicks import (
    Impression,
    click_training_set,
    fit_position_model,
    simulate,
)
from retrieval.engine import SearchEngine
from retrieval.judgments import by_query, judged_docs, read_judgments
from retrieval.metrics import ndcg_at_k
from retrieval.ranker import RankerConfig, fit_ranker, search_reranked
from retrieval.relevance import half
from tests.conftest import SHARED_DATA

EXAMINATION = [1.0 / k for k in range(1, 11)]  # shoppers look at position k 1/k of the time


def test_the_click_model_recovers_known_propensities():
    rng = np.random.default_rng(0)
    grades = {f"q{i}": {f"p{j}": float(rng.integers(0, 4)) for j in range(10)} for i in range(60)}
    rankings = {q: list(g) for q, g in grades.items()}
    log = simulate(rankings, grades, sessions=150, examination=EXAMINATION, rng=rng, swap=0.5)
    model = fit_position_model(log)
    assert np.allclose(model.relative_propensity()[:6], EXAMINATION[:6], atol=0.08)
    # attractiveness follows the hidden grade, although clicks favour the top positions
    by_grade = {
        g: np.mean([model.gamma[(q, p)] for q in grades for p, v in grades[q].items() if v == g])
        for g in (0.0, 1.0, 2.0, 3.0)
    }
    assert by_grade[0.0] < by_grade[1.0] < by_grade[2.0] < by_grade[3.0]
    with pytest.raises(ValueError, match="positions start at 1"):
        fit_position_model([Impression("s", "q", "p", 0, True)])


@pytest.fixture(scope="module")
def hd_store(engine_config, cache_dir) -> tuple[SearchEngine, dict[str, dict[str, float]]]:
    """200 Home Depot queries with at least 4 judged products, over those products and 600
    others (unjudged for these queries: grade 0)."""
    path = SHARED_DATA / "homedepot" / "judgments_dev.csv"
    if not path.is_file():
        pytest.skip(f"shared data not found at {path}")
    rows = read_judgments(path)
    graded = {q: g for q, g in by_query(rows).items() if len(g) >= 4}
    graded = dict(list(graded.items())[:200])
    keep = {p for g in graded.values() for p in g}
    docs = judged_docs(rows)
    docs = [d for d in docs if d.product_id in keep] + [
        d for d in docs if d.product_id not in keep
    ][:600]
    return SearchEngine.build(docs, engine_config, cache_dir), graded


def mean_ndcg(engine, ranker, graded) -> float:
    return float(
        np.mean(
            [
                ndcg_at_k(
                    [h.product_id for h in search_reranked(engine, ranker, q, k=10, explain=False)],
                    grades,
                )
                for q, grades in graded.items()
            ]
        )
    )


def test_a_ranker_trained_on_simulated_clicks_beats_the_first_stage(hd_store):
    engine, graded = hd_store
    searched = {q: g for q, g in graded.items() if half(q) == "fit"}
    unseen = {q: g for q, g in graded.items() if half(q) == "report"}
    rankings = {q: [h.product_id for h in engine.search(q, k=10, explain=False)] for q in searched}
    log = simulate(
        rankings, searched, sessions=40, examination=EXAMINATION, rng=np.random.default_rng(7)
    )
    config = RankerConfig(candidates=40, trees=60, leaves=7, min_data_in_leaf=20)
    data, signals, figures = click_training_set(engine, log, config)
    assert figures["clicks"] > 0 and figures["relative_propensity"][4] < 0.4
    ranker = fit_ranker(data, config, signals.popularity, signals.clicks)
    first_stage, learned = mean_ndcg(engine, None, searched), mean_ndcg(engine, ranker, searched)
    assert learned > first_stage + 0.05, (learned, first_stage)
    first_stage, learned = mean_ndcg(engine, None, unseen), mean_ndcg(engine, ranker, unseen)
    assert learned > first_stage - 0.02, (learned, first_stage)
