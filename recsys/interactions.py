"""Weighted user x item interaction matrices from behaviour events or purchase sequences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recsys.ids import IdIndex

# Event type aliases of external formats (Taobao's pv/buy) onto the store's names.
TYPE_ALIASES = {"pv": "view", "buy": "purchase", "order": "purchase", "add_to_cart": "cart"}


def _default_weights() -> dict[str, float]:
    return {"purchase": 5.0, "cart": 3.0, "fav": 2.0, "click": 1.0, "view": 0.5}


@dataclass
class InteractionConfig:
    """How events turn into one confidence weight per (user, item)."""

    type_weights: dict[str, float] = field(default_factory=_default_weights)
    dwell_bonus: float = 0.5  # a view with dwell >= dwell_cap_s counts (1 + dwell_bonus) times
    dwell_cap_s: float = 120.0
    half_life_days: float | None = 30.0  # older events decay; None: no decay
    sequence_recency: float = 1.0  # sequences: the last item weighs (1 + this), the first ~1

    def __post_init__(self) -> None:
        if not self.type_weights or any(w < 0 for w in self.type_weights.values()):
            raise ValueError("type_weights must be non-empty and non-negative")
        if self.dwell_bonus < 0 or self.dwell_cap_s <= 0:
            raise ValueError("dwell_bonus must be >= 0 and dwell_cap_s > 0")
        if self.half_life_days is not None and self.half_life_days <= 0:
            raise ValueError("half_life_days must be positive (or None)")
        if self.sequence_recency < 0:
            raise ValueError("sequence_recency must be >= 0")


@dataclass
class Interactions:
    """A CSR user x item confidence matrix with its id indexes."""

    matrix: sp.csr_matrix  # (n_users, n_items)
    users: IdIndex
    items: IdIndex


def normalize_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events with columns user_id, item_id (str), type (store names), ts (unix seconds)."""
    missing = {"user_id", "item_id", "type", "ts"} - set(events.columns)
    if missing:
        raise ValueError(f"events lack columns {sorted(missing)}")
    out = events.copy()
    out["user_id"] = out["user_id"].astype(str)
    out["item_id"] = out["item_id"].astype(str)
    out["type"] = out["type"].astype(str).str.lower().replace(TYPE_ALIASES)
    if np.issubdtype(out["ts"].dtype, np.datetime64):
        out["ts"] = out["ts"].astype("datetime64[s]").astype("int64").astype(float)
    else:
        out["ts"] = pd.to_numeric(out["ts"]).astype(float)
    if "dwell_seconds" not in out:
        out["dwell_seconds"] = np.nan
    if "category" not in out:
        out["category"] = ""
    out["category"] = out["category"].fillna("").astype(str)
    return out


def event_weights(events: pd.DataFrame, config: InteractionConfig, now: float) -> np.ndarray:
    """Confidence of each normalised event: type weight x dwell bonus x recency decay."""
    w = events["type"].map(config.type_weights).fillna(0.0).to_numpy(dtype=float)
    dwell = events["dwell_seconds"].fillna(0.0).to_numpy(dtype=float)
    w = w * (1.0 + config.dwell_bonus * np.clip(dwell / config.dwell_cap_s, 0.0, 1.0))
    if config.half_life_days is not None:
        age_days = np.maximum(now - events["ts"].to_numpy(dtype=float), 0.0) / 86400.0
        w = w * 0.5 ** (age_days / config.half_life_days)
    return w


def from_events(
    events: pd.DataFrame,
    config: InteractionConfig | None = None,
    items: IdIndex | None = None,
    now: float | None = None,
    users: IdIndex | None = None,
) -> Interactions:
    """Sum event confidences per (user, item); given indexes drop events of unknown ids."""
    config = config or InteractionConfig()
    ev = normalize_events(events)
    now = float(ev["ts"].max()) if now is None and len(ev) else (now or 0.0)
    ev = ev.assign(w=event_weights(ev, config, now))
    ev = ev[ev["w"] > 0]
    users = users if users is not None else IdIndex.from_values(ev["user_id"])
    items = items if items is not None else IdIndex.from_values(ev["item_id"])
    cols, rows = items.lookup(ev["item_id"]), users.lookup(ev["user_id"])
    keep = (cols >= 0) & (rows >= 0)
    m = sp.csr_matrix(
        (ev["w"].to_numpy()[keep].astype(np.float32), (rows[keep], cols[keep])),
        shape=(len(users), len(items)),
    )
    m.sum_duplicates()
    return Interactions(m, users, items)


def from_sequences(
    sequences: Sequence[Sequence[int]], n_items: int, config: InteractionConfig | None = None
) -> sp.csr_matrix:
    """User x item matrix from index sequences (oldest first); later items weigh more."""
    config = config or InteractionConfig()
    rows, cols, vals = [], [], []
    for u, seq in enumerate(sequences):
        n = len(seq)
        for p, i in enumerate(seq):
            rows.append(u)
            cols.append(i)
            vals.append(1.0 + config.sequence_recency * (p + 1) / n)
    m = sp.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(sequences), n_items)
    )
    m.sum_duplicates()
    return m


def sequences_from_events(
    events: pd.DataFrame, users: IdIndex, items: IdIndex, types: Sequence[str] | None = None
) -> list[list[int]]:
    """Per-user item index sequences in time order (optionally only some event types)."""
    ev = normalize_events(events)
    if types is not None:
        ev = ev[ev["type"].isin(list(types))]
    ev = ev.assign(u=users.lookup(ev["user_id"]), i=items.lookup(ev["item_id"]))
    ev = ev[(ev["u"] >= 0) & (ev["i"] >= 0)].sort_values(["u", "ts"], kind="stable")
    seqs: list[list[int]] = [[] for _ in range(len(users))]
    for u, i in zip(ev["u"].to_numpy(), ev["i"].to_numpy(), strict=True):
        s = seqs[u]
        if not s or s[-1] != i:  # collapse repeated views of one item
            s.append(int(i))
    return seqs


def binarize(m: sp.csr_matrix) -> sp.csr_matrix:
    """Same sparsity pattern with every stored value 1 (for filtering seen items)."""
    out = m.copy().tocsr()
    out.data[:] = 1.0
    return out


def from_ratings(
    ratings: pd.DataFrame, users: IdIndex | None = None, items: IdIndex | None = None
) -> Interactions:
    """Explicit ratings (user_id, item_id, rating) -> user x item matrix of the mean rating.

    Feed it to MFConfig(model="explicit"); zero cells are unobserved, not zero ratings.
    """
    missing = {"user_id", "item_id", "rating"} - set(ratings.columns)
    if missing:
        raise ValueError(f"ratings lack columns {sorted(missing)}")
    r = ratings.assign(
        user_id=ratings["user_id"].astype(str), item_id=ratings["item_id"].astype(str)
    )
    r = r.groupby(["user_id", "item_id"], sort=False)["rating"].mean().reset_index()
    users = users if users is not None else IdIndex.from_values(r["user_id"])
    items = items if items is not None else IdIndex.from_values(r["item_id"])
    rows, cols = users.lookup(r["user_id"]), items.lookup(r["item_id"])
    keep = (rows >= 0) & (cols >= 0)
    m = sp.csr_matrix(
        (r["rating"].to_numpy(dtype=np.float32)[keep], (rows[keep], cols[keep])),
        shape=(len(users), len(items)),
    )
    return Interactions(m, users, items)
