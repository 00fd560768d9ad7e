"""Blended recommender: transitions, filtering, cold start, neighbours, save/load, explanations."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.explain import explain_item
from recsys.metrics import ndcg_at_k, recall_at_k
from recsys.mf import MFConfig
from recsys.recommender import Recommender, RecommenderConfig
from recsys.transitions import TransitionConfig, fit_transitions, transition_scores

CFG = RecommenderConfig(mf=MFConfig(factors=4, iterations=15, use_gpu=False))


def _seqs() -> dict[str, list[str]]:
    # Everybody who buys A buys B next; C and D are bought together by a second crowd.
    seqs = {f"a{n}": ["X", "A", "B"] for n in range(20)}
    seqs |= {f"c{n}": ["C", "D", "E"] for n in range(20)}
    seqs["new_a"] = ["A"]
    seqs["solo"] = ["E"]
    return seqs


def test_transition_signal_learns_a_then_b():
    t = fit_transitions([[0, 1, 2]] * 5 + [[3, 4]], 5, TransitionConfig())
    scores = transition_scores(t, [[1]], TransitionConfig())[0]
    assert scores.argmax() == 2  # after item 1 comes item 2
    assert t[0, 1] > t[0, 2] > 0  # one step away counts more than two


def test_recommend_next_item_and_never_a_seen_one():
    rec = Recommender.fit_sequences(_seqs(), list("ABCDEXYZ"), CFG)
    top = rec.recommend("new_a", k=3)
    assert top[0].item_id == "B" and top[0].source == "personal"
    rows = rec.users.lookup(["a1", "c1", "new_a"])
    for row, items in zip(rows, rec.recommend_rows(rows, k=4), strict=True):
        assert not set(items) & set(rec.histories[row])


def test_category_filter_and_cold_start():
    cats = {"A": "Games > RPG", "B": "Games > RPG", "C": "Toys", "D": "Toys", "E": "Toys"}
    rec = Recommender.fit_sequences(_seqs(), list("ABCDEXYZ"), CFG)
    rec.categories = np.array([cats.get(i, "") for i in rec.items.ids], dtype=object)
    assert {r.item_id for r in rec.recommend("new_a", k=5, category="Toys")} <= set("CDE")
    cold = rec.recommend("nobody", k=3, category="games")
    assert cold and all(r.source == "popular" for r in cold)
    assert {r.item_id for r in cold} <= {"A", "B"}
    session = rec.recommend("nobody", k=1, recent_items=["A"])
    assert session[0].item_id == "B" and session[0].source == "session"
    with pytest.raises(ValueError):
        rec.recommend("a1", k=0)


def test_similar_items_collaborative_then_content():
    rec = Recommender.fit_sequences(_seqs(), list("ABCDEXYZ"), CFG)
    assert {r.item_id for r in rec.similar_items("C", k=2)} <= {"D", "E"}
    emb = np.eye(8, dtype=np.float32)
    emb[rec.items.get("Y")] = emb[rec.items.get("Z")] + 0.1  # Y looks like Z
    rec.set_item_embeddings(list(rec.items.ids), emb)
    near = rec.similar_items("Y", k=1)  # Y has no interactions: content neighbours
    assert near[0].item_id == "Z" and near[0].source == "content"
    new = rec.similar_items("brand-new", k=1, embedding=emb[rec.items.get("Z")])
    assert new[0].item_id in {"Z", "Y"}
    with pytest.raises(KeyError):
        Recommender.fit_sequences(_seqs(), list("ABCDEXYZ"), CFG).similar_items("Y")


def test_save_load_gives_the_same_answers(tmp_path):
    titles = {"A": "Halo - Xbox", "B": "Halo 2 - Xbox", "C": "Mario - Wii"}
    rec = Recommender.fit_sequences(_seqs(), list("ABCDEXYZ"), CFG, titles=titles)
    rec.save(tmp_path / "rec")
    back = Recommender.load(tmp_path / "rec")
    assert [r.item_id for r in back.recommend("c3", k=3)] == [
        r.item_id for r in rec.recommend("c3", k=3)
    ]
    assert back.histories == rec.histories
    assert back.titles == rec.titles and back.titles[:4] == [
        "Halo - Xbox",
        "Halo 2 - Xbox",
        "Mario - Wii",
        "",
    ]
    assert back.text is not None and back.text.platforms.tolist()[:4] == [1, 1, 0, -1]


def test_explanations_reference_only_real_interactions():
    rec = Recommender.fit_sequences(_seqs(), list("ABCDEXYZ"), CFG)
    ex = explain_item(rec, "new_a", "B")
    assert ex["known_user"] and ex["rank"] == 1
    assert [p for p, _ in ex["led_to"]] == ["A"]  # the user's own item that led to B
    own = set(rec.histories[rec.users.get("new_a")])
    owned_ids = {rec.items.ids[i] for i in own}
    assert {p for p, _ in ex["contributions"] + ex["similar_owned"]} <= owned_ids
    assert not explain_item(rec, "nobody", "B")["contributions"]


def test_metrics_known_values():
    ranked = [["a", "b", "c"], ["x", "y", "z"], ["q"]]
    assert recall_at_k(ranked, ["b", "z", "w"], 2) == pytest.approx(1 / 3)
    assert ndcg_at_k(ranked, ["a", "y", "w"], 3) == pytest.approx((1 + 1 / np.log2(3)) / 3)
