"""Matrix factorisation: known answers on a checkerboard, filtering, save/load, explicit ratings."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recsys.mf import MatrixFactorization, MFConfig

SMALL = {"factors": 4, "iterations": 30, "regularization": 0.01, "alpha": 5.0, "use_gpu": False}


@pytest.mark.parametrize("model", ["als", "bpr"])
def test_checkerboard_recommends_the_missing_item(checkerboard, model):
    extra = {"learning_rate": 0.05, "iterations": 200} if model == "bpr" else {}
    mf = MatrixFactorization(MFConfig(model=model, **{**SMALL, **extra})).fit(checkerboard)
    ids, scores = mf.recommend(0, checkerboard[0], N=3)
    assert ids[0] == 4  # the one item of its group it lacks
    assert not set(ids) & {0, 1, 2, 3}  # already-liked items are filtered
    assert scores[0] >= scores[1]


def test_batch_recommend_and_item_restriction(checkerboard):
    mf = MatrixFactorization(MFConfig(**SMALL)).fit(checkerboard)
    ids, _ = mf.recommend(np.array([0, 1]), checkerboard[[0, 1]], N=1)
    assert ids.shape == (2, 1) and ids[0, 0] == 4
    ids, _ = mf.recommend(0, checkerboard[0], N=2, items=np.array([7, 8, 9]))
    assert set(ids) <= {7, 8, 9}  # a category filter is a candidate restriction


def test_similar_items_stay_in_their_block(checkerboard):
    mf = MatrixFactorization(MFConfig(**SMALL)).fit(checkerboard)
    ids, _ = mf.similar_items(6, N=4)
    assert 6 not in ids and set(ids) <= {5, 7, 8, 9}


def test_explain_uses_only_liked_items(checkerboard):
    mf = MatrixFactorization(MFConfig(**SMALL)).fit(checkerboard)
    score, contrib = mf.explain(0, checkerboard[0], 4, N=10)
    liked = set(checkerboard[0].indices)
    assert contrib and {i for i, _ in contrib} <= liked
    assert score == pytest.approx(sum(c for _, c in contrib), rel=1e-3)


def test_save_load_roundtrip(checkerboard, tmp_path):
    mf = MatrixFactorization(MFConfig(**SMALL)).fit(checkerboard)
    mf.save(tmp_path / "m")
    back = MatrixFactorization.load(tmp_path / "m")
    a, _ = mf.recommend(2, checkerboard[2], N=5)
    b, _ = back.recommend(2, checkerboard[2], N=5)
    assert list(a) == list(b)
    assert back.explain(0, checkerboard[0], 4)[1]  # explain works after load too


def test_explicit_ratings_fit_by_gradient_descent():
    rng = np.random.default_rng(1)
    p, q = rng.normal(size=(50, 2)), rng.normal(size=(30, 2))
    full = 3 + p @ q.T
    mask = rng.random(full.shape) < 0.5
    r = sp.csr_matrix(np.where(mask, full, 0.0))
    cfg = MFConfig(
        model="explicit", factors=4, iterations=200, learning_rate=0.2, regularization=0.01
    )
    mf = MatrixFactorization(cfg).fit(r)
    pred = mf.score(np.arange(50))
    held = ~mask
    baseline = np.sqrt(np.mean((full[held] - full[mask].mean()) ** 2))
    rmse = np.sqrt(np.mean((pred[held] - full[held]) ** 2))
    assert mf.training_rmse < 0.5 and rmse < 0.6 * baseline


def test_bad_config_names_valid_models():
    with pytest.raises(ValueError, match="als, bpr, explicit"):
        MFConfig(model="svd")
    with pytest.raises(ValueError):
        MatrixFactorization().fit(sp.csr_matrix((3, 3)))


def test_event_and_rating_matrices():
    import pandas as pd

    from recsys.interactions import InteractionConfig, from_events, from_ratings

    ev = pd.DataFrame(
        {
            "user_id": ["u", "u", "u", "v"],
            "item_id": ["a", "b", "b", "a"],
            "type": ["purchase", "view", "pv", "click"],
            "ts": [100.0, 100.0, 100.0 - 86400 * 30, 100.0],
            "dwell_seconds": [None, 120.0, None, None],
        }
    )
    cfg = InteractionConfig(half_life_days=30.0)
    m = from_events(ev, cfg)
    u, a, b = m.users.get("u"), m.items.get("a"), m.items.get("b")
    assert m.matrix[u, a] == pytest.approx(5.0)  # purchase
    assert m.matrix[u, b] == pytest.approx(0.5 * 1.5 + 0.5 * 0.5)  # dwell bonus + decayed view
    assert m.matrix[u, a] > m.matrix[m.users.get("v"), a]  # purchase > click
    r = from_ratings(pd.DataFrame({"user_id": [1, 1], "item_id": [2, 2], "rating": [4.0, 2.0]}))
    assert r.matrix[0, 0] == pytest.approx(3.0)
    with pytest.raises(ValueError):
        InteractionConfig(type_weights={"view": -1.0})
