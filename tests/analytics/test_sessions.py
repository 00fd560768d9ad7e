"""Sessionisation: 30 minutes without an event ends a visit; known logs, known visits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.sessions import SESSION_GAP_S, sessionize, sessions_frame


def test_the_30_minute_rule_on_a_known_log():
    # u1: 0, 10 min, 40 min (30 min after 10: same visit), 71 min (31 min after: new visit);
    # u2: one event between u1's; events given out of order
    users = ["u1", "u2", "u1", "u1", "u1", "u2"]
    ts = [600.0, 700.0, 0.0, 2400.0, 4260.0, 700.0 + SESSION_GAP_S + 1]
    assert sessionize(users, ts).tolist() == [0, 2, 0, 0, 1, 3]


def test_exactly_the_gap_is_one_visit_and_users_never_share_one():
    assert sessionize(["a", "a"], [0, SESSION_GAP_S]).tolist() == [0, 0]
    assert sessionize(["a", "a"], [0, SESSION_GAP_S + 0.5]).tolist() == [0, 1]
    assert sessionize(["a", "b"], [0, 1]).tolist() == [0, 1]
    assert sessionize([], []).tolist() == []


def test_a_long_active_visit_is_not_cut():
    """Events every 20 minutes for 5 hours are one visit (the rule is inactivity, not length)."""
    t = np.arange(0, 5 * 3600 + 1, 20 * 60, dtype=float)
    assert set(sessionize(["u"] * len(t), t).tolist()) == {0}


def test_sessions_frame_counts_and_dwell():
    ev = pd.DataFrame(
        {
            "user_id": ["u1", "u1", "u1", "u1", "u2"],
            "ts": [0.0, 60.0, 300.0, 5000.0, 10.0],
            "type": ["page", "view", "cart", "view", "view"],
            "dwell_seconds": [5.0, 40.0, np.nan, np.nan, np.nan],
        }
    )
    s = sessions_frame(ev).set_index("session")
    assert s["user_id"].tolist() == ["u1", "u1", "u2"]
    assert s["events"].tolist() == [3, 1, 1]
    assert s["duration_s"].tolist() == [300.0, 0.0, 0.0]
    assert s["views"].tolist() == [1, 1, 1] and s["pages"].tolist() == [2, 1, 1]
    assert s["cart"].tolist() == [1, 0, 0]
    # reported dwell where the client sent it, else the visit's span
    assert s["dwell_s"].tolist() == [45.0, 0.0, 0.0]
