"""Item-to-item transition signal: which items follow which in users' sequences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass
class TransitionConfig:
    """How 'next item after X' counts are gathered and applied (tuned on Games train splits)."""

    window: int = 5  # count pairs up to this many steps apart
    step_decay: float = 0.7  # a pair d steps apart counts step_decay ** (d - 1)
    backward: float = 0.3  # weight of the reversed pair (bought after -> also before)
    last_n: int = 5  # how many of the user's latest items drive the signal
    recency_decay: float = 0.5  # the q-th latest item counts recency_decay ** q

    def __post_init__(self) -> None:
        if self.window < 1 or self.last_n < 1:
            raise ValueError("window and last_n must be >= 1")
        for name in ("step_decay", "recency_decay"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.backward < 0:
            raise ValueError("backward must be >= 0")


def transition_counts(
    sequences: Sequence[Sequence[int]], n_items: int, config: TransitionConfig | None = None
) -> sp.csr_matrix:
    """How often item b follows item a d steps later, as integers: C[a, b * window + d - 1].
    (n_items, n_items * window) int64. Counts of disjoint groups of sequences add up to the
    counts of all of them, exactly: the per-partition half of a distributed fit."""
    config = config or TransitionConfig()
    w = config.window
    lens = np.array([len(s) for s in sequences], dtype=np.int64)
    flat = np.fromiter((i for s in sequences for i in s), dtype=np.int64, count=int(lens.sum()))
    owner = np.repeat(np.arange(len(sequences)), lens)  # (total,)
    src, col = [], []
    for d in range(1, w + 1):
        same = owner[:-d] == owner[d:] if len(flat) > d else np.zeros(0, bool)
        src.append(flat[:-d][same])
        col.append(flat[d:][same] * w + d - 1)
    rows, cols = np.concatenate(src), np.concatenate(col)
    m = sp.csr_matrix((np.ones(len(rows), np.int64), (rows, cols)), shape=(n_items, n_items * w))
    m.sum_duplicates()
    return m


def transitions_from_counts(
    counts: sp.csr_matrix, config: TransitionConfig | None = None
) -> sp.csr_matrix:
    """The row-normalised transition matrix of (merged) transition_counts. (n_items, n_items)."""
    config = config or TransitionConfig()
    w = config.window
    n = counts.shape[0]
    c = sp.csr_matrix(counts)
    c.sum_duplicates()  # canonical (sorted, no duplicates): equal counts give equal floats
    c = c.tocoo()
    a, b, d = c.row, c.col // w, c.col % w  # d: steps apart - 1
    weight = config.step_decay ** d.astype(np.float64) * c.data  # float64: one rounding below
    t = sp.csr_matrix(
        (np.concatenate([weight, weight * config.backward]),
         (np.concatenate([a, b]), np.concatenate([b, a]))),
        shape=(n, n),
    )  # fmt: skip
    t.sum_duplicates()
    t.setdiag(0)  # re-buying the same item is not a transition
    t.eliminate_zeros()
    rows = np.asarray(t.sum(axis=1)).ravel()
    rows[rows == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / rows) @ t, dtype=np.float32)


def fit_transitions(
    sequences: Sequence[Sequence[int]], n_items: int, config: TransitionConfig | None = None
) -> sp.csr_matrix:
    """Row-normalised transition matrix T[a, b] ~ P(b soon after a). (n_items, n_items)."""
    return transitions_from_counts(transition_counts(sequences, n_items, config), config)


def recent_items_matrix(
    histories: Sequence[Sequence[int]], n_items: int, config: TransitionConfig
) -> sp.csr_matrix:
    """Recency weights of each user's last_n items. (B, n_items)."""
    rows, cols, vals = [], [], []
    for r, h in enumerate(histories):
        for q, i in enumerate(list(h)[-config.last_n :][::-1]):
            rows.append(r)
            cols.append(i)
            vals.append(config.recency_decay**q)
    m = sp.csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=(len(histories), n_items))
    m.sum_duplicates()
    return m


def transition_scores(
    t: sp.csr_matrix, histories: Sequence[Sequence[int]], config: TransitionConfig
) -> np.ndarray:
    """Next-item scores from each history's latest items. (B, n_items) dense."""
    recent = recent_items_matrix(histories, t.shape[0], config)
    return (recent @ t).toarray()
