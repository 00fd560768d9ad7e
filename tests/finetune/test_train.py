"""LoRA training on tiny data: the target loss drops, runs resume from checkpoints, batching is sane."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from finetune.data import DataConfig, build_sft_data
from finetune.train import (
    TrainConfig,
    _collate,
    _pack,
    batch_tokens,
    encode_example,
    length_batches,
    lr_factor,
    target_loss,
    target_only_loss,
    train_lora,
)
from tests.conftest import TINY_CATALOG

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_dir(llm_model_dir) -> Path:
    return llm_model_dir


def _tiny() -> list[dict]:
    train, _ = build_sft_data(
        TINY_CATALOG,
        DataConfig(
            n_train=60, n_eval=1, weights={"orders": 1.0, "handoff": 1.0, "order_status": 1.0}
        ),
    )
    return sorted(train, key=lambda e: len(e["target"]))[:8]


def test_lora_lowers_the_target_loss(model_dir, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    data = _tiny()[:4]
    cfg = TrainConfig(
        base_model=str(model_dir),
        out_dir=str(tmp_path / "ad"),
        r=4,
        lr=5e-3,
        batch_size=2,
        max_steps=6,
        layers_from=0.5,
        max_len=96,
        warmup_ratio=0.0,
    )
    metrics = train_lora(cfg, data, progress=False)
    tok = AutoTokenizer.from_pretrained(model_dir)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    before = target_loss(base, tok, data, 96)
    after = target_loss(PeftModel.from_pretrained(base, tmp_path / "ad"), tok, data, 96)
    assert after < before * 0.7, (before, after)
    saved = json.loads((tmp_path / "ad" / "metrics.json").read_text())
    assert saved["steps"] == metrics["steps"] == 6 and not (tmp_path / "ad" / "checkpoint").exists()


def test_time_budget_stops_with_a_checkpoint_and_the_run_resumes(model_dir, tmp_path):
    data = _tiny()[:4]
    kw = dict(
        base_model=str(model_dir),
        out_dir=str(tmp_path / "ad"),
        r=2,
        batch_size=2,
        max_steps=3,
        layers_from=0.8,
        max_len=96,
        save_every=10,
    )
    first = train_lora(TrainConfig(**kw, max_minutes=1e-5), data, progress=False)
    assert first["stopped"] == "time budget" and first["steps"] == 1
    assert (tmp_path / "ad" / "checkpoint" / "state.pt").is_file()
    second = train_lora(TrainConfig(**kw), data, progress=False)
    assert second["stopped"] == "completed" and second["steps"] == 3
    assert len(second["loss_curve"]) == 3
    from safetensors.torch import load_file

    kw.update(out_dir=str(tmp_path / "ad2"), max_steps=1, lr=1e-12)
    train_lora(TrainConfig(**kw, init_adapter=str(tmp_path / "ad")), data, progress=False)
    start, cont = (
        load_file(str(tmp_path / d / "adapter_model.safetensors")) for d in ("ad", "ad2")
    )
    assert start.keys() == cont.keys()
    assert all(torch.allclose(start[k], cont[k], atol=1e-6) for k in start)  # continued, not fresh


def test_batching_and_schedule():
    batches = length_batches([5, 50, 6, 49, 7, 48], 2, seed=0)
    assert sorted(i for b in batches for i in b) == list(range(6))
    lengths = [5, 50, 6, 49, 7, 48]
    assert {tuple(sorted(lengths[i] for i in b)) for b in batches} == {(5, 6), (7, 48), (49, 50)}
    assert lr_factor(0.0, 0.1) == pytest.approx(0.05) and lr_factor(0.1, 0.1) == pytest.approx(1.0)
    assert lr_factor(1.0, 0.1) == pytest.approx(0.05)
    with pytest.raises(ValueError):
        TrainConfig(base_model="x", out_dir="y", lr=2.0)


def test_target_only_loss_equals_the_models_own_loss(model_dir):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    rows = [encode_example(tok, ex, 96) for ex in _tiny()[:3]]  # different lengths: padding
    batch = _collate(tok.eos_token_id, rows)
    with torch.no_grad():
        want = float(model(**batch).loss)
        got = float(target_only_loss(model, batch))
    assert got == pytest.approx(want, rel=1e-4)


def test_packed_examples_see_only_themselves_and_lose_only_on_targets(model_dir):
    """The same examples packed in one row (no padding) give the padded batch's loss: each
    example attends only to itself, and prompts (including the next example's) carry no loss."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    rows = [encode_example(tok, ex, 96) for ex in _tiny()[:3]]
    padded, packed = _collate(tok.eos_token_id, rows), _pack(rows)
    assert batch_tokens(packed) == batch_tokens(padded) == sum(len(x) for x, _ in rows)
    assert packed["input_ids"].shape[0] == 1
    with torch.no_grad():
        want = float(target_only_loss(model, padded))
        got = float(target_only_loss(model, packed))
        # and a packed row whose positions did not restart would see the other examples
        leaky = {**packed, "position_ids": torch.arange(packed["input_ids"].shape[1])[None]}
        leaked = float(target_only_loss(model, leaky))
    assert got == pytest.approx(want, rel=1e-4)
    assert leaked != pytest.approx(want, rel=1e-3)
