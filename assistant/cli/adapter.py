"""Adapter commands: `finetune store-adapter` (the background training's process), `finetune
ship` (the compact copy committed in the package), `bench train` (training tokens/s)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import typer

from assistant.cli.app import bench_app, fail, finetune_app
from assistant.config import get_settings
from assistant.llm.adapters import GENERAL, META, SHIPPED, adapter_dir, base_model_dir, read_meta
from assistant.llm.errors import LLMError
from assistant.services.adapter import train_store_adapter
from finetune.data import read_jsonl
from finetune.gguf_export import ExportError, ship_adapter
from finetune.train import TrainConfig, train_lora


@finetune_app.command("store-adapter")
def store_adapter() -> None:
    """Train the store's adapter on the catalog now (what `serve --setup` runs in the
    background), with its progress in the training status file."""
    settings = get_settings()
    try:
        train_store_adapter(settings)
    except (ValueError, LLMError, OSError) as exc:
        fail(str(exc))


@finetune_app.command("ship")
def ship(
    adapter: str = typer.Option(GENERAL, help="Adapter name under DATA_DIR/adapters."),
    out: Path = typer.Option(SHIPPED / GENERAL, help="Folder to write (committed)."),
) -> None:
    """Write a compact copy of an adapter to ship in the package: f16 weights + f16 GGUF LoRA."""
    settings = get_settings()
    src = adapter_dir(settings, adapter)
    try:
        folder = ship_adapter(src, out, base_model_dir(settings), settings.path("models"))
    except (ExportError, LLMError) as exc:
        fail(str(exc))
    meta = read_meta(src)
    meta.pop("catalog_fingerprint", None)  # the installed copy carries the store's names
    (folder / META).write_text(json.dumps(meta, indent=1))
    sizes = {p.name: round(p.stat().st_size / 1e6, 2) for p in sorted(folder.iterdir())}
    typer.echo(json.dumps({"folder": str(folder), "mb": sizes}))


@bench_app.command("train")
def bench_train(
    data: Path = typer.Option(..., help="train.jsonl (from `finetune build-data`)."),
    steps: int = typer.Option(6, help="Optimizer steps per variant."),
    batch_size: int = typer.Option(8),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    bf16: bool = typer.Option(False, help="Also both under bf16 autocast."),
) -> None:
    """LoRA training tokens/s in one run: padded batches, then the same batches packed (and
    both again under bf16 autocast)."""
    settings = get_settings()
    rows = read_jsonl(data)[: steps * batch_size]
    load_before = [round(x, 2) for x in os.getloadavg()]
    result: dict[str, Any] = {
        "examples": len(rows),
        "steps": steps,
        "load_average_before": load_before,
    }
    variants = [("padded", False, False), ("packed", True, False)]
    variants += [("padded_bf16", False, True), ("packed_bf16", True, True)] if bf16 else []
    for label, pack, low in variants:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = TrainConfig(
                base_model=str(base_model_dir(settings)),
                out_dir=tmp,
                max_steps=steps,
                batch_size=batch_size,
                layers_from=0.4,
                pack=pack,
                bf16=low,
            )
            m = train_lora(cfg, rows, progress=False)
        result[label] = {k: m[k] for k in ("tokens_per_s", "seconds", "loss_first", "loss_last")}
    result["speedup"] = round(
        result["packed"]["tokens_per_s"] / result["padded"]["tokens_per_s"], 3
    )
    if bf16:  # bf16 against fp32, the same batches
        result["bf16_speedup"] = {
            k: round(result[f"{k}_bf16"]["tokens_per_s"] / result[k]["tokens_per_s"], 3)
            for k in ("padded", "packed")
        }
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
