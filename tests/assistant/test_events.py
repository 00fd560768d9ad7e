"""POST /v1/events: validated, per-shopper, idempotent by client_event_id."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.api.app import create_app
from assistant.db.models import Event
from assistant.db.session import session_scope


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
