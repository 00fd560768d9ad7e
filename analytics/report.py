"""The engagement report: one self-contained HTML page (plotly charts, plotly.js inline) and the
same figures as JSON.

    html = render_html(metrics, experiment=None, title="...")   # str, opens offline
"""

from __future__ import annotations

import html
import json
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.metrics import EngagementMetrics


def _bar(x: list[str], y: list[float], title: str, xtitle: str, ytitle: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=x, y=y))
    fig.update_layout(title=title, xaxis_title=xtitle, yaxis_title=ytitle, height=360)
    return fig


def figures(m: EngagementMetrics) -> dict[str, go.Figure]:
    """The report's charts by id, from the metrics alone (so the JSON fully describes them)."""
    out: dict[str, go.Figure] = {}
    dau = m["daily_active_users"]
    out["daily_active_users"] = _bar(
        list(dau), list(dau.values()), "Daily active users", "day", "users"
    )
    hist = m["visit_frequency"]["histogram"]
    out["visit_frequency"] = _bar(
        list(hist), list(hist.values()), "Visits (sessions) per user", "visits", "users"
    )
    pv = m["page_views_per_session"]["histogram"]
    out["page_views"] = _bar(
        list(pv), list(pv.values()), "Page views per session", "page views", "sessions"
    )
    fig = make_subplots(rows=1, cols=2, subplot_titles=("sessions", "users"))
    for col, key in ((1, "funnel_sessions"), (2, "funnel_users")):
        steps = m[key]  # type: ignore[literal-required]
        fig.add_trace(
            go.Funnel(
                y=[s["step"] for s in steps],
                x=[s["count"] for s in steps],
                textinfo="value+percent previous",
                name=key,
            ),
            row=1,
            col=col,
        )
    fig.update_layout(title="Funnel view → cart → buy", height=380, showlegend=False)
    out["funnel"] = fig
    cohorts = m["retention"]
    days = ["D1", "D7", "D30"]
    z = [[c["retention"][d] for d in days] for c in cohorts]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=days,
            y=[f"{c['week']} ({c['users']} users)" for c in cohorts],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            text=[["n/a" if v is None else f"{v:.1%}" for v in row] for row in z],
            texttemplate="%{text}",
        )
    )
    fig.update_layout(title="Retention by first-visit week", height=200 + 40 * len(cohorts))
    out["retention"] = fig
    ds = m["dwell_per_session_s"]
    dv = m["dwell_per_view_s"]
    view = dv["reported"] if dv["reported"]["n"] else dv["to_next_event"]
    fig = go.Figure()
    for name, s in (("per session", ds), ("per product view", view)):
        fig.add_trace(
            go.Bar(name=name, x=["mean", "median", "p90"], y=[s["mean"], s["median"], s["p90"]])
        )
    fig.update_layout(title="Dwell time (seconds)", barmode="group", height=360)
    out["dwell"] = fig
    rs, a = m["reviews_shares"], m["assistant"]
    out["reviews_shares"] = _bar(
        ["reviews / 1000 sessions", "shares / 1000 sessions"],
        [rs["reviews_per_1000_sessions"], rs["shares_per_1000_sessions"]],
        "Reviews and shares",
        "",
        "per 1000 sessions",
    )
    out["assistant"] = _bar(
        ["sessions", "purchases", "revenue"],
        [a["session_share"] or 0.0, a["purchase_share"] or 0.0, a["revenue_share"] or 0.0],
        "The assistant's share",
        "",
        "share",
    )
    return out


def experiment_figure(arms: list[dict[str, Any]], metric: str) -> go.Figure:
    """Per-arm rate of metric with its 95 % interval (arms: {arm, rate, ci_low, ci_high})."""
    fig = go.Figure(
        go.Bar(
            x=[a["arm"] for a in arms],
            y=[a["rate"] for a in arms],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [a["ci_high"] - a["rate"] for a in arms],
                "arrayminus": [a["rate"] - a["ci_low"] for a in arms],
            },
        )
    )
    fig.update_layout(title=f"{metric} by arm (95 % CI)", height=360)
    return fig


def _table(rows: list[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return f"<table>{cells}</table>"


def render_html(
    m: EngagementMetrics,
    title: str = "Engagement report",
    experiment: dict[str, Any] | None = None,
    extra: dict[str, go.Figure] | None = None,
    plotly_src: str | None = None,
) -> str:
    """The whole report as one HTML document: plotly.js inline (it opens without a network),
    or loaded from plotly_src (a URL ending in .js, e.g. the admin page's own copy)."""
    figs = {**figures(m), **(extra or {})}
    parts = []
    for i, (key, fig) in enumerate(figs.items()):
        js: str | bool = (plotly_src or True) if i == 0 else False
        div = fig.to_html(full_html=False, include_plotlyjs=js, div_id=f"chart-{key}")
        parts.append(f'<section class="chart" data-chart="{key}">{div}</section>')
    vf, ad = m["visit_frequency"], m["active_days"]
    head = _table(
        [
            ("period", f"{m['period']['first_day']} .. {m['period']['last_day']}"),
            ("events", m["events"]),
            ("users", m["users"]),
            ("sessions (30-minute rule)", m["sessions"]),
            (
                "sessions per user (mean / median)",
                f"{vf['sessions_per_user']['mean']} / {vf['sessions_per_user']['median']}",
            ),  # fmt: skip
            ("active days per user (mean)", ad["per_user"]["mean"]),
            ("session conversion view → buy", m["funnel_sessions"][-1]["overall_conversion"]),
        ]
    )
    exp = ""
    if experiment is not None:
        exp = (
            "<h2>Experiment</h2><pre id='experiment'>"
            + html.escape(json.dumps(experiment, indent=2))
            + "</pre>"
        )
    data = json.dumps(m).replace("</", "<\\/")  # no "</script>" inside the JSON block
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;"
        "text-align:left}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{head}{exp}{''.join(parts)}"
        f"<script type='application/json' id='metrics'>{data}</script></body></html>"
    )
