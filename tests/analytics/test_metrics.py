"""Engagement metrics: a small log with hand-counted answers, and the Taobao dev log against an
independent plain-Python count of the same figures."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.metrics import engagement, normalise, select
from analytics.report import render_html

H = 3600.0
D = 86_400.0
T0 = 1_700_006_400.0  # 2023-11-15 00:00 UTC, a Wednesday


def small_log() -> pd.DataFrame:
    rows = [
        # u1: day 0 visit (view, cart, buy via the assistant), day 1 visit (view, review, share)
        ("u1", "a", "widget_open", T0, None, None),
        ("u1", "a", "view", T0 + 60, 30.0, None),
        ("u1", "a", "cart", T0 + 120, None, None),
        ("u1", "a", "purchase", T0 + 180, None, 200.0),
        ("u1", "a", "view", T0 + D, 10.0, None),
        ("u1", "a", "review", T0 + D + 60, None, 4.0),
        ("u1", "a", "share", T0 + D + 120, None, None),
        # u2: day 0 two visits (view; page + view + cart), buys on day 7 without the assistant
        ("u2", "b", "view", T0 + H, None, None),
        ("u2", None, "page", T0 + 3 * H, None, None),
        ("u2", "b", "view", T0 + 3 * H + 100, None, None),
        ("u2", "b", "cart", T0 + 3 * H + 200, None, None),
        ("u2", "b", "purchase", T0 + 7 * D, None, 100.0),
    ]
    cols = ["user_id", "item_id", "type", "ts", "dwell_seconds", "value"]
    return normalise(pd.DataFrame(rows, columns=cols))


def test_hand_counted_figures():
    m = engagement(small_log())
    assert (m["events"], m["users"], m["sessions"]) == (12, 2, 5)
    assert m["visit_frequency"]["sessions_per_user"]["mean"] == 2.5
    assert m["active_days"]["per_user"]["mean"] == 2.0  # u1: days 0, 1; u2: days 0, 7
    assert m["daily_active_users"] == {"2023-11-15": 2, "2023-11-16": 1, "2023-11-22": 1}
    # page views per session: u1 2 visits (1, 1), u2 3 visits (1, 2, 0)
    assert m["page_views_per_session"]["summary"]["mean"] == 1.0
    # funnel over sessions: 4 with a view, 2 of them with a cart, 1 of those with a purchase
    assert [s["count"] for s in m["funnel_sessions"]] == [4, 2, 1]
    assert [s["step_conversion"] for s in m["funnel_sessions"]] == [None, 0.5, 0.5]
    # over users: both viewed, carted and bought
    assert [s["count"] for s in m["funnel_users"]] == [2, 2, 2]
    # dwell per view: reported 30 and 10 s; the two unreported views: the time to the next
    # event in their visit (u2's day-0 second visit: 100 s; its first visit has no next event)
    assert m["dwell_per_view_s"]["reported"]["mean"] == 20.0
    assert m["dwell_per_view_s"]["to_next_event"]["n"] == 1
    assert m["dwell_per_view_s"]["to_next_event"]["mean"] == 100.0
    (cohort,) = m["retention"]
    assert cohort["week"] == "2023-11-13" and cohort["users"] == 2
    assert cohort["retention"] == {"D1": 0.5, "D7": 0.5, "D30": None}
    assert cohort["eligible"] == {"D1": 2, "D7": 2, "D30": 0}
    rs = m["reviews_shares"]
    assert (rs["reviews"], rs["shares"], rs["mean_rating"]) == (1, 1, 4.0)
    a = m["assistant"]
    assert (a["sessions_with_assistant"], a["session_share"]) == (1, 0.2)
    assert (a["purchase_share"], a["revenue"], a["revenue_share"]) == (0.5, 300.0, 0.666667)


def test_period_and_segments():
    ev = small_log()
    assert set(select(ev, segment="assistant")["user_id"]) == {"u1"}
    assert set(select(ev, segment="no-assistant")["user_id"]) == {"u2"}
    later = select(ev, start=T0 + D / 2, segment="returning")
    assert set(later["user_id"]) == {"u1", "u2"} and later["ts"].min() >= T0 + D / 2
    assert select(ev, start=T0 + D / 2, segment="new").empty
    with pytest.raises(ValueError, match="unknown segment"):
        select(ev, segment="vip")


def test_the_report_is_one_page_with_every_chart():
    page = render_html(engagement(small_log()))
    for chart in ("daily_active_users", "visit_frequency", "page_views", "funnel", "retention",
                  "dwell", "reviews_shares", "assistant"):  # fmt: skip
        assert f'data-chart="{chart}"' in page
    assert page.count("<script") >= 9 and "cdn.plot.ly" not in page.split("</head>")[0]


def independent(path: Path, offset_h: float) -> dict:
    """The same figures counted with plain Python loops over the CSV rows."""
    by_user: dict[str, list[tuple[float, str]]] = defaultdict(list)
    with path.open() as f:
        for user, _item, _cat, kind, ts in csv.reader(f):
            by_user[user].append((float(ts), {"pv": "view", "buy": "purchase"}.get(kind, kind)))
    sessions = []  # (user, types seen)
    days: dict[str, set[int]] = {}
    for user, rows in by_user.items():
        rows.sort()
        last = None
        for ts, kind in rows:
            if last is None or ts - last > 1800:
                sessions.append((user, []))
            sessions[-1][1].append(kind)
            last = ts
        days[user] = {int((ts + offset_h * 3600) // 86400) for ts, _ in rows}
    views = [s.count("view") for _, s in sessions]
    funnel_s = [
        sum("view" in s for _, s in sessions),
        sum("view" in s and "cart" in s for _, s in sessions),
        sum("view" in s and "cart" in s and "purchase" in s for _, s in sessions),
    ]
    types = {u: {k for _, k in rows} for u, rows in by_user.items()}
    funnel_u = [
        sum("view" in t for t in types.values()),
        sum({"view", "cart"} <= t for t in types.values()),
        sum({"view", "cart", "purchase"} <= t for t in types.values()),
    ]
    last_day = max(max(d) for d in days.values())
    d1 = defaultdict(lambda: [0, 0])  # first-visit week -> [eligible, back on day 1]
    for d in days.values():
        first = min(d)
        week = first - (first + 3) % 7
        if first + 1 <= last_day:
            d1[week][0] += 1
            d1[week][1] += (first + 1) in d
    return {
        "sessions": len(sessions),
        "sessions_per_user": len(sessions) / len(by_user),
        "active_days": sum(len(d) for d in days.values()) / len(days),
        "views_per_session": sum(views) / len(views),
        "funnel_sessions": funnel_s,
        "funnel_users": funnel_u,
        "d1": [round(b / e, 6) for _, (e, b) in sorted(d1.items())],
    }


def test_taobao_dev_log_matches_an_independent_count(shared_data: Path):
    path = shared_data / "taobao" / "UserBehavior_dev.csv"
    raw = pd.read_csv(path, header=None, names=["user_id", "item_id", "cat", "type", "ts"])
    m = engagement(normalise(raw.drop(columns="cat")), utc_offset_h=8)
    want = independent(path, 8)
    assert m["sessions"] == want["sessions"] == 12_253
    assert m["visit_frequency"]["sessions_per_user"]["mean"] == round(want["sessions_per_user"], 4)
    assert m["active_days"]["per_user"]["mean"] == round(want["active_days"], 4)
    assert np.isclose(m["page_views_per_session"]["summary"]["mean"], want["views_per_session"],
                      atol=1e-4)  # fmt: skip
    assert [s["count"] for s in m["funnel_sessions"]] == want["funnel_sessions"]
    assert [s["count"] for s in m["funnel_users"]] == want["funnel_users"]
    assert [c["retention"]["D1"] for c in m["retention"]] == want["d1"]
