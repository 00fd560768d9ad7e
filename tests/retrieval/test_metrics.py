"""nDCG (gain 2^grade - 1) and recall as pure functions, checked against hand computations."""

from __future__ import annotations

import math

import pytest

from retrieval.metrics import evaluate_run, ndcg_at_k, recall_at_k


def test_ndcg_perfect_and_reversed():
    grades = {"a": 3.0, "b": 1.0}
    assert ndcg_at_k(["a", "b", "x"], grades) == pytest.approx(1.0)
    ideal = 7 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at_k(["b", "a"], grades) == pytest.approx((1 + 7 / math.log2(3)) / ideal)


def test_ndcg_counts_unjudged_as_zero_and_cuts_at_k():
    grades = {"a": 2.0}
    assert ndcg_at_k(["x", "a"], grades) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_k(["x"] * 10 + ["a"], grades, k=10) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0


def test_recall_and_mean_over_judged_queries():
    qrels = {"q1": {"a": 3.0, "b": 2.0}, "q2": {"c": 1.0}}
    assert recall_at_k(["a", "x"], qrels["q1"], k=100) == 0.5
    scores = evaluate_run({"q1": ["a", "b"]}, qrels)  # q2 missing from the run: scores 0
    assert scores["recall@100"] == pytest.approx(0.5)
    assert scores["ndcg@10"] == pytest.approx(0.5)
    assert scores["queries"] == 2
