"""/v1/admin/analytics, /v1/admin/experiments and a shopper's assignment, over the known store
with a simulated experiment; the report and the admin page in headless Chromium."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from analytics.assignment import assign
from analytics.experiments import simulate_events
from analytics.metrics import engagement, normalise
from analytics.report import render_html
from assistant.api.app import create_app
from assistant.api.benchmark import serve_in_thread
from assistant.db.models import Event
from assistant.db.session import session_scope
from assistant.services import experiments
from tests.assistant.scripted_model import ScriptedModel, tool_call
from tests.assistant.simulated import add_simulated

CHARTS = 8  # visits, DAU, page views, funnel, retention, dwell, reviews/shares, assistant


@pytest.fixture
def client(store_settings, store):
    with TestClient(create_app(store_settings)) as c:
        yield c


def test_experiments_and_analytics_endpoints(client, store, store_settings):
    admin = {"X-API-Key": store["admin"]}
    body = {"name": "sim", "description": "assistant on/off", "arms": [
        {"name": "control", "weight": 1, "settings": {"assistant_enabled": "false"}},
        {"name": "assistant", "weight": 1},
    ]}  # fmt: skip
    r = client.post("/v1/admin/experiments", json=body, headers=admin)
    assert r.status_code == 200, r.text
    assert [a["weight"] for a in r.json()["arms"]] == [0.5, 0.5]
    assert client.post("/v1/admin/experiments", json=body, headers=admin).status_code == 409
    r = client.post("/v1/admin/experiments", headers=admin,
                    json=body | {"name": "x", "arms": [{"name": "a", "weight": 0},
                                                       {"name": "b", "weight": 0}]})  # fmt: skip
    assert r.status_code == 409
    # the shopper's arm is the deterministic one, with its settings
    r = client.get("/v1/experiments/sim/assignment", headers={"X-API-Key": store["u1"]})
    arm = r.json()["arm"]
    assert arm in {"control", "assistant"} and r.json()["user_id"] == "u1"
    assert r.json()["settings"] == ({"assistant_enabled": "false"} if arm == "control" else {})
    add_simulated(store_settings)
    r = client.get("/v1/admin/experiments/sim/report", headers=admin)
    assert r.status_code == 200, r.text
    res = r.json()
    assert sum(a["users"] for a in res["arms"]) == 600 and res["srm"]["mismatch"] is False
    conv = res["comparisons"][0]
    assert conv["metric"] == "conversion" and conv["ci_low"] <= 0.10 <= conv["ci_high"]
    r = client.get("/v1/admin/analytics", params={"segment": "buyers"}, headers=admin)
    m = r.json()["metrics"]
    assert r.status_code == 200 and 0 < m["users"] <= m["event_types"]["purchase"]
    r = client.get("/v1/admin/analytics", params={"from": "2031-01-01"}, headers=admin)
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_events"
    r = client.get("/v1/admin/analytics", headers={"X-API-Key": store["u1"]})
    assert r.status_code == 403
    assert (
        client.post("/v1/admin/experiments/sim/stop", headers=admin).json()["status"] == "stopped"
    )
    r = client.get("/v1/experiments/sim/assignment", headers={"X-API-Key": store["u1"]})
    assert r.status_code == 409


def _charts_drawn(page) -> int:
    """How many plotly charts were drawn (each draws its SVG into the chart's div)."""
    return page.locator(".plotly-graph-div .main-svg").count()


@pytest.mark.browser
def test_report_and_admin_page_render_in_chromium(browser, store, store_settings, tmp_path: Path):
    add_simulated(store_settings, 300)
    report = tmp_path / "report.html"
    events = normalise(simulate_events(3, 200, 0.1, 0.03))
    report.write_text(render_html(engagement(events)), encoding="utf-8")
    page = browser.new_page()
    page.goto(report.as_uri())  # self-contained: file://, no server, no network
    # the last chart drawn: the page may still be adding charts when the first one is
    last = page.locator(".plotly-graph-div").nth(CHARTS - 1).locator(".main-svg").first
    last.wait_for(timeout=20_000)
    assert page.locator(".plotly-graph-div").count() == CHARTS
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert _charts_drawn(page) >= CHARTS
    with serve_in_thread(store_settings) as base:
        page.goto(f"{base}/admin/analytics?key={store['admin']}")
        frame = page.frame_locator("#report")
        last = frame.locator(".plotly-graph-div").nth(CHARTS - 1).locator(".main-svg").first
        last.wait_for(timeout=20_000)
        assert frame.locator(".plotly-graph-div").count() == CHARTS
        page.screenshot(path=str(tmp_path / "admin.png"), full_page=True)
        assert frame.locator("h1").inner_text() == "Engagement report"
        page.goto(f"{base}/admin/analytics?key=sa_wrong")
        page.locator("#status.note").wait_for(timeout=10_000)


@pytest.mark.browser
def test_the_widget_runs_an_assistant_on_off_experiment(browser, store, store_settings):
    """The widget asks for the shopper's arm, records the exposure, and hides itself in the
    arm whose settings turn the assistant off."""
    with session_scope(store_settings.effective_database_url) as db:
        experiments.create_experiment(db, "ab1", [
            {"name": "off", "weight": 0.5, "settings": {"assistant_enabled": "false"}},
            {"name": "on", "weight": 0.5},
        ])  # fmt: skip
    arms = {u: assign("ab1", u, [("off", 0.5), ("on", 0.5)]) for u in ("u1", "u2")}
    assert set(arms.values()) == {"off", "on"}  # this experiment's hash splits the two
    with serve_in_thread(store_settings) as base:
        for user, arm in arms.items():
            page = browser.new_page()
            page.goto(f"{base}/widget?key={store[user]}&experiment=ab1")
            page.wait_for_function(f"document.getElementById('shopassist').dataset.arm === '{arm}'")
            assert page.locator("#shopassist").is_hidden() == (arm == "off")
            page.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with session_scope(store_settings.effective_database_url) as db:
                rows = db.execute(
                    select(Event.user_id, Event.arm).where(Event.type == "exposure")
                ).all()
            if len(rows) == 2:
                break
            time.sleep(0.1)
    assert dict(rows) == arms


def test_an_experiment_arm_chooses_the_planner_of_a_chat_turn(store_settings, store):
    """The shopper's arm sets who plans the turn: the rules in one arm, the model in the
    other; the same message without the experiment follows the service's settings."""
    with session_scope(store_settings.effective_database_url) as db:
        experiments.create_experiment(db, "planner-ab", [
            {"name": "rules", "weight": 0.5, "settings": {"planner": "rules"}},
            {"name": "model", "weight": 0.5, "settings": {"planner": "model"}},
        ])  # fmt: skip
    arms = {u: assign("planner-ab", u, [("rules", 0.5), ("model", 0.5)]) for u in ("u1", "u2")}
    assert arms == {"u1": "rules", "u2": "model"}  # this experiment's hash splits the two
    settings = store_settings.model_copy(update={"agent_use_llm": True, "agent_fast_path": False})
    app = create_app(settings)
    with TestClient(app) as c:
        app.state.runtime.use(ScriptedModel(script=[tool_call("search_products", query="rice")]))

        def planner(user: str, experiment: str | None) -> str:
            body = {"message": "basmati rice", "experiment": experiment}
            r = c.post("/v1/chat", json=body, headers={"X-API-Key": store[user]})
            assert r.status_code == 200, r.text
            return r.json()["planner"]

        assert planner("u1", "planner-ab") == "rules"
        assert planner("u2", "planner-ab") == "model"
        assert planner("u1", None) == "model"  # the service's own setting
        r = c.post(
            "/v1/chat",
            json={"message": "basmati rice", "experiment": "no-such-test"},
            headers={"X-API-Key": store["u1"]},
        )
        assert r.status_code == 409 and r.json()["error"]["code"] == "unfit"
