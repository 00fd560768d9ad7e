"""The OpenAI-compatible façade end to end with the official `openai` client against the app
served by uvicorn: models, a grounded answer (the same as /v1/chat's), a stateless follow-up
that adds "the second one" to the key's own cart, streaming, and errors."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from assistant.api.app import create_app
from assistant.config import Settings
from tests.assistant.live_server import serving


def extension(obj: Any) -> dict[str, Any]:
    """The shopassist extension field of a completion or chunk (an extra field to the SDK)."""
    return (obj.model_extra or {})["shopassist"]


def test_openai_client_against_the_served_app(indexed_store: tuple[Settings, dict[str, str]]):
    settings, keys = indexed_store
    with serving(create_app(settings)) as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key=keys["u1"], max_retries=0)
        models = client.models.list().data
        assert models[0].id == "shopassist" and extension(models[0])["served"]

        ask = [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "water bottle"},
        ]
        done = client.chat.completions.create(model="shopassist", messages=ask)
        answer = done.choices[0].message.content
        reply = extension(done)
        assert done.object == "chat.completion" and done.choices[0].finish_reason == "stop"
        assert (
            done.choices[0].message.role == "assistant" and not done.choices[0].message.tool_calls
        )
        assert [c["name"] for c in reply["tool_calls"]] == ["search_products"]
        assert reply["answer"] == answer and "[101]" in answer
        second = reply["cited_product_ids"][1]
        assert reply["cited_product_ids"][0] == "101" and second in ("102", "103")

        # the same turn through /v1/chat (another shopper, an empty cart) answers the same words
        plain = httpx.post(
            f"{base}/v1/chat", json={"message": "water bottle"}, headers={"X-API-Key": keys["u2"]}
        ).json()
        assert plain["answer"] == answer
        # stateless: the client sends the history back; "the second one" is the one shown second
        follow = [*ask, {"role": "assistant", "content": answer},
                  {"role": "user", "content": "add the second one to my cart"}]  # fmt: skip
        added = extension(client.chat.completions.create(model="shopassist", messages=follow))
        assert added["conversation_id"] == reply["conversation_id"]
        assert [(c["name"], c["arguments"]) for c in added["tool_calls"]] == [
            ("add_to_cart", {"product_id": second})
        ]
        cart = httpx.get(f"{base}/v1/cart", headers={"X-API-Key": keys["u1"]}).json()
        assert [i["product_id"] for i in cart["items"]] == [second]
        assert httpx.get(f"{base}/v1/cart", headers={"X-API-Key": keys["u2"]}).json()["items"] == []
        # another shopper's key is scoped to that shopper: u1's order is not theirs
        u2 = openai.OpenAI(base_url=f"{base}/v1", api_key=keys["u2"], max_retries=0)
        where = [{"role": "user", "content": "where is my order #W1000001?"}]
        calls = extension(u2.chat.completions.create(model="shopassist", messages=where))
        assert [(c["name"], c["ok"]) for c in calls["tool_calls"]] == [("get_order_status", False)]

        # streaming (u2: an empty cart, so the same answer): the deltas spell the answer; tool
        # activity rides in the extension
        chunks = list(u2.chat.completions.create(model="shopassist", messages=ask, stream=True))
        assert chunks[0].choices[0].delta.role == "assistant"
        assert {c.id for c in chunks} == {chunks[0].id} and chunks[
            0
        ].object == "chat.completion.chunk"
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        events = [extension(c)["event"] for c in chunks if extension(c)]
        assert events == ["conversation", "tool_call", "tool_result", "final"]
        assert chunks[-1].choices[0].finish_reason == "stop"
        assert text == extension(chunks[-1])["data"]["answer"] == answer

        # errors: the OpenAI client's exceptions, the API's error body
        with pytest.raises(openai.NotFoundError) as missing:
            client.chat.completions.create(model="gpt-4o", messages=ask)
        assert missing.value.body["code"] == "model_not_found"
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{base}/v1", api_key="sa_wrong", max_retries=0).models.list()
        with pytest.raises(openai.UnprocessableEntityError):
            client.chat.completions.create(
                model="shopassist", messages=[{"role": "assistant", "content": "hi"}]
            )
        # the session's store is shared: leave u1's cart empty as found
        gone = httpx.delete(f"{base}/v1/cart/items/{second}", headers={"X-API-Key": keys["u1"]})
        assert gone.status_code == 200 and gone.json()["cart"]["items"] == []


def test_langchain_chat_openai_against_the_served_app(
    indexed_store: tuple[Settings, dict[str, str]],
) -> None:
    # LangChain's ChatOpenAI, pointed at the service, gets the same grounded answer as /v1/chat,
    # whole and streamed
    from langchain_openai import ChatOpenAI  # lazy: a test-only dependency

    settings, keys = indexed_store
    with serving(create_app(settings)) as base:
        llm = ChatOpenAI(
            model="shopassist", base_url=f"{base}/v1", api_key=keys["u2"], max_retries=0
        )
        said = llm.invoke([("system", "be brief"), ("human", "water bottle")])
        direct = httpx.post(
            f"{base}/v1/chat", json={"message": "water bottle"}, headers={"X-API-Key": keys["u2"]}
        ).json()
        assert said.content == direct["answer"]
        assert direct["cited_product_ids"] and all(
            f"[{pid}]" in said.content for pid in direct["cited_product_ids"]
        )
        pieces = [chunk.content for chunk in llm.stream("water bottle")]
        assert len(pieces) > 1 and "".join(pieces) == direct["answer"]
