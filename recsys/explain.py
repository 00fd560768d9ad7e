"""Explanations built only from what the models hold: the user's own interactions and signals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recsys.recommender import Recommender


def explain_item(
    rec: Recommender, user_id: str, item_id: str, n: int = 5, recent: Sequence[str] = ()
) -> dict:
    """Evidence for recommending item_id to user_id; every entry refers to a real interaction.

    recent: the shopper's items newer than the model (a guest's session clicks), oldest first.
    Returns {known_user, known_item, score, rank, contributions: [(item, share)],
    led_to: [(recent item, transition weight)], similar_owned: [(item, cosine)],
    sequence: [(history item, share of SASRec's attribution)], sequence_rank,
    category, category_share, popularity}. Lists are empty where the model holds no evidence.
    """
    row, col = rec.users.get(user_id), rec.items.get(item_id)
    out: dict = {
        "known_user": row >= 0,
        "known_item": col >= 0,
        "contributions": [],
        "led_to": [],
        "similar_owned": [],
        "sequence": [],
        "sequence_rank": None,
        "popularity": int(rec.popularity[col]) if col >= 0 else 0,
        "category": str(rec.categories[col]) if col >= 0 else "",
        "category_share": 0.0,
        "score": None,
        "rank": None,
    }
    history = (rec.histories[row] if row >= 0 else []) + [
        int(i) for i in rec.items.lookup(recent) if i >= 0
    ]
    if rec.seq is not None and col >= 0 and history:
        # SASRec: the history items whose embeddings moved this item's score up the most
        # (integrated gradients), and where SASRec alone ranks it after this history.
        ranked = rec.seq.attribution(history, col)
        out["sequence"] = [(str(rec.items.ids[i]), round(w, 4)) for i, w in ranked[:n]]
        seq_scores = rec.seq.score([history])[0]
        seq_scores[history] = -np.inf
        if np.isfinite(seq_scores[col]):
            out["sequence_rank"] = int((seq_scores > seq_scores[col]).sum()) + 1
    if row < 0 or col < 0:
        return out
    user_row = rec.user_items[row]
    liked = user_row.indices
    # Factorisation: how much each of the user's own items adds to the score (implicit's explain).
    score, contrib = rec.mf.explain(row, user_row, col, N=n)
    total = sum(c for _, c in contrib if c > 0) or 1.0
    out["contributions"] = [
        (str(rec.items.ids[i]), round(c / total, 4)) for i, c in contrib if c > 0 and i != col
    ]
    # Transitions: which of the user's latest items were followed by this one in others' histories.
    latest = history[-rec.config.transitions.last_n :]  # as the transition signal reads them
    t = rec.transitions
    led = {int(i): float(t[i, col]) for i in latest if t[i, col] > 0}
    out["led_to"] = [
        (str(rec.items.ids[i]), round(w, 4))
        for i, w in sorted(led.items(), key=lambda x: -x[1])[:n]
    ]
    # Items the user already has whose factors are close to this one.
    owned = rec.exclude[row].indices
    owned = owned[owned != col]
    if len(owned):
        f = rec.mf.item_factors
        assert f is not None  # mf.explain above has already required fitted factors
        norms = np.linalg.norm(f, axis=1) + 1e-9
        sims = (f[owned] @ f[col]) / (norms[owned] * norms[col])
        order = np.argsort(-sims)[:n]
        out["similar_owned"] = [
            (str(rec.items.ids[owned[o]]), round(float(sims[o]), 4)) for o in order if sims[o] > 0
        ]
    cat = rec.categories[col]
    if cat and len(liked):
        out["category_share"] = round(float(np.mean(rec.categories[liked] == cat)), 4)
    scores = rec.blended_scores(np.array([row]), [rec.histories[row]])[0]
    scores[rec.exclude[row].indices] = -np.inf
    out["score"] = round(float(scores[col]), 6) if np.isfinite(scores[col]) else None
    out["rank"] = int((scores > scores[col]).sum()) + 1 if np.isfinite(scores[col]) else None
    out["mf_score"] = round(float(score), 6)
    return out
