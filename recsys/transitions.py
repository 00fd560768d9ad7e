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


def fit_transitions(
    sequences: Sequence[Sequence[int]], n_items: int, config: TransitionConfig | None = None
) -> sp.csr_matrix:
    """Row-normalised transition matrix T[a, b] ~ P(b soon after a). (n_items, n_items)."""
    config = config or TransitionConfig()
    lens = np.array([len(s) for s in sequences], dtype=np.int64)
    flat = np.fromiter((i for s in sequences for i in s), dtype=np.int64, count=int(lens.sum()))
    owner = np.repeat(np.arange(len(sequences)), lens)  # (total,)
    src, dst, val = [], [], []
    for d in range(1, config.window + 1):
        same = owner[:-d] == owner[d:] if len(flat) > d else np.zeros(0, bool)
        a, b = flat[:-d][same], flat[d:][same]
        w = np.full(len(a), config.step_decay ** (d - 1), dtype=np.float32)
        src += [a, b]
        dst += [b, a]
        val += [w, w * config.backward]
    if not src:
        return sp.csr_matrix((n_items, n_items), dtype=np.float32)
    t = sp.csr_matrix(
        (np.concatenate(val), (np.concatenate(src), np.concatenate(dst))), shape=(n_items, n_items)
    )
    t.sum_duplicates()
    t.setdiag(0)  # re-buying the same item is not a transition
    t.eliminate_zeros()
    rows = np.asarray(t.sum(axis=1)).ravel()
    rows[rows == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / rows) @ t, dtype=np.float32)


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
