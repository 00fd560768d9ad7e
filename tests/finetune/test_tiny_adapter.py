"""A tiny LoRA adapter trained in the test run: the real model, with and without it, plans the
tools it was taught; the llama.cpp runtime with its GGUF export plans the same calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import default_llm_gguf
from assistant.llm.backends import TransformersBackend
from assistant.llm.generation import GenerationOptions
from assistant.llm.llamacpp_backend import LlamaCppBackend, llama_cpp_available
from assistant.tools.contract import tool_specs
from finetune.format import parse_turn
from tests.conftest import tiny_examples

pytestmark = pytest.mark.slow
TOOLS = {s["function"]["name"]: s["function"]["parameters"] for s in tool_specs()}
OPTS = GenerationOptions(max_time_s=600)


def _plans(backend, adapter: str | None) -> list[tuple[str | None, dict | None]]:
    """(tool, arguments) the backend plans for each taught prompt."""
    out = []
    for ex in tiny_examples():
        turn = backend.plan(ex["messages"], TOOLS, OPTS, adapter=adapter)
        out.append((turn.tool_name, turn.arguments))
    return out


def _taught() -> list[tuple[str | None, dict | None]]:
    calls = [parse_turn(ex["target"]) for ex in tiny_examples()]
    return [(c.name, c.arguments) for c in calls]


def _hits(got, want) -> int:
    return sum(g[0] == w[0] for g, w in zip(got, want, strict=True))


@pytest.fixture(scope="module")
def transformers_plans(llm_model_dir, tiny_adapter):
    backend = TransformersBackend(llm_model_dir)
    base = _plans(backend, None)
    backend.load_adapter("tiny", tiny_adapter)
    return base, _plans(backend, "tiny")


def test_the_tiny_adapter_plans_the_tools_it_was_taught(transformers_plans):
    base, tuned = transformers_plans
    want = _taught()
    # thresholds: the untuned model rarely picks these tools; the adapter nearly always does
    assert _hits(tuned, want) >= len(want) - 1, tuned
    assert _hits(base, want) <= 2, base
    # a taught call with an id repeats the id the shopper wrote, never another one
    for (tool, args), (want_tool, want_args) in zip(tuned, want, strict=True):
        if tool == want_tool == "get_order_status":
            assert args == want_args


@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python is not installed")
def test_llamacpp_with_the_exported_adapter_plans_what_transformers_plans(
    llm_model_dir, tiny_adapter, transformers_plans, pytestconfig
):
    from finetune.gguf_export import ExportError, export_lora

    try:
        export_lora(tiny_adapter, llm_model_dir, Path(pytestconfig.cache.mkdir("shopassist-llm")))
    except ExportError as exc:  # the converter comes from the sdist in pip's cache
        pytest.skip(f"llama.cpp's converter is not available here: {exc}")
    backend = LlamaCppBackend(Path(default_llm_gguf()), adapters_dir=tiny_adapter.parent)
    got = _plans(backend, "tiny")
    _, tuned = transformers_plans
    assert _hits(got, _taught()) >= len(got) - 1, got
    assert _hits(got, tuned) >= len(got) - 1, (got, tuned)
