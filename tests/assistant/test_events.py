"""POST /v1/events: validated, per-shopper, idempotent by client_event_id."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from analytics.assignment import assign
from assistant.api.app import create_app
from assistant.db.models import Event
from assistant.db.session import session_scope
from assistant.services.experiments import create_experiment
from assistant.services.search_events import click_log


@pytest.fixture
def client(store_settings, store):
    with TestClient(create_app(store_settings)) as c:
        yield c


def n_events(settings):
    with session_scope(settings.effective_database_url) as db:
        return db.scalar(select(func.count(Event.id)))


def test_events_are_stored_once(client, store, store_settings):
    batch = {"events": [
        {"client_event_id": "e1", "type": "view", "product_id": "101", "dwell_seconds": 12.5},
        {"client_event_id": "e2", "type": "search", "query": "rice"},
    ]}  # fmt: skip
    r = client.post("/v1/events", json=batch, headers={"X-API-Key": store["u1"]})
    assert r.status_code == 200 and r.json()["stored"] == 2
    r = client.post("/v1/events", json=batch, headers={"X-API-Key": store["u1"]})
    assert r.json() == r.json() | {"stored": 0, "duplicates": 2}
    assert n_events(store_settings) == 2
    with session_scope(store_settings.effective_database_url) as db:
        assert {e.user_id for e in db.scalars(select(Event))} == {"u1"}


@pytest.mark.parametrize(
    "body, who, status",
    [
        ({"events": []}, "u1", 422),
        ({"events": [{"client_event_id": "x", "type": "teleport", "product_id": "1"}]}, "u1", 422),
        ({"events": [{"client_event_id": "x", "type": "view"}]}, "u1", 422),  # no product
        ({"events": [{"client_event_id": "x", "type": "view", "product_id": "1", "ts": "2999-01-01T00:00:00Z"}]}, "u1", 422),
        ({"events": [{"client_event_id": "x", "type": "view", "product_id": "1"}], "user_id": "u2"}, "u1", 403),
        ({"events": [{"client_event_id": "x", "type": "view", "product_id": "1"}]}, "agent", 422),  # whose?
        ({"events": [{"client_event_id": "d", "type": "view", "product_id": "1"},
                     {"client_event_id": "d", "type": "cart", "product_id": "1"}]}, "u1", 422),
    ],
)  # fmt: skip
def test_bad_events_write_nothing(client, store, store_settings, body, who, status):
    r = client.post("/v1/events", json=body, headers={"X-API-Key": store[who]})
    assert r.status_code == status, r.text
    assert r.json()["error"]["message"]
    assert n_events(store_settings) == 0


def test_agents_send_for_a_customer_and_ids_are_not_shared(client, store, store_settings):
    one = {"events": [{"client_event_id": "shared", "type": "cart", "product_id": "102"}]}
    assert (
        client.post(
            "/v1/events", json=one | {"user_id": "u2"}, headers={"X-API-Key": store["agent"]}
        ).status_code
        == 200
    )
    r = client.post("/v1/events", json=one, headers={"X-API-Key": store["u1"]})
    assert r.status_code == 409
    assert n_events(store_settings) == 1


def test_the_funnel_events_are_stored_with_their_fields(client, store, store_settings):
    with session_scope(store_settings.effective_database_url) as db:
        create_experiment(db, "assist", [{"name": "off", "weight": 1}, {"name": "on", "weight": 1}])
    batch = {"events": [
        {"client_event_id": "p1", "type": "page", "page": "/category/snacks"},
        {"client_event_id": "w1", "type": "widget_shown"},
        {"client_event_id": "w2", "type": "widget_open", "session_id": "s1"},
        {"client_event_id": "w3", "type": "chat_message"},
        {"client_event_id": "c1", "type": "card_click", "product_id": "101"},
        {"client_event_id": "b1", "type": "purchase", "product_id": "101", "value": 245.5},
        {"client_event_id": "r1", "type": "review", "product_id": "101", "value": 4},
        {"client_event_id": "s1", "type": "share", "product_id": "101"},
        {"client_event_id": "x1", "type": "exposure", "experiment": "assist"},
    ]}  # fmt: skip
    r = client.post("/v1/events", json=batch, headers={"X-API-Key": store["u1"]})
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 9
    with session_scope(store_settings.effective_database_url) as db:
        rows = {e.client_event_id: e for e in db.scalars(select(Event))}
        assert rows["p1"].page == "/category/snacks" and rows["p1"].product_id is None
        assert rows["b1"].value == 245.5 and rows["r1"].value == 4.0
        assert rows["x1"].experiment == "assist" and rows["x1"].arm in {"off", "on"}
        assert rows["x1"].arm == assign("assist", "u1", [("off", 0.5), ("on", 0.5)])
        assert rows["w1"].arm == "" and rows["w1"].experiment == ""


@pytest.mark.parametrize(
    "event, status",
    [
        ({"client_event_id": "x", "type": "exposure", "experiment": "nope"}, 409),  # not running
        ({"client_event_id": "x", "type": "exposure"}, 422),  # which experiment?
        ({"client_event_id": "x", "type": "page"}, 422),  # which page?
        ({"client_event_id": "x", "type": "review"}, 422),  # of which product?
        ({"client_event_id": "x", "type": "share", "product_id": "1", "value": -1}, 422),
    ],
)
def test_bad_funnel_events_write_nothing(client, store, store_settings, event, status):
    r = client.post("/v1/events", json={"events": [event]}, headers={"X-API-Key": store["u1"]})
    assert r.status_code == status, r.text
    assert n_events(store_settings) == 0


def test_search_impressions_and_clicks_make_the_click_log(client, store, store_settings):
    shown = [
        {"client_event_id": f"i{k}", "type": "impression", "product_id": pid,
         "query": "Green  tea", "page": "s1", "value": k}
        for k, pid in enumerate(("101", "102", "103"), start=1)
    ]  # fmt: skip
    click = {
        "client_event_id": "c1",
        "type": "click",
        "product_id": "102",
        "page": "s1",
        "value": 2,
    }
    r = client.post(
        "/v1/events", json={"events": [*shown, click]}, headers={"X-API-Key": store["u1"]}
    )
    assert r.status_code == 200 and r.json()["stored"] == 4
    with session_scope(store_settings.effective_database_url) as db:
        log = click_log(db)
    assert [(i.search_id, i.query, i.product_id, i.position, i.clicked) for i in log] == [
        ("s1", "Green tea", "101", 1, False),
        ("s1", "Green tea", "102", 2, True),
        ("s1", "Green tea", "103", 3, False),
    ]
    no_position = {
        "client_event_id": "x",
        "type": "impression",
        "product_id": "101",
        "query": "tea",
        "page": "s2",
    }
    r = client.post(
        "/v1/events", json={"events": [no_position]}, headers={"X-API-Key": store["u1"]}
    )
    assert r.status_code == 422 and "value" in r.text
