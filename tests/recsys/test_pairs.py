"""Pair features of (shopper, candidate): known answers on tiny data."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recsys.blend import FEATURES, BlendConfig, Stacker, feature_names
from recsys.pairs import (
    PAIR_FEATURES,
    PairContext,
    mean_position,
    pair_features,
    recent_popularity,
)
from recsys.sasrec import SASRec, SASRecConfig

COL = {name: k for k, name in enumerate(PAIR_FEATURES)}


def test_recent_popularity_counts_each_shopper_once_among_their_latest():
    hist = [[0, 1, 2, 3], [3, 3], [], [1]]
    # latest 2: {2, 3}, {3}, {}, {1}
    assert recent_popularity(hist, 5, last=2).tolist() == [0, 1, 1, 2, 0]


def _context() -> PairContext:
    factors = np.array([[1, 0], [0, 2], [3, 3], [-1, 0]], np.float32)
    t = sp.csr_matrix(np.array([[0, 0.5, 0.5, 0], [1, 0, 0, 0], [0, 0.25, 0, 0.75], [0, 0, 1, 0]]))
    pop = np.array([4, 3, 1, 0], np.float32)
    return PairContext.build(factors, t, [[0, 1], [2, 1]], pop, None, last=1)


def test_pair_features_known_answers():
    ctx = _context()
    assert ctx.recent.tolist() == [0, 2, 0, 0]
    cands = np.array([[2, 3, -1], [0, 3, 2]])
    x = pair_features(cands, [[0, 1], [2]], ctx)
    assert x.shape == (2, 3, len(PAIR_FEATURES)) and x.dtype == np.float32
    # shopper 0: last item 1 (unit (0, 1)), the one before 0 (unit (1, 0))
    assert x[0, 0, COL["als_cos_last"]] == pytest.approx(np.sqrt(0.5))
    assert x[0, 1, COL["als_cos_last"]] == pytest.approx(0.0)
    assert x[0, 1, COL["als_cos_max3"]] == pytest.approx(0.0)  # cos(3, 1) 0, cos(3, 0) -1
    assert x[0, 0, COL["trans_from_last"]] == 0.0 and x[0, 0, COL["trans_to_last"]] == 0.25
    assert x[1, 1, COL["trans_from_last"]] == 0.75 and x[1, 1, COL["trans_to_last"]] == 1.0
    assert x[1, 0, COL["recent_pop_log"]] == 0.0
    assert x[1, 0, COL["recent_share_log"]] == pytest.approx(-np.log(5))
    # the empty slot and the missing sequence model give zeros
    assert not x[0, 2].any() and not x[..., COL["sasrec_logp_last1"]].any()


def test_mean_position_from_first_to_last():
    # item 0 first of 3 and last of 2, item 1 in the middle, item 3 nowhere, [4] too short
    pos = mean_position([[0, 1, 2], [1, 0], [4]], 5)
    assert pos.tolist() == pytest.approx([0.5, 0.25, 1.0, 0.5, 0.5])


def test_pair_features_of_the_history_beyond_the_last_item():
    ctx = _context()
    assert ctx.recent1 is not None and ctx.recent1.tolist() == [0, 2, 0, 0]
    assert ctx.position is not None and ctx.position.tolist() == [0.0, 1.0, 0.0, 0.5]
    x = pair_features(np.array([[2, 3], [0, 2]]), [[0, 1], [2]], ctx)
    # shopper 0: 0 -> 2 weighs 0.5; two steps from 1: 1 -> 0 -> 2 = 1 x 0.5
    assert x[0, 0, COL["trans_from_prev"]] == 0.5 and x[0, 0, COL["trans_2hop"]] == 0.5
    # shopper 1 has no item before the last; 2 -> 1 -> 0 = 0.25, 2 -> 3 -> 2 = 0.75
    assert not x[1, :, COL["trans_from_prev"]].any()
    assert x[1, :, COL["trans_2hop"]].tolist() == [0.25, 0.75]
    assert x[0, 0, COL["recent1_pop_log"]] == 0.0 and x[0, 1, COL["item_position"]] == 0.5
    hist_pop = (np.log(5) + np.log(4)) / 2  # log(1 + pop) of items 0 and 1
    assert x[0, 0, COL["pop_vs_history"]] == pytest.approx(np.log(2) - hist_pop)
    # the mean unit factor of items 0 and 1 points along item 2's
    assert x[0, 0, COL["als_cos_hist"]] == pytest.approx(1.0)


def test_pair_features_empty_history_and_no_als():
    ctx = _context()
    ctx.item_unit = None
    x = pair_features(np.array([[1, 2]]), [[]], ctx)
    assert not x.any()


def test_pair_features_read_sasrec_on_the_latest_items_only():
    seqs = [[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1]] * 4
    cfg = SASRecConfig(dim=8, layers=1, heads=1, loss="full", epochs=1, warm_start_std=None)
    seq = SASRec(cfg).fit(seqs, 4)
    ctx = _context()
    ctx.seq = seq
    cands = np.array([[2, 3]])
    x = pair_features(cands, [[3, 0, 1]], ctx)
    for n, name in ((1, "sasrec_logp_last1"), (3, "sasrec_logp_last3")):
        s = seq.score([[3, 0, 1][-n:]])[0].astype(np.float64)
        logp = s - np.log(np.exp(s).sum())
        np.testing.assert_allclose(x[0, :, COL[name]], logp[[2, 3]], rtol=1e-4)


def test_a_stacker_fitted_without_pair_features_scores_wider_rows_alike():
    rng = np.random.default_rng(0)
    cands = np.tile(np.arange(6), (300, 1))
    targets = rng.integers(0, 6, 300)
    x = rng.random((300, 6, len(FEATURES) + len(PAIR_FEATURES))).astype(np.float32)
    x[np.arange(300), targets, 0] += 1.0  # the first feature tells the target
    narrow = x[:, :, : len(FEATURES)]
    st = Stacker(BlendConfig(min_leaf=5, trees=20)).fit(cands, narrow, targets)
    assert st.booster is not None and st.booster.feature_name() == FEATURES
    np.testing.assert_array_equal(st.scores(cands, x, 6), st.scores(cands, narrow, 6))
    assert feature_names(len(FEATURES) + 2) == FEATURES + PAIR_FEATURES[:2]


def test_a_stacker_refitted_on_every_shopper_keeps_the_early_stopped_size():
    rng = np.random.default_rng(1)
    cands = np.tile(np.arange(6), (300, 1))
    targets = rng.integers(0, 6, 300)
    x = rng.random((300, 6, 3)).astype(np.float32)
    x[np.arange(300), targets, 0] += 1.0
    cfg = BlendConfig(min_leaf=5, trees=20, stop_rounds=5, refit_trees=1.5)
    st = Stacker(cfg).fit(cands, x, targets)
    assert st.booster is not None
    assert st.booster.num_trees() == max(1, round(st.metrics["trees"] * 1.5))
    top = st.scores(cands, x, 6).argmax(axis=1)
    assert (top == targets).mean() > 0.9
