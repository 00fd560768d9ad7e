"""Ranking metrics as pure functions: nDCG@k (gain 2^grade - 1) and recall@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of gains in rank order (rank 1 discounted by log2(2))."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k of one ranking; unjudged items count 0; 0.0 when nothing is relevant."""
    ideal = dcg(sorted((2.0**g - 1.0 for g in grades.values()), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg([2.0 ** grades[p] - 1.0 if p in grades else 0.0 for p in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], grades: Mapping[str, float], k: int = 100) -> float:
    """Share of the relevant (grade > 0) items found in the top k."""
    relevant = {p for p, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def evaluate_run(
    run: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, float]],
    ndcg_k: int = 10,
    recall_k: int = 100,
) -> dict[str, float]:
    """Mean nDCG@ndcg_k and recall@recall_k over the judged queries (a missing query scores 0)."""
    qids = [q for q, g in qrels.items() if any(v > 0 for v in g.values())]
    if not qids:
        raise ValueError("no judged query with a relevant item")
    ndcg = sum(ndcg_at_k(run.get(q, []), qrels[q], ndcg_k) for q in qids) / len(qids)
    recall = sum(recall_at_k(run.get(q, []), qrels[q], recall_k) for q in qids) / len(qids)
    return {f"ndcg@{ndcg_k}": ndcg, f"recall@{recall_k}": recall, "queries": float(len(qids))}
