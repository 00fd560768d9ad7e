"""The MCP server end to end with the SDK's own client: over Streamable HTTP (/mcp) and stdio
(`shopassist mcp`), the same tools, results, errors and per-key scoping as the HTTP API."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.tools.contract import TOOL_ARGS, TOOL_NAMES
from tests.assistant.live_server import serving

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [
    "water bottle", "rice", "basmati", "green tea", "butter", "shampoo", "chocolate",
    "bottle for kids", "steel bottle", "garlic capsules", "dandruff", "hair fall", "tea bags",
    "brown rice", "orange bottle", "dark chocolate", "nut bar", "salted butter", "lemon tea",
    "blue bottle",
]  # fmt: skip
CALLS: dict[str, dict[str, Any]] = {
    "search_products": {"query": "water bottle", "max_price": 500},
    "get_product": {"product_id": "102"},
    "compare_products": {"product_ids": ["101", "102"]},
    "similar_products": {"product_id": "101", "k": 3},
    "recommend_for_user": {},
    "explain_recommendation": {"product_id": "101"},
    "predict_purchase": {"product_id": "101"},
    "list_my_orders": {},
    "get_order_status": {"order_id": "#W1000001"},
    "search_policy": {"question": "can I return an opened item?"},
    "handoff_to_human": {"reason": "wants a person"},
    "add_to_cart": {"product_id": "108", "quantity": 2},
    "view_cart": {},
    "update_cart_item": {"product_id": "108", "quantity": 3},
    "remove_from_cart": {"product_id": "108"},
}
# tools that need what this store has not got (a trained purchase model, a policy, a
# conversation): over MCP they answer a clear tool error, as they do to the chat; without a
# recommender explain_recommendation answers that there is no recorded reason (not an error)
NEEDS_MORE = {"predict_purchase", "search_policy", "handoff_to_human"}


def http_client(base: str, key: str | None) -> Client:
    headers = {"X-API-Key": key} if key else {}
    transport = streamable_http_client(
        f"{base}/mcp", http_client=create_mcp_http_client(headers=headers)
    )
    return Client(transport)


def body(result: Any) -> dict[str, Any]:
    assert result.structured_content == json.loads(result.content[0].text)
    return result.structured_content


def http_search(base: str, key: str, query: str) -> list[str]:
    r = httpx.post(f"{base}/v1/search", json={"query": query, "k": 10}, headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    return [h["product_id"] for h in r.json()["hits"]]


async def check_server(client: Client, base: str, key: str, foreign: dict[str, Any]) -> None:
    """What both transports must do: the contract's tools and schemas, the search results of
    POST /v1/search, clear errors for bad arguments and for another shopper's order."""
    listed = (await client.list_tools()).tools
    assert [t.name for t in listed] == [*TOOL_NAMES, "search_catalog", "lookup_catalog"]
    for tool in listed:
        if tool.name in TOOL_ARGS:
            assert tool.input_schema == TOOL_ARGS[tool.name].model_json_schema()
        assert tool.description
    for query in QUERIES:
        result = await client.call_tool("search_products", {"query": query, "k": 10})
        found = [p["product_id"] for p in body(result)["products"]]
        assert found == http_search(base, key, query), query
    bad = await client.call_tool("search_products", {"query": "", "user_id": "u2"})
    assert bad.is_error and body(bad)["error"]["code"] == "validation_error"
    assert "search_products" in body(bad)["error"]["message"]
    unknown = await client.call_tool("drop_tables", {})
    assert unknown.is_error and "unknown tool" in body(unknown)["error"]["message"]
    other = await client.call_tool("get_order_status", {"order_id": "#W2000001"})
    assert other.is_error and body(other) == {"error": foreign}


def foreign_order_error(base: str, key: str) -> dict[str, Any]:
    """The HTTP API's error for another shopper's order (code and message)."""
    r = httpx.get(f"{base}/v1/orders/%23W2000001", headers={"X-API-Key": key})
    assert r.status_code == 404
    return {k: r.json()["error"][k] for k in ("code", "message")}


def test_mcp_over_streamable_http(indexed_store: tuple[Settings, dict[str, str]]) -> None:
    settings, keys = indexed_store
    with serving(create_app(settings)) as base:
        foreign = foreign_order_error(base, keys["u1"])
        assert foreign == {"code": "not_found", "message": "order '#W2000001' not found"}

        async def main() -> None:
            async with http_client(base, keys["u1"]) as client:
                await check_server(client, base, keys["u1"], foreign)
                for name, args in CALLS.items():
                    result = await client.call_tool(name, args)
                    assert result.is_error == (name in NEEDS_MORE), (name, body(result))
                    if result.is_error:
                        assert body(result)["error"]["message"], name
                orders = body(await client.call_tool("list_my_orders", {}))["orders"]
                assert {o["order_id"] for o in orders} == {"#W1000001", "#W1000002"}
                cart = body(await client.call_tool("add_to_cart", {"product_id": "101"}))
                assert cart["cart"]["items"][0]["product_id"] == "101"
            # the same key's cart over HTTP; another key's cart is its own
            mine = httpx.get(f"{base}/v1/cart", headers={"X-API-Key": keys["u1"]}).json()
            assert [i["product_id"] for i in mine["items"]] == ["101"]
            async with http_client(base, keys["u2"]) as client:
                assert body(await client.call_tool("view_cart", {}))["cart"]["items"] == []
                theirs = await client.call_tool("get_order_status", {"order_id": "#W2000001"})
                assert not theirs.is_error
            # an agent key may look up any order
            async with http_client(base, keys["agent"]) as client:
                agent = await client.call_tool("get_order_status", {"order_id": "#W2000001"})
                assert body(agent)["order"]["user_id"] == "u2"

        anyio.run(main)
        # the session's store is shared: leave u1's cart empty as found (a carted water bottle
        # would be known by name to the next test's "water bottle")
        gone = httpx.delete(f"{base}/v1/cart/items/101", headers={"X-API-Key": keys["u1"]})
        assert gone.status_code == 200 and gone.json()["cart"]["items"] == []
        # no key, or a wrong one: 401 in the API's error body, before any MCP
        init = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
        for headers in ({}, {"Authorization": "Bearer sa_wrong"}):
            r = httpx.post(f"{base}/mcp", json=init, headers=headers)
            assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_mcp_over_stdio(indexed_store: tuple[Settings, dict[str, str]]) -> None:
    settings, keys = indexed_store
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SHOPASSIST_DATA_DIR": str(settings.data_dir),
        "SHOPASSIST_DATABASE_URL": settings.effective_database_url,
        "SHOPASSIST_EMBEDDER_BACKEND": "torch",
        "SHOPASSIST_API_KEY": keys["u1"],
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "from assistant.cli import main; main()", "mcp"],
        env=env,
        cwd=str(ROOT),
    )
    with serving(create_app(settings)) as base:  # the HTTP API to compare with
        foreign = foreign_order_error(base, keys["u1"])

        async def main() -> None:
            async with Client(params, read_timeout_seconds=120) as client:
                await check_server(client, base, keys["u1"], foreign)

        anyio.run(main)


def test_mcp_stdio_refuses_without_a_key(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    env = {"SHOPASSIST_DATA_DIR": str(tmp_path / "var"), "SHOPASSIST_API_KEY": ""}
    result = CliRunner().invoke(app, ["mcp"], env=env)
    assert result.exit_code == 1 and "missing X-API-Key" in result.output
