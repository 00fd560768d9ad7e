"""Tool-call text format, strict parsing, argument checks, and the OpenAI-compatible backend over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.llm.backends import validate_turn
from assistant.llm.errors import BackendResponseError, BackendTimeoutError
from assistant.llm.openai_backend import OpenAIBackend
from assistant.tools.arguments import Hints, price_bounds, rating_bound, repair_arguments
from assistant.tools.contract import TOOL_ARGS, ToolCallError, tool_specs
from finetune.format import (
    ToolTextError,
    format_call,
    ids_in_text,
    parse_turn,
    render_prompt,
    render_tool_result,
)

TOOLS = {s["function"]["name"]: s["function"]["parameters"] for s in tool_specs()}


def test_call_text_round_trips_and_is_compact():
    text = format_call("search_products", {"query": "rice", "max_price": 300.0, "brand": None})
    assert (
        text
        == '<tool>{"name":"search_products","arguments":{"query":"rice","max_price":300}}</tool>'
    )
    turn = parse_turn(text + "<|im_end|>")
    assert (turn.name, turn.arguments) == ("search_products", {"query": "rice", "max_price": 300})
    assert parse_turn("NO_TOOL\nHello there!").answer == "Hello there!"
    assert parse_turn('{"name": "list_my_orders", "arguments": {}}').name == "list_my_orders"


@pytest.mark.parametrize(
    "bad",
    [
        '<tool>{"name":"search_products","arguments":{"query":"rice"}}',  # no closing tag
        '<tool>{"name":"search_products","arguments":{"query":"rice"}</tool>',  # broken JSON
        '<tool>{"name":"x","arguments":{},"extra":1}</tool>',  # unknown key
        '<tool>{"name":3,"arguments":{}}</tool>',
        "Sure, here you go",
    ],
)
def test_malformed_turns_are_rejected(bad):
    with pytest.raises(ToolTextError):
        parse_turn(bad)


def test_unknown_tool_and_bad_arguments_fail_validation():
    with pytest.raises(ToolCallError, match="unknown tool"):
        validate_turn("delete_everything", {}, TOOLS)
    with pytest.raises(ToolCallError, match="product_ids"):
        validate_turn("compare_products", {"product_ids": ["a"]}, TOOLS)
    with pytest.raises(ToolCallError, match="min_price"):
        validate_turn("search_products", {"query": "x", "min_price": 50, "max_price": 10}, TOOLS)
    assert validate_turn("get_product", {"product_id": "bb1"}, TOOLS) == {"product_id": "bb1"}


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("rice under 500", (None, 500)),
        ("soap below ₹300", (None, 300)),
        ("oil between 100 and 200", (100, 200)),
        ("ghee 200-400 rs", (200, 400)),
        ("tea from ₹100 to ₹250", (100, 250)),
        ("jam above rs 150", (150, None)),
        ("noodles 150 or less", (None, 150)),
        ("shampoo at least 4 stars", (None, None)),
        ("where is order #W1234567", (None, None)),
    ],
)
def test_price_phrasings(text, bounds):
    assert price_bounds(text) == tuple(None if b is None else float(b) for b in bounds)


def test_repair_drops_invented_filters_and_fixes_swapped_bounds():
    hints = Hints.from_conversation("red cello bottle under 500", "", brands=["Cello", "Milton"])
    fixed = repair_arguments(
        "search_products", {"query": "bottle", "brand": "Red", "min_price": 500}, hints
    )
    assert fixed == {"query": "bottle", "brand": "Cello", "max_price": 500}
    plain = Hints.from_conversation("steel bottle", "", brands=["Cello"])
    assert repair_arguments("search_products", {"query": "bottle", "brand": "Steel"}, plain) == {
        "query": "bottle"
    }
    assert rating_bound("rated 4+ soap") == 4.0


def test_hints_collect_ids_from_results_and_message():
    ctx = render_tool_result(
        [{"product_id": "bb12", "title": "Rice", "price": 120.0}, {"id": "bb13", "title": "Dal"}]
    )
    assert ctx.splitlines()[0] == "1. [bb12] Rice | price 120"
    hints = Hints.from_conversation("compare it with bb99 and order #W123456", ctx)
    assert hints.ids == ["bb12", "bb13", "bb99", "#W123456"]
    assert ids_in_text("see [bb1] and [bb2]") == ["bb1", "bb2"]
    assert render_prompt([{"role": "user", "content": "hi"}]).endswith("<|im_start|>assistant\n")


# --- OpenAI-compatible backend against a real local HTTP server -------------------------


class _Server:
    def __init__(self, replies: list, delay: float = 0.0) -> None:
        self.replies, self.delay, self.requests = list(replies), delay, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                time.sleep(outer.delay)
                reply = outer.replies.pop(0) if outer.replies else "NO_TOOL\nok"
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for piece in reply:
                        chunk = {"choices": [{"delta": {"content": piece}}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.write(b"data: [DONE]\n\n")
                    return
                if reply == "HTTP500":
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"boom")
                    return
                data = (
                    reply.encode()
                    if reply.startswith("!")
                    else json.dumps({"choices": [{"message": {"content": reply}}]}).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.fixture
def server_factory():
    servers = []

    def make(replies, delay=0.0):
        servers.append(_Server(replies, delay))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def test_openai_backend_tool_call_and_stream(server_factory):
    srv = server_factory(
        [
            '<tool>{"name":"search_products","arguments":{"query":"rice","max_price":300}}',
            "Hi there!",
        ]
    )
    backend = OpenAIBackend(srv.url, "smollm2", timeout_s=5)
    msgs = [{"role": "user", "content": "rice under 300"}]
    turn = backend.respond(msgs, TOOLS)
    assert (turn.tool_name, turn.arguments) == (
        "search_products",
        {"query": "rice", "max_price": 300},
    )
    assert (
        srv.requests[0]["stop"] == ["</tool>"]
        and srv.requests[0]["messages"][0]["role"] == "system"
    )
    assert "".join(backend.stream(msgs)) == "Hi there!"
    assert srv.requests[1]["stream"] is True


def test_openai_backend_retries_malformed_call_with_schema(server_factory):
    srv = server_factory(['<tool>{"name":"search_prod', '{"name":"list_my_orders","arguments":{}}'])
    turn = OpenAIBackend(srv.url, "m", timeout_s=5).respond(
        [{"role": "user", "content": "my orders"}], TOOLS
    )
    assert turn.tool_name == "list_my_orders" and turn.constrained
    assert srv.requests[1]["response_format"]["type"] == "json_schema"


def test_openai_backend_garbage_timeout_and_http_errors(server_factory):
    msgs = [{"role": "user", "content": "x"}]
    garbage = server_factory(["<tool>nope", "still nope"])
    with pytest.raises(BackendResponseError, match="no valid tool call"):
        OpenAIBackend(garbage.url, "m", timeout_s=5).respond(msgs, TOOLS)
    broken = server_factory(["!not json at all"])
    with pytest.raises(BackendResponseError, match="unusable body"):
        OpenAIBackend(broken.url, "m", timeout_s=5).respond(msgs, TOOLS)
    failing = server_factory(["HTTP500"])
    with pytest.raises(BackendResponseError, match="HTTP 500"):
        OpenAIBackend(failing.url, "m", timeout_s=5).respond(msgs, TOOLS)
    slow = server_factory(["NO_TOOL\nlate"], delay=1.5)
    t0 = time.monotonic()
    with pytest.raises(BackendTimeoutError):
        OpenAIBackend(slow.url, "m", timeout_s=0.5).respond(msgs, TOOLS)
    assert time.monotonic() - t0 < 1.4
    with pytest.raises(BackendResponseError, match="unreachable"):
        OpenAIBackend("http://127.0.0.1:9/v1", "m", timeout_s=1).respond(msgs, TOOLS)


def test_every_contract_tool_has_a_schema():
    assert set(TOOLS) == set(TOOL_ARGS)


def test_bare_numbers_are_not_prices_or_ratings():
    hints = Hints.from_conversation("list 10 cranberry kombucha for me", "")
    fixed = repair_arguments(
        "search_products", {"query": "cranberry kombucha", "max_price": 10, "min_rating": 4}, hints
    )
    assert fixed == {"query": "cranberry kombucha"}
    budget = Hints.from_conversation("kombucha, my budget is 300", "")
    assert (
        repair_arguments("search_products", {"query": "kombucha", "max_price": 300}, budget)[
            "max_price"
        ]
        == 300
    )


def test_numbers_must_fit_the_argument_schema():
    from assistant.llm.guided import fitting_numbers, resolve

    k = resolve(TOOLS["search_products"]["properties"]["k"])
    rating = resolve(TOOLS["search_products"]["properties"]["min_rating"])
    assert fitting_numbers(k, ["851636", "5", "4.5"]) == ["5"]
    assert fitting_numbers(rating, ["300", "4.5"]) == ["4.5"]


def test_query_loses_what_the_filters_say():
    hints = Hints.from_conversation(
        "is there any quickee's sausage at most 600", "", brands=["Quickee'S"]
    )
    fixed = repair_arguments(
        "search_products", {"query": "quickee's sausage 600", "brand": "Quickee'S"}, hints
    )
    assert fixed == {"query": "sausage", "brand": "Quickee'S", "max_price": 600}
    only_brand = Hints.from_conversation("cello", "", brands=["Cello"])
    assert (
        repair_arguments("search_products", {"query": "cello", "brand": "Cello"}, only_brand)[
            "query"
        ]
        == "cello"
    )


class _Vocab:
    """A tokenizer's vocabulary, as copy_token_ids reads it."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self.tokens[i] for i in ids]


def test_quote_ids_are_each_tokenizers_own():
    from assistant.llm.guided import quote_token_ids

    first, second = _Vocab(['"', "a", '",']), _Vocab(["b", '"}'])
    assert quote_token_ids(first) == (0, 2) and quote_token_ids(second) == (1,)
    assert quote_token_ids(first) == (0, 2)  # not another tokenizer's table
