"""Features of (shopper, candidate) pairs beyond the components' own scores: how the candidate
relates to the shopper's latest items (ALS cosines, transitions one and two steps away, SASRec
on the latest items only, the titles' words and platform), how popular it is among everyone's
latest items and where it sits in shoppers' histories.

    ctx = PairContext.build(mf.item_factors, transitions, histories, popularity, seq, text=text)
    x = pair_features(cands, histories, ctx)     # (B, C, len(PAIR_FEATURES)) float32

`recent_popularity` counts an item among each shopper's last few items: the catalogue's
"what is bought now", where plain popularity counts every history from its start. New features
go at the end of PAIR_FEATURES: a stacker saved with fewer reads the first ones only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recsys.coldstart import normalize_rows
from recsys.metrics import row_logsumexp
from recsys.sasrec import SASRec
from recsys.titles import TITLE_FEATURES, ItemText, title_features

PAIR_FEATURES = [
    "als_cos_last",  # cosine of the ALS item factors of the candidate and the last item
    "als_cos_max3",  # the largest of those cosines over the last 3 items
    "trans_from_last",  # transition weight last item -> candidate
    "trans_to_last",  # transition weight candidate -> last item
    "recent_pop_log",  # log(1 + the candidate's count among everyone's latest items)
    "recent_share_log",  # log of (recent count + 1) / (all-time count + 1)
    "sasrec_logp_last1",  # SASRec's log-probability of the candidate after the last item only
    "sasrec_logp_last3",  # ... after the last 3 items only
    "trans_from_prev",  # transition weight second-to-last item -> candidate
    "trans_2hop",  # two transition steps from the last item to the candidate
    "recent1_pop_log",  # log(1 + the candidate's count among everyone's very last item)
    "item_position",  # where in shoppers' histories the candidate sits on average (0 first, 1 last)
    "pop_vs_history",  # the candidate's log popularity minus the history items' mean
    "als_cos_hist",  # cosine of the candidate with the mean unit factor of the last 10 items
    *TITLE_FEATURES,  # the titles' word similarity and platform (`recsys/titles.py`)
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
    recent1: np.ndarray | None = None  # (n_items,) count among everyone's last item
    position: np.ndarray | None = None  # (n_items,) mean relative position in histories
    text: ItemText | None = None  # the items' titles (None: their features are 0)

    @classmethod
    def build(
        cls,
        item_factors: np.ndarray | None,
        transitions: sp.csr_matrix,
        histories: Sequence[Sequence[int]],
        popularity: np.ndarray,
        seq: SASRec | None,
        last: int = 3,
        text: ItemText | None = None,
    ) -> PairContext:
        """The context of a fitted recommender; recent popularity from these histories."""
        unit = None if item_factors is None else normalize_rows(item_factors)
        n = transitions.shape[0]
        recent = recent_popularity(histories, n, last)
        return cls(
            unit,
            sp.csr_matrix(transitions),
            recent,
            popularity,
            seq,
            recent_popularity(histories, n, 1),
            mean_position(histories, n),
            text,
        )


def recent_popularity(
    histories: Sequence[Sequence[int]], n_items: int, last: int = 3
) -> np.ndarray:
    """How many shoppers have each item among their `last` latest items. -> (n_items,) float32."""
    items = [i for h in histories for i in set(list(h)[-last:])]
    return np.bincount(np.asarray(items, np.int64), minlength=n_items).astype(np.float32)


def mean_position(histories: Sequence[Sequence[int]], n_items: int) -> np.ndarray:
    """Each item's mean relative position in the histories of 2+ items (0: first, 1: last; 0.5
    for an item in none of them). -> (n_items,) float32."""
    items, pos = [], []
    for h in histories:
        if len(h) >= 2:
            items += list(h)
            pos += list(np.arange(len(h)) / (len(h) - 1))
    idx = np.asarray(items, np.int64)
    total = np.bincount(idx, weights=np.asarray(pos, np.float64), minlength=n_items)
    count = np.bincount(idx, minlength=n_items)
    return np.where(count > 0, total / np.maximum(count, 1), 0.5).astype(np.float32)


def _short_logp(seq: SASRec, histories: Sequence[Sequence[int]], n: int, safe: np.ndarray):
    """SASRec's log-probability of each candidate after only the last n items. (B, C)."""
    s = seq.score([list(h)[-n:] for h in histories])
    return np.take_along_axis(s, safe, axis=1) - row_logsumexp(s)


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
    prev = np.array([h[-2] if len(h) >= 2 else -1 for h in histories], np.int64)
    if ctx.item_unit is not None:
        u = ctx.item_unit
        latest = [[h[-min(q, len(h))] for q in (1, 2, 3)] if len(h) else [0] * 3 for h in histories]
        cos = np.einsum("bcf,bkf->bck", u[safe], u[np.asarray(latest, np.int64)])  # (B, C, 3)
        out[:, :, 0] = cos[:, :, 0]
        out[:, :, 1] = cos.max(axis=2)
        mean = np.stack([u[list(h)[-10:]].mean(axis=0) if len(h) else u[0] for h in histories])
        mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-9)
        out[:, :, 13] = np.einsum("bcf,bf->bc", u[safe], mean)
    t = ctx.transitions
    out[:, :, 2] = np.take_along_axis(t[last].toarray(), safe, axis=1)
    out[:, :, 3] = np.asarray(t[safe.ravel(), np.repeat(last, c)]).reshape(b, c)
    out[:, :, 4] = np.log1p(ctx.recent[safe])
    out[:, :, 5] = np.log1p(ctx.recent[safe]) - np.log1p(ctx.popularity[safe])
    from_prev = t[np.maximum(prev, 0)].toarray()
    from_prev[prev < 0] = 0.0
    out[:, :, 8] = np.take_along_axis(from_prev, safe, axis=1)
    out[:, :, 9] = np.take_along_axis((t[last] @ t).toarray(), safe, axis=1)
    if ctx.recent1 is not None:
        out[:, :, 10] = np.log1p(ctx.recent1[safe])
    if ctx.position is not None:
        out[:, :, 11] = ctx.position[safe]
    logpop = np.log1p(ctx.popularity)
    hist_pop = np.array([logpop[list(h)].mean() if len(h) else 0.0 for h in histories])
    out[:, :, 12] = logpop[safe] - hist_pop[:, None]
    if ctx.seq is not None and has.any():
        out[:, :, 6] = _short_logp(ctx.seq, histories, 1, safe)
        out[:, :, 7] = _short_logp(ctx.seq, histories, 3, safe)
    if ctx.text is not None:
        k = PAIR_FEATURES.index(TITLE_FEATURES[0])
        out[:, :, k : k + len(TITLE_FEATURES)] = title_features(cands, histories, ctx.text)
    out[~has] = 0.0
    out[cands < 0] = 0.0
    out[~np.isfinite(out)] = 0.0
    return out
