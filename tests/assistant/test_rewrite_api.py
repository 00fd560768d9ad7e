"""POST /v1/rewrite and `shopassist rewrite`: the search-box rewriter over the store's catalog."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api.app import create_app
from assistant.cli import load_commands
from assistant.cli.app import app as cli_app
from assistant.db.models import Event, Product
from assistant.db.session import session_scope
from assistant.services import rewrite as rewrite_service


@pytest.fixture
def client(store_settings, store):
    with TestClient(create_app(store_settings)) as c:
        yield c


def post(client, store, body, who="u1"):
    return client.post("/v1/rewrite", json=body, headers={"X-API-Key": store[who]})


def test_typo_and_filters_are_read(client, store, store_settings):
    r = post(client, store, {"query": "basmathi rice under ₹300"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["query"] == "basmati rice"
    assert out["filters"] == {"max_price": 300.0} == out["search_filters"]
    kinds = {c["kind"]: c for c in out["changes"]}
    assert kinds["spelling"]["before"] == "basmathi" and kinds["spelling"]["after"] == "basmati"
    assert 0 < kinds["filter"]["confidence"] <= 1 and 0 < out["confidence"] < 1
    assert list((store_settings.data_dir / "rewrite").glob("rewriter-*.pkl"))


def test_k_returns_products_for_the_rewrite_within_its_filters(client, store, store_settings):
    from assistant.services.search import ensure_index

    ensure_index(store_settings)
    out = post(client, store, {"query": "basmathi rice under ₹300", "k": 3}).json()
    assert out["query"] == "basmati rice" and 1 <= len(out["hits"]) <= 3
    assert all(h["price"] <= 300 for h in out["hits"])
    assert "basmati" in out["hits"][0]["title"].lower()
    assert [h["rank"] for h in out["hits"]] == list(range(1, len(out["hits"]) + 1))
    assert post(client, store, {"query": "rice"}).json()["hits"] == []  # k defaults to 0
    assert post(client, store, {"query": 123, "k": 3}).json()["hits"] == []
    assert post(client, store, {"query": "rice", "k": 51}).status_code == 422


def test_search_rewritten_hedges_the_vector_and_adds_soft_terms():
    import numpy as np

    from retrieval.rewrite import hedge_vectors

    a, b = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    assert np.allclose(hedge_vectors(a, b), [[2**-0.5, 2**-0.5]])  # unit mean
    assert np.allclose(hedge_vectors(a, a), a)


def test_brand_from_the_catalog_becomes_a_filter(client, store):
    out = post(client, store, {"query": "amul butter"}).json()
    assert out["query"] == "butter" and out["filters"]["brand"] == "Amul"
    # what is left names a whole category: reported as one, and kept as the search text
    assert out["filters"]["category"] == "Dairy > Butter"
    out = post(client, store, {"query": "salted butter by amul"}).json()
    assert out["query"] == "salted butter" and out["filters"] == {"brand": "Amul"}


@pytest.mark.parametrize(
    "query", [123, None, ["rice"], {"q": "rice"}, "", "   ", "rice " * 200, "你好 拖把", "ri\x00ce"]
)
def test_bad_queries_come_back_unchanged_with_confidence_0(client, store, query):
    r = post(client, store, {"query": query})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["query"] == query and out["confidence"] == 0.0
    assert out["changes"] == [] and out["filters"] == {}


def test_session_searches_are_used_as_context(client, store, store_settings):
    with session_scope(store_settings.effective_database_url) as db:
        db.add(Event(user_id="u1", type="search", ts=Event.ts.type.python_type.now(),
                     session_id="s1", query="green tea", client_event_id="e1"))  # fmt: skip
    with session_scope(store_settings.effective_database_url) as db:
        assert rewrite_service.session_queries(db, "s1") == ["green tea"]
    r = post(client, store, {"query": "lemmon tea", "session": "s1"})
    assert r.status_code == 200 and r.json()["query"] == "lemon tea"


@pytest.mark.parametrize(
    "body, status",
    [
        (b"{not json", 422),
        ({}, 422),  # no query
        ({"query": "rice", "colour": "red"}, 422),  # unknown field
        ({"query": "rice", "session": "s" * 65}, 422),
    ],
)
def test_malformed_bodies_are_422(client, store, body, status):
    headers = {"X-API-Key": store["u1"], "Content-Type": "application/json"}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = client.post("/v1/rewrite", content=content, headers=headers)
    assert r.status_code == status and r.json()["error"]["message"]


def test_a_key_is_required(client):
    assert client.post("/v1/rewrite", json={"query": "rice"}).status_code == 401


def test_a_catalog_change_rebuilds_the_rewriter(client, store, store_settings):
    assert post(client, store, {"query": "kettel"}).json()["query"] == "kettel"
    with session_scope(store_settings.effective_database_url) as db:
        db.add(
            Product(
                id="201",
                title="Electric Kettle 1.5 L",
                brand="Prestige",
                category="Kitchen > Kettles",
            )
        )
        db.add(
            Product(id="202", title="Steel Kettle", brand="Pigeon", category="Kitchen > Kettles")
        )
    rewrite_service.recheck_catalog(client.app.state.app_state)
    assert post(client, store, {"query": "kettel"}).json()["query"] == "kettle"
    assert len(list((store_settings.data_dir / "rewrite").glob("rewriter-*.pkl"))) == 1


@pytest.fixture
def runner():
    load_commands()
    return CliRunner()


def test_cli_rewrites_from_a_corpus_file(runner, tmp_path):
    corpus = tmp_path / "c.jsonl"
    titles = [
        "Simpson Strong-Tie 12-Gauge Angle Bracket",
        "Steel Angle Bracket 2 in.",
        "Corner Bracket",
    ]
    corpus.write_text(
        "".join(
            json.dumps({"product_id": str(i), "title": t, "price": 9.5 + i}) + "\n"
            for i, t in enumerate(titles)
        )
    )
    r = runner.invoke(
        cli_app, ["rewrite", "angle braket under $20", "--corpus", str(corpus), "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["query"] == "angle bracket" and out["filters"] == {"max_price": 20.0}
    r = runner.invoke(cli_app, ["rewrite", "angle braket", "--corpus", str(corpus)])
    assert r.exit_code == 0 and "braket" in r.output and "bracket" in r.output
    queries = tmp_path / "q.tsv"
    queries.write_text("1\tangle braket\n2\tcorner bracket\n")
    r = runner.invoke(
        cli_app, ["rewrite", "--bench", "--corpus", str(corpus), "--queries", str(queries)]
    )
    assert r.exit_code == 0, r.output
    bench = json.loads(r.output)
    assert bench["queries"] == 2 and bench["p50_ms"] > 0


def test_cli_fails_with_one_line(runner, tmp_path, settings, monkeypatch):
    r = runner.invoke(cli_app, ["rewrite", "rice", "--corpus", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 1 and "file not found" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"product_id": "1"}\n')
    r = runner.invoke(cli_app, ["rewrite", "rice", "--corpus", str(bad)])
    assert r.exit_code == 1 and "bad.jsonl:1" in r.output
