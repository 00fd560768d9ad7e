"""Deterministic experiment assignment: a stable hash of (experiment, user) picks the arm.

The same shopper always lands in the same arm of an experiment, on every server and after
restarts; different experiments split shoppers independently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

BUCKETS = 10_000


def bucket(experiment: str, user_id: str) -> int:
    """The user's bucket 0..BUCKETS-1 in this experiment (SHA-256 of both, so it is stable)."""
    digest = hashlib.sha256(f"{experiment}\x1f{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def assign(experiment: str, user_id: str, arms: Sequence[tuple[str, float]]) -> str:
    """The arm of user_id: arms are (name, weight) with weights summing to 1, in a fixed order."""
    if not arms:
        raise ValueError("an experiment needs at least one arm")
    total = sum(w for _, w in arms)
    if total <= 0 or any(w < 0 for _, w in arms):
        raise ValueError("arm weights must be non-negative and sum to more than 0")
    b = bucket(experiment, user_id)
    edge = 0.0
    for name, w in arms:
        edge += w / total * BUCKETS
        if b < round(edge):
            return name
    return arms[-1][0]
