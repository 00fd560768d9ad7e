"""Behaviour features at a cutoff time: (user, item) pairs and users, from events before it.

Every feature uses only events with ts < cutoff, so one function serves training (many past
cutoffs) and scoring (the real cutoff). Counts are log1p-scaled, ages are in log1p hours.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

TYPES = ("view", "click", "cart", "fav", "purchase")
DAY = 86400.0


def _window(events: pd.DataFrame, cutoff: float, lookback_days: float | None) -> pd.DataFrame:
    ev = events[events["ts"] < cutoff]
    if lookback_days is not None:
        ev = ev[ev["ts"] >= cutoff - lookback_days * DAY]
    ev = ev.copy()
    ev["age_h"] = (cutoff - ev["ts"]) / 3600.0
    ev["day"] = np.floor(ev["age_h"] / 24.0)
    for t in TYPES:
        ev[t] = (ev["type"] == t).astype(np.float32)
    ev["any"] = 1.0
    return ev


def _counts(
    ev: pd.DataFrame, keys: list[str], windows: Sequence[float], prefix: str
) -> pd.DataFrame:
    """Event counts per type, overall and within each recent window (days)."""
    cols = [*TYPES, "any"]
    parts = [ev.groupby(keys)[cols].sum().add_prefix(f"{prefix}_")]
    for w in windows:
        recent = ev[ev["age_h"] < w * 24.0]
        parts.append(recent.groupby(keys)[cols].sum().add_prefix(f"{prefix}_{w:g}d_"))
    return pd.concat(parts, axis=1).fillna(0.0)


def user_features(
    events: pd.DataFrame,
    cutoff: float,
    windows: Sequence[float] = (1, 3),
    lookback_days: float | None = None,
) -> pd.DataFrame:
    """Per-user activity features, indexed by user_id."""
    ev = _window(events, cutoff, lookback_days)
    return _user_block(ev, windows)


def _user_block(ev: pd.DataFrame, windows: Sequence[float]) -> pd.DataFrame:
    g = ev.groupby("user_id")
    f = _counts(ev, ["user_id"], windows, "u")
    f["u_active_days"] = g["day"].nunique()
    f["u_items"] = g["item_id"].nunique()
    f["u_buy_per_day"] = f["u_purchase"] / f["u_active_days"]
    f["u_last_h"] = g["age_h"].min()
    f["u_dwell"] = g["dwell_seconds"].mean().fillna(0.0)
    return f


def pair_features(
    events: pd.DataFrame,
    cutoff: float,
    windows: Sequence[float] = (1, 3),
    lookback_days: float | None = None,
    extra_pairs: Sequence[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Features of every (user, item) pair with an event before cutoff, MultiIndex (user, item).

    extra_pairs adds pairs without any event of their own (pair counts 0, pair age = the
    oldest age in the window), scored from their user, item and category features.
    """
    ev = _window(events, cutoff, lookback_days)
    if ev.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["user_id", "item_id"]))
    keys = ["user_id", "item_id"]
    g = ev.groupby(keys)
    f = _counts(ev, keys, windows, "p")
    f["p_last_h"] = g["age_h"].min()
    f["p_first_h"] = g["age_h"].max()
    f["p_days"] = g["day"].nunique()
    f["p_dwell"] = g["dwell_seconds"].mean().fillna(0.0)
    if extra_pairs:
        extra = pd.MultiIndex.from_tuples([(str(u), str(i)) for u, i in extra_pairs], names=keys)
        f = f.reindex(f.index.union(extra)).fillna(0.0)
        oldest = float(ev["age_h"].max())
        new = ~f.index.isin(g.size().index)
        f.loc[new, ["p_last_h", "p_first_h"]] = oldest
    f["p_cart_open"] = ((f["p_cart"] > 0) & (f["p_purchase"] == 0)).astype(float)
    # Where this item sits among the user's items by recency (1 = touched last).
    f["p_recency_rank"] = f.groupby(level="user_id")["p_last_h"].rank(method="dense")
    f["p_share"] = f["p_any"] / f.groupby(level="user_id")["p_any"].transform("sum")

    item_cat = ev.groupby("item_id")["category"].last()
    users = _user_block(ev, windows)
    gi = ev.groupby("item_id")
    items = pd.DataFrame(
        {
            "i_users": gi["user_id"].nunique(),
            "i_purchase": gi["purchase"].sum(),
            "i_cart": gi["cart"].sum(),
        }
    )
    items["i_buy_rate"] = items["i_purchase"] / items["i_users"]
    uc = _counts(ev, ["user_id", "category"], windows[:1], "c")

    idx = f.index.to_frame(index=False)
    idx["category"] = item_cat.reindex(idx["item_id"]).fillna("").to_numpy()
    out = f.reset_index(drop=True)
    out = pd.concat(
        [
            out,
            users.reindex(idx["user_id"]).reset_index(drop=True),
            items.reindex(idx["item_id"]).reset_index(drop=True),
            uc.reindex(pd.MultiIndex.from_frame(idx[["user_id", "category"]])).reset_index(
                drop=True
            ),
        ],
        axis=1,
    ).fillna(0.0)
    has_cat = idx["category"].astype(str).str.len().to_numpy() > 0
    out["c_affinity"] = np.where(has_cat, out["c_any"] / np.maximum(out["u_any"], 1.0), 0.0)
    out.index = f.index
    return scale(out)


def scale(f: pd.DataFrame) -> pd.DataFrame:
    """log1p every non-negative count/age column (ratios in [0, 1] are left as they are)."""
    keep = {"p_cart_open", "c_affinity", "i_buy_rate", "p_share"}
    cols = [c for c in f.columns if c not in keep]
    f[cols] = np.log1p(np.maximum(f[cols].to_numpy(dtype=float), 0.0))
    return f.astype(np.float32)


def purchase_labels(
    events: pd.DataFrame, cutoff: float, index: pd.MultiIndex, horizon_hours: float = 24.0
) -> np.ndarray:
    """1 where the (user, item) pair has a purchase in [cutoff, cutoff + horizon)."""
    end = cutoff + horizon_hours * 3600.0
    buys = events[(events["type"] == "purchase") & (events["ts"] >= cutoff) & (events["ts"] < end)]
    bought = pd.MultiIndex.from_frame(buys[["user_id", "item_id"]].drop_duplicates())
    return index.isin(bought).astype(np.int8)


def churn_labels(
    events: pd.DataFrame, cutoff: float, users: pd.Index, horizon_days: float
) -> np.ndarray:
    """1 where the user has no event at all in [cutoff, cutoff + horizon_days)."""
    end = cutoff + horizon_days * DAY
    active = events[(events["ts"] >= cutoff) & (events["ts"] < end)]["user_id"].unique()
    return (~users.isin(active)).astype(np.int8)
