"""SASRec: learns an order rule that ALS cannot see, attributes scores to history items,
round-trips through save/load; the learned blend over the three components."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from recsys.blend import FEATURES, BlendConfig, candidate_features, validation_split
from recsys.evaluation import component_recommendations
from recsys.explain import explain_item
from recsys.interactions import binarize, from_sequences
from recsys.mf import MatrixFactorization, MFConfig
from recsys.recommender import Recommender, RecommenderConfig
from recsys.sasrec import SASRec, SASRecConfig, length_batches
from recsys.stacking import held_out_view

GROUPS = 6
TINY = SASRecConfig(
    dim=32, layers=1, heads=1, dropout=0.1, loss="full", lr=5e-3, epochs=40, patience=40, threads=1
)


def _ordered(n_users: int = 240, seed: int = 0) -> list[list[int]]:
    """Group g has items 4g..4g+3 (A, B, C, D): shoppers buy A, B then C, or B, A then D.

    Both orders hold the same set {A, B}, so only the order tells C from D."""
    rng = np.random.default_rng(seed)
    seqs = []
    for _ in range(n_users):
        s: list[int] = []
        for g in rng.choice(GROUPS, 2, replace=False):
            a, b, c, d = 4 * g, 4 * g + 1, 4 * g + 2, 4 * g + 3
            s += [a, b, c] if rng.random() < 0.5 else [b, a, d]
        seqs.append(s)
    return seqs


@pytest.fixture(scope="module")
def seqrec() -> SASRec:
    return SASRec(TINY).fit(_ordered(), 4 * GROUPS)


def test_transformer_learns_the_order_rule_and_als_cannot(seqrec):
    ab = [[4 * g, 4 * g + 1] for g in range(GROUPS)]  # A then B: C is next
    ba = [[4 * g + 1, 4 * g] for g in range(GROUPS)]  # B then A: D is next
    top_ab, _ = seqrec.recommend(ab, N=1)
    top_ba, _ = seqrec.recommend(ba, N=1)
    assert [int(i) for i in top_ab[:, 0]] == [4 * g + 2 for g in range(GROUPS)]
    assert [int(i) for i in top_ba[:, 0]] == [4 * g + 3 for g in range(GROUPS)]
    # ALS reads a shopper as a set of items: A-then-B and B-then-A get the same factors, so
    # the same ranking, and it can be right for at most one of the two orders.
    mf = MatrixFactorization(MFConfig(factors=8, use_gpu=False))
    mf.fit(binarize(from_sequences(_ordered(), 4 * GROUPS)))
    for g in range(GROUPS):
        x_ab = mf.fold_in(np.array([4 * g, 4 * g + 1]), np.ones(2))
        x_ba = mf.fold_in(np.array([4 * g + 1, 4 * g]), np.ones(2))
        assert x_ab is not None and x_ba is not None
        np.testing.assert_allclose(mf.score_vector(x_ab), mf.score_vector(x_ba), rtol=1e-5)


def test_attribution_names_history_items_only(seqrec):
    history = [4 * 5, 4 * 5 + 1, 4 * 5 + 2, 4 * 3 + 1, 4 * 3]  # A5 B5 C5, then B3 A3: D3 next
    ranked = seqrec.attribution(history, 4 * 3 + 3)
    assert ranked and {i for i, _ in ranked} <= set(history)
    assert {i for i, _ in ranked[:2]} == {4 * 3, 4 * 3 + 1}  # the pair that decides it
    assert abs(sum(w for _, w in ranked) - 1.0) < 1e-6


def test_save_load_round_trip(seqrec, tmp_path):
    seqrec.save(tmp_path / "m")
    back = SASRec.load(tmp_path / "m")
    hist = [[0, 1], [5, 4, 9]]
    np.testing.assert_allclose(back.score(hist), seqrec.score(hist), rtol=1e-5, atol=1e-6)
    assert back.history == seqrec.history
    with pytest.raises(FileNotFoundError):
        SASRec.load(tmp_path / "none")


def test_recommend_never_returns_history_and_early_stops():
    seqs = _ordered(120, seed=1)
    cfg = replace(TINY, epochs=30, patience=2)
    model = SASRec(cfg).fit(
        seqs, 4 * GROUPS, valid=([s[:-1] for s in seqs[:30]], [s[-1] for s in seqs[:30]])
    )
    assert len(model.history) < 30 and "ndcg@10" in model.history[0]
    ids, _ = model.recommend([s[:-1] for s in seqs[:10]], N=5)
    for row, s in zip(ids, seqs[:10], strict=True):
        assert not set(row.tolist()) & set(s[:-1])


def test_length_batches_cover_every_sequence_once_within_budget():
    lens = np.array([1, 3, 2, 7, 7, 4, 1, 9])
    batches = length_batches(lens, 10, np.random.default_rng(0))
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(lens)))
    assert all(len(b) == 1 or len(b) * lens[b].max() <= 10 for b in batches)


def test_config_validation():
    with pytest.raises(ValueError, match="unknown loss"):
        SASRecConfig(loss="bpr")
    with pytest.raises(ValueError, match="multiple of heads"):
        SASRecConfig(dim=30, heads=4)


def test_learned_blend_ranks_candidates_and_reports_each_component(tmp_path):
    seqs = {f"u{n}": [f"i{i}" for i in s] for n, s in enumerate(_ordered(400, seed=2))}
    items = [f"i{i}" for i in range(4 * GROUPS)]
    cfg = RecommenderConfig(
        mf=MFConfig(factors=8, use_gpu=False),
        sequence=TINY,
        stack=BlendConfig(min_valid_users=10, candidates=5, min_leaf=20, refit_epochs=1),
    )
    rec = Recommender.fit_sequences(seqs, items, cfg)
    assert rec.stacker is not None and rec.seq is not None
    assert set(rec.fit_metrics) == {"als", "transitions", "sasrec", "blend", "validation"}
    # every shopper's last item held out; the blend scored on the stacker's held-out shoppers
    valid = rec.fit_metrics["validation"]
    assert valid["shoppers"] > 300 and 0 < valid["stop_shoppers"] < valid["shoppers"] / 4
    assert rec.fit_metrics["blend"]["recall@10"] <= valid["stop_recall@10"]
    assert rec.seq.history[-1]["more"] == 1  # SASRec trained on on the whole histories
    # the order rule reaches the final ranking: after A then B comes C, after B then A comes D
    for g in range(GROUPS):
        ab = rec.recommend(None, 1, recent_items=[f"i{4 * g}", f"i{4 * g + 1}"])
        ba = rec.recommend(None, 1, recent_items=[f"i{4 * g + 1}", f"i{4 * g}"])
        assert (ab[0].item_id, ba[0].item_id) == (f"i{4 * g + 2}", f"i{4 * g + 3}")
    # a Transformer-driven item is explained by the session items that moved it: B3 then A3
    session = ["i20", "i21", "i22", "i13", "i12"]  # A5 B5 C5, then B3 A3: D3 (i15) is next
    why = explain_item(rec, "guest", "i15", recent=session)
    assert why["sequence_rank"] == 1 and {i for i, _ in why["sequence"][:2]} == {"i12", "i13"}
    assert {i for i, _ in why["sequence"]} <= set(session)
    rows = rec.users.lookup(list(seqs)[:20])
    top = rec.recommend_rows(rows, k=3)
    for r, t in zip(rows, top, strict=True):
        assert len(t) == 3 and not set(t.tolist()) & set(rec.histories[r])
    rec.save(tmp_path / "rec")
    back = Recommender.load(tmp_path / "rec")
    assert back.stacker is not None
    np.testing.assert_array_equal(back.recommend_rows(rows, k=3), top)
    # each component's own top-k from the same fit; "rule" is the fixed rule's, as served
    # without the learned blend
    users = list(seqs)[:20]
    parts = component_recommendations(rec, users, k=3)
    assert set(parts) == {"als", "transitions", "sasrec", "rule", "blend"}
    rec.stacker = None
    assert parts["rule"] == [[r.item_id for r in rec.recommend(u, 3)] for u in users]


def test_resume_trains_the_same_model_on():
    seqs = _ordered(60)
    model = SASRec(replace(TINY, epochs=2, patience=2)).fit([s[:-1] for s in seqs], 4 * GROUPS)
    before = model.score([[0, 1]])
    assert model.resume(seqs, 2) is model
    assert [e.get("more") for e in model.history] == [None, None, 1, 2]
    assert not np.allclose(before, model.score([[0, 1]]))


def test_held_out_view_drops_only_the_targets():
    hist = [[0, 1, 2], [3, 4], [5, 6, 7]]
    m = from_sequences(hist, 8)
    view, held = held_out_view(m, hist, np.array([0, 2]), np.array([2, 7]))
    assert held == [[0, 1], [3, 4], [5, 6]] and hist[0] == [0, 1, 2]
    full = m.toarray()
    full[0, 2] = full[2, 7] = 0.0
    np.testing.assert_array_equal(view.toarray(), full)
    assert view.nnz == m.nnz - 2


def test_validation_split_is_stable_and_candidates_skip_excluded():
    hist = [[0, 1, 2], [3], [4, 5, 4], [6, 7]] * 50
    users = [f"u{n}" for n in range(len(hist))]
    cfg = BlendConfig(valid_share=0.5)
    rows, targets = validation_split(users, hist, cfg)
    again, _ = validation_split(users, hist, cfg)
    np.testing.assert_array_equal(rows, again)
    assert len(rows) and all(len(hist[r]) >= 2 and hist[r][-1] not in hist[r][:-1] for r in rows)
    assert targets.tolist() == [hist[r][-1] for r in rows]
    comps = {c: np.random.default_rng(1).random((2, 8)) for c in ("als", "transitions", "sasrec")}
    cands, feats = candidate_features(comps, [[0, 1], []], np.ones(8), [[0, 1], []], 3)
    assert not {0, 1} & set(cands[0].tolist()) and feats.shape == (*cands.shape, len(FEATURES))
