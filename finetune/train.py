"""LoRA supervised fine-tuning (peft + accelerate): CPU, one GPU, or `accelerate launch`.

Loss on the assistant target only; batches grouped by length (little padding), or packed (a
batch's examples end to end in one row, positions restarting at each example, so each attends
only to itself: no padding at all); checkpoints of
adapter + optimizer + scheduler every `save_every` steps, resumed automatically; the adapter and
a metrics JSON land in `out_dir`. A time budget stops early and still saves a usable adapter.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finetune.format import END_OF_TURN, prompt_text

CHECKPOINT = "checkpoint"


@dataclass
class TrainConfig:
    """LoRA hyper-parameters and run limits."""

    base_model: str = ""  # a transformers model directory
    out_dir: str = ""
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] | str = "all-linear"
    layers_from: float = 0.0  # adapt only layers above this fraction (backward stops there)
    lr: float = 1e-3
    warmup_ratio: float = 0.06
    epochs: float = 1.0
    batch_size: int = 8
    grad_accum: int = 1
    max_len: int = 384
    max_steps: int = 0  # 0: from epochs
    max_minutes: float = 0.0  # 0: no budget; else the LR schedule follows time and stops there
    save_every: int = 50
    seed: int = 0
    init_adapter: str = ""  # continue from this adapter's weights (same r / layers)
    pack: bool = False  # one row per batch, examples end to end (no padding)
    bf16: bool = False  # forward and backward under bf16 autocast (fp32 weights and optimizer)
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # stored with the metrics (e.g. fingerprint)

    def __post_init__(self) -> None:
        if not self.base_model or not self.out_dir:
            raise ValueError("base_model and out_dir are required")
        if self.r < 1 or self.batch_size < 1 or self.grad_accum < 1 or self.max_len < 32:
            raise ValueError("r, batch_size, grad_accum must be >= 1 and max_len >= 32")
        if not (0 < self.lr < 1) or self.epochs <= 0:
            raise ValueError("lr must be in (0, 1) and epochs > 0")


def encode_example(tokenizer: Any, ex: dict, max_len: int) -> tuple[list[int], list[int]]:
    """Token ids and labels (-100 on the prompt) of one example, old turns cut to fit."""
    prompt = tokenizer(prompt_text(tokenizer, ex["messages"]), add_special_tokens=False).input_ids
    target = tokenizer(ex["target"] + END_OF_TURN, add_special_tokens=False).input_ids
    target = target[: max_len // 2]
    keep = max_len - len(target)
    if len(prompt) > keep:  # keep the system line's head? no: the latest turns matter most
        prompt = prompt[-keep:]
    return prompt + target, [-100] * len(prompt) + target


def length_batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Index batches of similar length (sorted within shuffled windows), in shuffled order."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 32
    batches = []
    for s in range(0, len(order), window):
        chunk = sorted(order[s : s + window], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def lr_factor(done: float, warmup: float) -> float:
    """Learning-rate multiplier at a fraction of the run (of steps or of the time budget)."""
    if done < warmup:
        return max(0.05, done / warmup)
    frac = min(1.0, (done - warmup) / max(1e-9, 1 - warmup))
    return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac))


def target_only_loss(model: Any, batch: dict[str, Any]) -> Any:
    """Causal-LM loss with the output layer run on target positions only (same value as the
    model's own loss: mean cross-entropy over labelled tokens). Targets are ~10% of the tokens,
    so this skips most of the 49k-word output layer, forward and backward, and its memory."""
    import torch.nn.functional as F

    inputs = {k: batch[k] for k in ("input_ids", "attention_mask", "position_ids") if k in batch}
    # no cache: with position_ids and no attention mask the model finds the packed examples
    hidden = model.get_decoder()(**inputs, use_cache=False).last_hidden_state  # [B, T, H]
    labels = batch["labels"][:, 1:]  # [B, T-1]: token t is predicted at position t-1
    keep = labels != -100
    logits = model.get_output_embeddings()(hidden[:, :-1][keep])  # [N, V]
    return F.cross_entropy(logits.float(), labels[keep])


def _collate(pad_id: int, rows: list[tuple[list[int], list[int]]]) -> dict[str, Any]:
    import torch

    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), -100, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (x, y) in enumerate(rows):
        ids[i, : len(x)] = torch.tensor(x)
        labels[i, : len(y)] = torch.tensor(y)
        mask[i, : len(x)] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def _pack(rows: list[tuple[list[int], list[int]]]) -> dict[str, Any]:
    """One row: the examples end to end, positions restarting at each one (the model attends
    within an example only), no padding. Each example starts with its unlabelled prompt, so no
    target is predicted across two examples."""
    import torch

    ids = [t for x, _ in rows for t in x]
    labels = [t for _, y in rows for t in y]
    positions = [p for x, _ in rows for p in range(len(x))]
    return {
        "input_ids": torch.tensor([ids]),
        "labels": torch.tensor([labels]),
        "position_ids": torch.tensor([positions]),
    }


def batch_tokens(batch: dict[str, Any]) -> int:
    """The real (not padding) tokens of a batch."""
    mask = batch.get("attention_mask")
    return int(mask.sum()) if mask is not None else int(batch["input_ids"].numel())


def train_lora(
    cfg: TrainConfig,
    examples: list[dict],
    progress: bool = True,
    on_step: Callable[[int, float], None] | None = None,
) -> dict[str, Any]:
    """Train a LoRA adapter on examples; return the metrics (also written to metrics.json)."""
    import torch
    from accelerate import Accelerator
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
    from safetensors.torch import load_file
    from tqdm.auto import tqdm
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not examples:
        raise ValueError("no training examples")
    out = Path(cfg.out_dir)
    ckpt = out / CHECKPOINT
    torch.manual_seed(cfg.seed)
    acc = Accelerator(gradient_accumulation_steps=cfg.grad_accum)
    tok = AutoTokenizer.from_pretrained(cfg.base_model)
    base = AutoModelForCausalLM.from_pretrained(cfg.base_model, dtype=torch.float32)
    base.config.use_cache = False
    n_layers = base.config.num_hidden_layers
    layers = list(range(int(n_layers * cfg.layers_from), n_layers)) if cfg.layers_from else None
    targets = cfg.target_modules
    if layers and targets == "all-linear":  # peft wants explicit names with layers_to_transform
        targets = sorted(
            {
                n.rsplit(".", 1)[-1]
                for n, m in base.named_modules()
                if isinstance(m, torch.nn.Linear) and "lm_head" not in n
            }
        )
    lora = LoraConfig(
        r=cfg.r,
        lora_alpha=cfg.alpha,
        lora_dropout=cfg.dropout,
        target_modules=targets,
        task_type="CAUSAL_LM",
        layers_to_transform=layers,
    )
    model = get_peft_model(base, lora)
    if cfg.init_adapter:
        set_peft_model_state_dict(
            model, load_file(str(Path(cfg.init_adapter) / "adapter_model.safetensors"))
        )
    encoded = [encode_example(tok, ex, cfg.max_len) for ex in examples]
    lengths = [len(ids) for ids, _ in encoded]
    epoch_batches = length_batches(lengths, cfg.batch_size, cfg.seed)
    per_epoch = math.ceil(len(epoch_batches) / cfg.grad_accum)
    total = cfg.max_steps or max(1, math.ceil(per_epoch * cfg.epochs))
    plan: list[list[int]] = []
    e = 0
    while len(plan) < total * cfg.grad_accum:
        plan += length_batches(lengths, cfg.batch_size, cfg.seed + e)
        e += 1
    plan = plan[: total * cfg.grad_accum]
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    # a list is a map-style dataset at runtime; torch's annotation names only Dataset
    loader: torch.utils.data.DataLoader = torch.utils.data.DataLoader(
        encoded,  # type: ignore[arg-type]
        batch_sampler=plan,
        collate_fn=_pack if cfg.pack else lambda rows: _collate(pad, rows),
    )
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    start, history, seconds_before = 0, [], 0.0
    if (ckpt / "state.pt").is_file():  # resume
        state = torch.load(ckpt / "state.pt", weights_only=False)
        set_peft_model_state_dict(model, load_file(str(ckpt / "adapter_model.safetensors")))
        opt.load_state_dict(state["optimizer"])
        start, history, seconds_before = state["step"], state["history"], state["seconds"]
    model, opt, loader = acc.prepare(model, opt, loader)
    if start:
        loader = acc.skip_first_batches(loader, start * cfg.grad_accum)
    model.train()
    t0, tokens, step, stopped = time.time(), 0, start, "completed"
    bar = tqdm(
        total=total, initial=start, desc="LoRA", disable=not progress or not acc.is_main_process
    )
    run_loss, run_n = 0.0, 0
    for i, batch in enumerate(loader):
        done = max(
            step / total,
            (seconds_before + time.time() - t0) / (cfg.max_minutes * 60)
            if cfg.max_minutes
            else 0.0,
        )
        for group in opt.param_groups:
            group["lr"] = cfg.lr * lr_factor(done, cfg.warmup_ratio)
        with acc.accumulate(model):
            # Several processes: the wrapped model's own forward keeps gradient sync intact.
            with torch.autocast(acc.device.type, dtype=torch.bfloat16, enabled=cfg.bf16):
                loss = (
                    model(**batch).loss if acc.num_processes > 1 else target_only_loss(model, batch)
                )
            acc.backward(loss)
            opt.step()
            opt.zero_grad()
        tokens += batch_tokens(batch)
        run_loss, run_n = run_loss + float(loss.detach()), run_n + 1
        if (i + 1) % cfg.grad_accum:
            continue
        step += 1
        avg = run_loss / run_n
        run_loss, run_n = 0.0, 0
        history.append(round(avg, 4))
        bar.update(1)
        bar.set_postfix(loss=f"{avg:.3f}", tok_s=f"{tokens / max(1e-9, time.time() - t0):.0f}")
        if on_step:
            on_step(step, avg)
        over_time = cfg.max_minutes and (seconds_before + time.time() - t0) > cfg.max_minutes * 60
        if step % cfg.save_every == 0 or over_time:
            _save_checkpoint(
                acc, model, opt, ckpt, step, history, seconds_before + time.time() - t0
            )
        if over_time:
            stopped = "time budget"
            break
    bar.close()
    seconds = seconds_before + time.time() - t0
    metrics = {
        "steps": step,
        "planned_steps": total,
        "stopped": stopped,
        "examples": len(examples),
        "epochs": round(step * cfg.grad_accum / max(1, len(epoch_batches)), 3),
        "seconds": round(seconds, 1),
        "tokens_per_s": round(tokens / max(1e-9, time.time() - t0), 1),
        "loss_first": history[0] if history else None,
        "loss_last": round(sum(history[-10:]) / max(1, len(history[-10:])), 4) if history else None,
        "loss_curve": history[:: max(1, len(history) // 50)],
        "config": asdict(cfg),
    }
    if acc.is_main_process:
        acc.unwrap_model(model).save_pretrained(out)
        tok.save_pretrained(out)
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
        if stopped == "completed":
            shutil.rmtree(ckpt, ignore_errors=True)
    return metrics


def _save_checkpoint(
    acc: Any, model: Any, opt: Any, ckpt: Path, step: int, history: list[float], seconds: float
) -> None:
    import torch

    acc.wait_for_everyone()
    if not acc.is_main_process:
        return
    tmp = ckpt.with_name(CHECKPOINT + ".tmp")
    acc.unwrap_model(model).save_pretrained(tmp)
    torch.save(
        {"optimizer": opt.state_dict(), "step": step, "history": history, "seconds": seconds},
        tmp / "state.pt",
    )
    shutil.rmtree(ckpt, ignore_errors=True)
    tmp.rename(ckpt)


def target_loss(model: Any, tokenizer: Any, examples: list[dict], max_len: int = 384) -> float:
    """Mean per-token loss on the examples' targets (no gradient), e.g. before/after training."""
    import torch

    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    total, count = 0.0, 0
    model.eval()
    with torch.inference_mode():
        for ex in examples:
            batch = _collate(pad, [encode_example(tokenizer, ex, max_len)])
            n = int((batch["labels"] != -100).sum())
            total += float(model(**batch).loss) * n
            count += n
    return total / max(1, count)
