"""The funnel events, experiments and the engagement figures on SQLite, PostgreSQL and MariaDB
(after the migrations)."""

from __future__ import annotations

from datetime import datetime

import pytest

from analytics.assignment import assign
from assistant.db.migrate import upgrade_url
from assistant.db.session import session_factory
from assistant.errors import Unfit
from assistant.services import analytics, events, experiments
from assistant.services.records import NewEvent

T = datetime(2026, 3, 2, 10, 0)  # a Monday


def ev(cid: str, kind: str, minute: int, **extra) -> NewEvent:
    return NewEvent(client_event_id=cid, type=kind, product_id=extra.pop("product_id", None),
                    ts=T.replace(minute=minute), dwell_seconds=extra.pop("dwell", None),
                    session_id=None, query=None, **extra)  # fmt: skip


def test_funnel_and_experiment_on_each_database(db_url: str) -> None:
    upgrade_url(db_url)
    db = session_factory(db_url)()
    try:
        experiments.create_experiment(
            db, "assist", [{"name": "off", "weight": 1.0}, {"name": "on", "weight": 3.0}]
        )
        with pytest.raises(Unfit):
            events.record_events(db, "u1", [ev("x", "exposure", 0, experiment="nope")])
        db.rollback()
        events.record_events(db, "u1", [
            ev("e1", "exposure", 0, experiment="assist"),
            ev("e2", "widget_open", 1),
            ev("e3", "page", 2, page="/offers"),
            ev("e4", "view", 3, product_id="p1", dwell=40.0),
            ev("e5", "cart", 4, product_id="p1"),
            ev("e6", "purchase", 5, product_id="p1", value=245.5),
            ev("e7", "review", 6, product_id="p1", value=5.0),
            ev("e8", "share", 7, product_id="p1"),
        ])  # fmt: skip
        events.record_events(db, "u2", [ev("f1", "view", 50, product_id="p2")])
        result = analytics.engagement_report(db, analytics.AnalyticsQuery(experiment="assist"))
        m = result.metrics
        assert (m["events"], m["users"], m["sessions"]) == (9, 2, 2)
        assert [s["count"] for s in m["funnel_sessions"]] == [2, 1, 1]
        assert m["assistant"]["revenue"] == 245.5 and m["assistant"]["revenue_share"] == 1.0
        assert m["reviews_shares"]["mean_rating"] == 5.0 and m["reviews_shares"]["shares"] == 1
        assert m["dwell_per_view_s"]["reported"]["mean"] == 40.0
        arm = assign("assist", "u1", [("off", 0.25), ("on", 0.75)])
        (mine,) = [a for a in result.experiment["arms"] if a["users"]]
        assert mine["arm"] == arm and mine["rate"] == 1.0
    finally:
        db.close()
