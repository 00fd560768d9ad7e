"""Sessionisation: a visit ends after 30 minutes without an event (the standard web rule).

    sessionize(users, ts)              # session number per event (events in any order)
    sessions_frame(events)             # one row per visit: user, start, end, events, dwell

Pure functions over arrays and frames; the same rule serves the report and the tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SESSION_GAP_S = 30 * 60  # inactivity that ends a visit


def sessionize(
    users: np.ndarray | pd.Series, ts: np.ndarray | pd.Series, gap_s: float = SESSION_GAP_S
) -> np.ndarray:
    """A session number (0..n-1, ordered by user then start) for each event.

    A user's events sorted by time belong to one visit until the gap between two consecutive
    events is more than gap_s seconds; exactly gap_s apart is still the same visit.
    """
    u = np.asarray(users)
    t = np.asarray(ts, dtype=float)
    if len(u) != len(t):
        raise ValueError("users and ts must have the same length")
    if not len(u):
        return np.zeros(0, dtype=np.int64)
    codes = pd.factorize(u, sort=True)[0]
    order = np.lexsort((t, codes))
    cs, tsorted = codes[order], t[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (cs[1:] != cs[:-1]) | (np.diff(tsorted) > gap_s)
    sid_sorted = np.cumsum(new) - 1
    out = np.empty(len(order), dtype=np.int64)
    out[order] = sid_sorted
    return out


def sessions_frame(events: pd.DataFrame, gap_s: float = SESSION_GAP_S) -> pd.DataFrame:
    """One row per visit from events (user_id, ts in unix seconds, type; dwell_seconds optional).

    Columns: session, user_id, start, end, duration_s (last event - first), events, views
    (product views), pages (product views + page views), dwell_s (the summed dwell the client
    reported, else the duration), and a count column per event type.
    """
    ev = events.assign(session=sessionize(events["user_id"], events["ts"], gap_s))
    g = ev.groupby("session", sort=True)
    out = pd.DataFrame(
        {
            "user_id": g["user_id"].first(),
            "start": g["ts"].min(),
            "end": g["ts"].max(),
            "events": g.size(),
        }
    )
    out["duration_s"] = out["end"] - out["start"]
    counts = pd.crosstab(ev["session"], ev["type"])
    out = out.join(counts).fillna(0)
    for t in ("view", "page"):
        if t not in out:
            out[t] = 0
    out["views"] = out["view"]
    out["pages"] = out["view"] + out["page"]
    if "dwell_seconds" in ev:
        dwell = g["dwell_seconds"].sum(min_count=1)
        out["dwell_s"] = dwell.fillna(out["duration_s"])
    else:
        out["dwell_s"] = out["duration_s"]
    return out.reset_index()
