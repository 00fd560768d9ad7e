"""Engagement analytics over the store's database: the report and experiment results.

    frame = load_events(db, start, end)                       # SQL in the database, one query
    result = engagement_report(db, AnalyticsQuery(...))       # metrics (+ an experiment's arms)
    html = report_html(result)                                # one self-contained page

Called by `shopassist analytics report|experiment`, GET /v1/admin/analytics and the admin page.
The metrics themselves live in the analytics library (pandas over the selected events).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.experiments import ExperimentResult, analyse, exposed_users
from analytics.metrics import EngagementMetrics, engagement, normalise
from analytics.metrics import select as select_events
from analytics.report import experiment_figure, render_html
from assistant.db.models import Event
from assistant.errors import NotFound
from assistant.services.experiments import get_experiment

EPOCH_DAY = date(1970, 1, 1).toordinal()
COLUMNS = ["user_id", "item_id", "type", "ts", "dwell_seconds", "value", "experiment", "arm"]


class NoEvents(NotFound):
    """Nothing to measure: no events in the period (or segment)."""

    code = "no_events"


@dataclass
class AnalyticsQuery:
    """What to report: a period of calendar days (at utc_offset_h), a segment, an experiment."""

    start: date | None = None
    end: date | None = None  # inclusive
    segment: str = "all"
    experiment: str | None = None
    utc_offset_h: float = 0.0
    cuped: bool = False

    def bounds(self) -> tuple[float | None, float | None]:
        """[start, end) in unix seconds: the end day is included."""

        def unix(d: date) -> float:  # day arithmetic: no datetime overflow at year 1 or 9999
            return (d.toordinal() - EPOCH_DAY) * 86_400.0 - self.utc_offset_h * 3600.0

        lo = unix(self.start) if self.start else None
        hi = unix(self.end) + 86_400 if self.end else None
        return lo, hi


@dataclass
class AnalyticsResult:
    """The report's figures: engagement metrics and, when asked, the experiment's analysis."""

    metrics: EngagementMetrics
    experiment: ExperimentResult | None = None


def load_events(db: Session) -> pd.DataFrame:
    """Every event of the store as the analytics library's normalised frame (one SQL query)."""
    stmt = select(
        Event.user_id,
        Event.product_id,
        Event.type,
        Event.ts,
        Event.dwell_seconds,
        Event.value,
        Event.experiment,
        Event.arm,
    ).order_by(Event.ts, Event.id)
    frame = pd.DataFrame(db.execute(stmt).all(), columns=COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"])
    return normalise(frame)


def analyse_frame(events: pd.DataFrame, query: AnalyticsQuery, db: Session) -> AnalyticsResult:
    """The report's figures for a normalised events frame (from the database or a log file)."""
    start, end = query.bounds()
    try:
        chosen = select_events(events, start, end, query.segment)
    except ValueError as exc:  # an unknown segment
        raise NotFound(str(exc)) from exc
    if chosen.empty:
        raise NoEvents("no events in the selected period and segment")
    metrics = engagement(chosen, query.utc_offset_h)
    result = AnalyticsResult(metrics=metrics)
    if query.experiment:
        info = get_experiment(db, query.experiment)
        weights = {a["name"]: a["weight"] for a in info["arms"]}
        users = exposed_users(chosen, query.experiment)
        result.experiment = analyse(
            users, weights, info["arms"][0]["name"], query.experiment, use_cuped=query.cuped
        )
    return result


def engagement_report(db: Session, query: AnalyticsQuery) -> AnalyticsResult:
    """The report's figures for the store's own events."""
    return analyse_frame(load_events(db), query, db)


def report_html(
    result: AnalyticsResult, title: str = "Engagement report", plotly_src: str | None = None
) -> str:
    """The report as one HTML page with its charts (and the experiment's, when there is one);
    plotly.js inline unless plotly_src names where the page loads it from."""
    extra = {}
    if result.experiment is not None:
        arms = [dict(a) for a in result.experiment["arms"]]
        extra["experiment"] = experiment_figure(arms, "conversion")
    exp = dict(result.experiment) if result.experiment is not None else None
    return render_html(
        result.metrics, title=title, experiment=exp, extra=extra, plotly_src=plotly_src
    )
