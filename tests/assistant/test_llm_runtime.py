"""The real SmolLM2 model: loading, deterministic generation, constrained tool calls,
LangChain bind_tools, LoRA adapter load/switch/unload/merge, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm.backends import TransformersBackend
from assistant.llm.errors import AdapterError, ContextTooLongError, ModelLoadError
from assistant.llm.generation import GenerationOptions
from assistant.llm.loading import plain_model_dir
from assistant.tools.contract import TOOL_NAMES, tool_specs, validate_call

pytestmark = pytest.mark.slow
TOOLS = {s["function"]["name"]: s["function"]["parameters"] for s in tool_specs()}
FEW = GenerationOptions(max_new_tokens=6, max_time_s=120)


@pytest.fixture(scope="module")
def model_dir(llm_model_dir) -> Path:
    return llm_model_dir


@pytest.fixture(scope="module")
def backend(model_dir) -> TransformersBackend:
    return TransformersBackend(model_dir, brands=["Cello", "India Gate"], categories=["Rice"])


def test_generation_is_deterministic(backend):
    msgs = [{"role": "user", "content": "Say hello."}]
    first = "".join(backend.stream(msgs, FEW, prefix=""))
    assert first.strip() and first == "".join(backend.stream(msgs, FEW, prefix=""))


def test_constrained_decoding_yields_a_valid_call(backend):
    msgs = [{"role": "user", "content": "show me Cello water bottles under 500"}]
    turn = backend.plan(msgs, TOOLS, GenerationOptions(max_time_s=120))
    if turn.is_call:  # the base model may also choose NO_TOOL; a call must be valid
        assert turn.tool_name in TOOL_NAMES and turn.constrained
        assert validate_call(turn.tool_name, turn.arguments) == turn.arguments


def test_an_order_id_is_the_one_the_shopper_wrote(backend, tiny_adapter):
    # the tiny adapter (trained in this run) calls get_order_status for this phrasing; the
    # decoder restricts the id to those the conversation contains
    backend.load_adapter("tiny", tiny_adapter)
    msgs = [{"role": "user", "content": "status of #W1234567"}]
    turn = backend.plan(msgs, TOOLS, GenerationOptions(max_time_s=600), adapter="tiny")
    assert turn.tool_name == "get_order_status" and turn.arguments == {"order_id": "#W1234567"}


def test_langchain_bind_tools_round_trip(backend):
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    from assistant.llm.chat_model import ShopAssistChatModel

    chat = ShopAssistChatModel(backend=backend, max_new_tokens=8, max_time_s=120)
    bound = chat.bind_tools(tool_specs(), tool_choice="compare_products")
    history = [
        HumanMessage("rice"),
        AIMessage(
            "", tool_calls=[{"name": "search_products", "args": {"query": "rice"}, "id": "c1"}]
        ),
        ToolMessage(
            '[{"product_id": "bb1", "title": "Rice A"}, {"product_id": "bb2", "title": "Rice B"}]',
            tool_call_id="c1",
        ),
        HumanMessage("compare these two"),
    ]
    msg = bound.invoke(history)
    assert isinstance(msg, AIMessage) and msg.tool_calls
    call = msg.tool_calls[0]
    assert call["name"] == "compare_products" and set(call["args"]["product_ids"]) <= {"bb1", "bb2"}
    chunks = list(chat.stream([HumanMessage("hi")]))
    assert "".join(str(c.content) for c in chunks).strip()


def test_context_too_long_and_missing_model(backend, tmp_path):
    huge = [{"role": "user", "content": "word " * 5000}]
    with pytest.raises(ContextTooLongError):
        backend.plan(huge, TOOLS, FEW)
    with pytest.raises(ModelLoadError, match="not found"):
        plain_model_dir(tmp_path / "nope.gguf", tmp_path)
    (tmp_path / "bad.gguf").write_bytes(b"not a gguf")
    with pytest.raises(ModelLoadError):
        plain_model_dir(tmp_path / "bad.gguf", tmp_path / "cache")


def _random_adapter(model_dir: Path, out: Path, seed: int) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    cfg = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    get_peft_model(base, cfg).save_pretrained(out)
    return out


def test_adapters_load_switch_unload_and_merge(model_dir, tmp_path):
    backend = TransformersBackend(model_dir, adapters_dir=tmp_path)
    _random_adapter(model_dir, tmp_path / "a", 1)
    _random_adapter(model_dir, tmp_path / "b", 2)
    msgs = [{"role": "user", "content": "Name a fruit."}]
    base = "".join(backend.stream(msgs, FEW, prefix=""))
    out_a = "".join(backend.stream(msgs, FEW, adapter="a", prefix=""))  # loads on first use
    out_b = "".join(backend.stream(msgs, FEW, adapter="b", prefix=""))
    assert len({base, out_a, out_b}) == 3
    assert "".join(backend.stream(msgs, FEW, prefix="")) == base  # adapters disabled again
    merged = backend.merge_adapter("a", tmp_path / "merged")
    assert (merged / "config.json").is_file()
    backend.unload_adapter("b")
    backend.unload_adapter("a")
    assert "".join(backend.stream(msgs, FEW, prefix="")) == base
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "adapter_config.json").write_text("{not json")
    with pytest.raises(AdapterError):
        backend.load_adapter("broken")
    with pytest.raises(AdapterError, match="no LoRA adapter"):
        backend.load_adapter("missing")


def test_ensure_adapter_trains_once_per_catalog(model_dir, tmp_path):
    from assistant.config import Settings
    from assistant.db.models import Base, Product
    from assistant.db.session import get_engine, session_scope
    from assistant.llm.adapters import read_meta
    from assistant.services.adapter import ensure_adapter

    settings = Settings(
        data_dir=tmp_path / "var",
        llm_model_path=str(model_dir),
        finetune_examples=16,
        finetune_max_minutes=1e-4,
    )
    settings.data_dir.mkdir(parents=True)
    url = settings.effective_database_url
    Base.metadata.create_all(get_engine(url))
    assert ensure_adapter(settings) is None  # empty catalog: nothing to learn from
    with session_scope(url) as s:
        for i, (title, brand) in enumerate(
            [
                ("Water Bottle", "Cello"),
                ("Rice", "India Gate"),
                ("Green Tea", "Tetley"),
                ("Lunch Box", "Milton"),
            ]
        ):
            s.add(Product(id=f"p{i}", title=title, brand=brand, category="Home", price=100 + i))
    path = ensure_adapter(settings)
    assert path is not None and (path / "adapter_model.safetensors").is_file()
    meta = read_meta(path)
    assert (
        meta["brands"] == ["Cello", "India Gate", "Milton", "Tetley"]
        and meta["catalog_fingerprint"]
    )
    stamp = (path / "adapter_model.safetensors").stat().st_mtime_ns
    assert ensure_adapter(settings) == path  # same catalog: no retraining
    assert (path / "adapter_model.safetensors").stat().st_mtime_ns == stamp


def test_fast_decoding_scores_match_the_plain_forward(backend):
    """Split head, prefix cache and lazy feeding change the cost, not the numbers."""
    import torch

    from assistant.llm.generation import Decoder

    model, tok = backend.model, backend.tok
    ids = backend.prompt_ids([{"role": "user", "content": "any basmati rice under 300?"}])
    system = ids[:12]
    seed = Decoder(model, tok, system, deadline=1e12)
    dec = Decoder(model, tok, ids, deadline=1e12, prefix=(system, seed.cache))
    assert dec.forwards == 1 and dec.cache.get_seq_length() == len(ids)
    dec.sync(dec.text + '<tool>{"name":')  # forced: nothing runs until scores are needed
    assert dec.forwards == 1
    got = dec.scorer.logits(dec._ensure_state(len(dec.ids)))
    assert dec.forwards == 2
    with torch.inference_mode():
        want = model(input_ids=torch.tensor([ids + dec.ids])).logits[0, -1]
    assert torch.allclose(got, want, atol=1e-3)
    allowed = torch.tensor([5, 17, 99])
    only = dec.scorer.logits(dec._ensure_state(len(dec.ids)), allowed)
    assert torch.allclose(only[allowed], want[allowed], atol=1e-3)
    assert torch.isinf(only).sum() == only.numel() - 3


def test_low_precision_decoding_keeps_calls_valid_and_rejects_unknown_modes(
    model_dir, tiny_adapter
):
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as Int8Linear
    from torch.nn import Linear

    from assistant.llm.errors import LLMError

    with pytest.raises(LLMError, match="valid: none, bf16, int8"):
        TransformersBackend(model_dir, quantize="int4")
    only = {"get_order_status": TOOLS["get_order_status"]}
    msgs = [{"role": "user", "content": "status of #W1234567"}]
    for mode in ("bf16", "int8"):
        fast = TransformersBackend(model_dir, brands=["Cello"], quantize=mode)
        fast.load_adapter("tiny", tiny_adapter)
        turn = fast.plan(msgs, only, FEW, adapter="tiny")
        assert turn.tool_name == "get_order_status" and turn.arguments == {"order_id": "#W1234567"}
        (copy,) = fast._fast.values()  # a separate copy decodes; the fp32 model is untouched
        up = copy.get_decoder().layers[0].mlp.up_proj
        assert isinstance(up, Int8Linear) if mode == "int8" else up.weight.dtype == torch.bfloat16
        assert type(fast.model.get_decoder().layers[0].mlp.up_proj) is Linear
        assert fast.model.get_decoder().layers[0].mlp.up_proj.weight.dtype == torch.float32
