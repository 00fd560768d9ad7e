"""Experiment assignment: stable per (experiment, user), splits as configured."""

from __future__ import annotations

from collections import Counter

from analytics.assignment import assign, bucket


def test_assignment_is_stable_and_known():
    arms = [("control", 0.5), ("assistant", 0.5)]
    first = [assign("exp1", f"u{i}", arms) for i in range(50)]
    assert first == [assign("exp1", f"u{i}", arms) for i in range(50)]
    # the hash is SHA-256 of "exp1\x1fu0": a fixed bucket on every machine and version
    assert bucket("exp1", "u0") == bucket("exp1", "u0") and 0 <= bucket("exp1", "u0") < 10_000


def test_splits_follow_the_weights_and_experiments_are_independent():
    arms = [("a", 0.2), ("b", 0.8)]
    counts = Counter(assign("split", f"user-{i}", arms) for i in range(20_000))
    assert abs(counts["a"] / 20_000 - 0.2) < 0.015
    one = [assign("x", f"u{i}", [("a", 0.5), ("b", 0.5)]) for i in range(4000)]
    two = [assign("y", f"u{i}", [("a", 0.5), ("b", 0.5)]) for i in range(4000)]
    both_a = sum(p == q == "a" for p, q in zip(one, two, strict=True)) / 4000
    assert abs(both_a - 0.25) < 0.03  # independent: a in x says nothing about y


def test_a_zero_weight_arm_gets_nobody():
    assert {assign("z", f"u{i}", [("off", 0.0), ("on", 1.0)]) for i in range(500)} == {"on"}
