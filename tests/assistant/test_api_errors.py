"""The error family over HTTP: one error body for every 4xx/5xx, domain errors only as 4xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api.app import create_app
from assistant.api.errors import ErrorResponse
from assistant.config import Settings
from assistant.services import search as search_service

ADMIN = {"X-API-Key": "admin-secret"}


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    """No catalog, no index: just an admin key (so no key lookup needs the database)."""
    return settings.model_copy(
        update={"admin_api_key": SecretStr("admin-secret"), "agent_use_llm": False}
    )


@pytest.fixture
def client(app_settings):
    with TestClient(create_app(app_settings), raise_server_exceptions=False) as c:
        yield c


def error_of(r, status: int, code: str) -> str:
    """The response's error message, after checking its status, schema and code."""
    assert r.status_code == status, r.text
    body = ErrorResponse.model_validate(r.json())
    assert body.error.code == code
    return body.error.message


def test_missing_key_unknown_route_and_wrong_method(client):
    assert "X-API-Key" in error_of(client.post("/v1/search", json={}), 401, "unauthorized")
    error_of(client.get("/v1/nowhere"), 404, "not_found")
    error_of(client.get("/v1/search", headers=ADMIN), 405, "method_not_allowed")


def test_validation_errors_use_the_same_schema_with_details(client):
    r = client.post("/v1/search", json={"query": "rice", "k": 0, "colour": 1}, headers=ADMIN)
    message = error_of(r, 422, "validation_error")
    details = r.json()["error"]["details"]
    assert {tuple(d["loc"]) for d in details} == {("body", "k"), ("body", "colour")}
    assert "body.k" in message and "body.colour" in message


def test_domain_errors_keep_their_status_and_message(client):
    message = error_of(
        client.post("/v1/search", json={"query": "rice"}, headers=ADMIN), 503, "search_unavailable"
    )
    assert "shopassist index build" in message


def test_an_internal_value_error_is_a_500_not_a_client_error(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug, not the shopper's fault")

    monkeypatch.setattr(search_service, "search", broken)
    r = client.post("/v1/search", json={"query": "rice"}, headers=ADMIN)
    assert error_of(r, 500, "internal_error") == "internal server error"
    assert "bug" not in r.text  # internals stay in the log


def test_middleware_refusals_use_the_schema(app_settings):
    limited = app_settings.model_copy(update={"rate_limit": "1/minute", "max_request_bytes": 100})
    with TestClient(create_app(limited)) as c:
        error_of(c.post("/v1/search", content=b"x" * 200, headers=ADMIN), 413, "too_large")
        c.post("/v1/search", json={"query": "rice"}, headers=ADMIN)
        error_of(c.post("/v1/search", json={"query": "rice"}, headers=ADMIN), 429, "rate_limited")


def test_openapi_documents_the_error_schema(client):
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    search = spec["paths"]["/v1/search"]["post"]["responses"]
    for status in ("401", "403", "422", "429", "503"):
        ref = search[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorResponse"), (status, ref)
