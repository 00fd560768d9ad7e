"""`shopassist bench api`: the real app served by uvicorn workers in their own processes,
loaded on loopback with the Python generator; every endpoint answers 2xx under load."""

from __future__ import annotations

import pytest

from assistant.api.loadtest import bench_api


@pytest.mark.slow
def test_bench_api_loads_every_endpoint(indexed_store):
    settings, _ = indexed_store
    report = bench_api(settings, workers=2, connections=4, duration_s=1.0, generator="python")
    endpoints = [r["endpoint"] for r in report["results"]]
    assert endpoints[0] == "GET /hello" and "POST /v1/search" in endpoints
    assert "POST /v1/chat" in endpoints and any(
        e.startswith("GET /v1/products/") for e in endpoints
    )
    for r in report["results"]:
        assert r["requests"] > 0 and r["errors"] == 0, r
        assert 0 < r["p50_ms"] <= r["p99_ms"] and r["req_per_s"] > 0
