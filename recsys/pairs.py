"""Features of (shopper, candidate) pairs beyond the components' own scores: how the candidate
relates to the shopper's latest items and how popular it is among everyone's latest items.

    ctx = PairContext.build(mf.item_factors, transitions, histories, seq)
    x = pair_features(cands, histories, ctx)     # (B, C, len(PAIR_FEATURES)) float32

`recent_popularity` counts an item among each shopper's last few items: the catalogue's
"what is bought now", where plain popularity counts every history from its start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import logsumexp

from recsys.coldstart import normalize_rows
from recsys.sasrec import SASRec

PAIR_FEATURES = [
    "als_cos_last",  # cosine of the ALS item factors of the candidate and the last item
    "als_cos_max3",  # the largest of those cosines over the last 3 items
    "trans_from_last",  # transition weight last item -> candidate
    "trans_to_last",  # transition weight candidate -> last item
    "recent_pop_log",  # log(1 + the candidate's count among everyone's latest items)
    "recent_share_log",  # log of (recent count + 1) / (all-time count + 1)
    "sasrec_logp_last1",  # SASRec's log-probability of the candidate after the last item only
    "sasrec_logp_last3",  # ... after the last 3 items only
]


@dataclass
class PairContext:
    """What pair_features looks up: unit ALS item factors, transitions, popularity recent and
    all-time (count of shoppers), and the sequence model (None: its features are 0)."""

    item_unit: np.ndarray | None  # (n_items, f) rows of unit norm, None without ALS
    transitions: sp.csr_matrix  # (n_items, n_items)
    recent: np.ndarray  # (n_items,)
    popularity: np.ndarray  # (n_items,)
    seq: SASRec | None

    @classmethod
    def build(
        cls,
        item_factors: np.ndarray | None,
        transitions: sp.csr_matrix,
        histories: Sequence[Sequence[int]],
        popularity: np.ndarray,
        seq: SASRec | None,
        last: int = 3,
    ) -> PairContext:
        """The context of a fitted recommender; recent popularity from these histories."""
        unit = None if item_factors is None else normalize_rows(item_factors)
        recent = recent_popularity(histories, transitions.shape[0], last)
        return cls(unit, sp.csr_matrix(transitions), recent, popularity, seq)


def recent_popularity(
    histories: Sequence[Sequence[int]], n_items: int, last: int = 3
) -> np.ndarray:
    """How many shoppers have each item among their `last` latest items. -> (n_items,) float32."""
    items = [i for h in histories for i in set(list(h)[-last:])]
    return np.bincount(np.asarray(items, np.int64), minlength=n_items).astype(np.float32)


def _short_logp(seq: SASRec, histories: Sequence[Sequence[int]], n: int, safe: np.ndarray):
    """SASRec's log-probability of each candidate after only the last n items. (B, C)."""
    s = seq.score([list(h)[-n:] for h in histories])
    return np.take_along_axis(s, safe, axis=1) - logsumexp(s, axis=1, keepdims=True)


def pair_features(
    cands: np.ndarray, histories: Sequence[Sequence[int]], ctx: PairContext
) -> np.ndarray:
    """The PAIR_FEATURES of each (shopper, candidate); an empty history or slot (-1) gets 0.
    (B, C) item rows -> (B, C, len(PAIR_FEATURES)) float32."""
    b, c = cands.shape
    safe = np.maximum(cands, 0)
    has = np.array([len(h) > 0 for h in histories], bool)
    last = np.array([h[-1] if len(h) else 0 for h in histories], np.int64)
    out = np.zeros((b, c, len(PAIR_FEATURES)), np.float32)
    if ctx.item_unit is not None:
        u = ctx.item_unit
        latest = [[h[-min(q, len(h))] for q in (1, 2, 3)] if len(h) else [0] * 3 for h in histories]
        cos = np.einsum("bcf,bkf->bck", u[safe], u[np.asarray(latest, np.int64)])  # (B, C, 3)
        out[:, :, 0] = cos[:, :, 0]
        out[:, :, 1] = cos.max(axis=2)
    t = ctx.transitions
    out[:, :, 2] = np.take_along_axis(t[last].toarray(), safe, axis=1)
    out[:, :, 3] = np.asarray(t[safe.ravel(), np.repeat(last, c)]).reshape(b, c)
    out[:, :, 4] = np.log1p(ctx.recent[safe])
    out[:, :, 5] = np.log1p(ctx.recent[safe]) - np.log1p(ctx.popularity[safe])
    if ctx.seq is not None and has.any():
        out[:, :, 6] = _short_logp(ctx.seq, histories, 1, safe)
        out[:, :, 7] = _short_logp(ctx.seq, histories, 3, safe)
    out[~has] = 0.0
    out[cands < 0] = 0.0
    out[~np.isfinite(out)] = 0.0
    return out
