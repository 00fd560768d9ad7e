"""The store's LoRA adapter: build SFT data from the catalog and train it when it is missing.

`ensure_adapter(settings)` is a setup step: it returns at once when the adapter under
data_dir/adapters/<adapter_name> was trained on the current catalog (fingerprint in
shopassist.json). Otherwise it installs the general adapter shipped in the package (so the
service answers with a fine-tuned model at once) and, as `adapter_training` says, trains the
store's adapter now (`setup`), leaves that to the service's background process (`background`,
`train_store_adapter` in a child) or not at all (`off`). Training starts from the general
adapter's weights and stops within `finetune_max_minutes`.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import session_scope
from assistant.llm.adapters import (
    GENERAL,
    META,
    adapter_dir,
    base_model_dir,
    catalog_names,
    export_after_training,
    read_meta,
    shipped_adapter_dir,
)
from assistant.services.adapter_training import TrainingStatus, write_status
from assistant.services.policy import policy_files
from finetune.data import DataConfig, build_sft_data, catalog_fingerprint, write_jsonl
from finetune.train import TrainConfig, train_lora


def catalog_rows(session: Session) -> list[dict[str, Any]]:
    """The catalog as plain dicts (id, title, brand, category, price, rating)."""
    rows = session.execute(
        select(
            Product.id,
            Product.title,
            Product.brand,
            Product.category,
            Product.price,
            Product.rating,
            Product.in_stock,
        )
    ).all()
    return [dict(r._mapping) for r in rows]


def train_adapter(
    settings: Settings,
    rows: list[dict[str, Any]],
    *,
    out: Path | None = None,
    n_train: int | None = None,
    max_minutes: float | None = None,
    epochs: float = 2.0,
    policy_text: str = "",
    real_queries: list[str] | None = None,
    progress: bool = True,
    on_step: Callable[[int, float], None] | None = None,
    init_adapter: Path | None = None,
) -> dict[str, Any]:
    """Build SFT data from catalog rows and train an adapter (from init_adapter's weights when
    given); return the training metrics."""
    out = out or adapter_dir(settings)
    policy = policy_text or store_policy_text(settings)
    train, held_out = build_sft_data(
        rows,
        DataConfig(n_train=n_train or settings.finetune_examples),
        policy_text=policy,
        real_queries=real_queries,
    )
    data_dir = settings.path("finetune")
    write_jsonl(data_dir / "train.jsonl", train)
    write_jsonl(data_dir / "eval.jsonl", held_out)
    fp = catalog_fingerprint(rows)
    cfg = TrainConfig(
        base_model=str(base_model_dir(settings)),
        out_dir=str(out),
        epochs=epochs,
        max_minutes=settings.finetune_max_minutes if max_minutes is None else max_minutes,
        layers_from=0.4,
        init_adapter=str(init_adapter or ""),
        extra={"catalog_fingerprint": fp},
    )
    metrics = train_lora(cfg, train, progress=progress, on_step=on_step)
    brands, cats = catalog_names(rows)
    (out / META).write_text(
        json.dumps(
            {
                "catalog_fingerprint": fp,
                "brands": brands,
                "categories": cats,
                "base_model": settings.llm_model_path,
                "trained_at": time.time(),
                "examples": len(train),
            },
            indent=1,
        )
    )
    return metrics


def store_policy_text(settings: Settings) -> str:
    """The store's policy documents (the ones search_policy answers from), concatenated."""
    return "\n\n".join(p.read_text(encoding="utf-8") for p in policy_files(settings))


def _rows(settings: Settings, session: Session | None) -> list[dict[str, Any]]:
    if session is not None:
        return catalog_rows(session)
    with session_scope(settings.effective_database_url) as s:
        return catalog_rows(s)


def is_current(settings: Settings, rows: list[dict[str, Any]]) -> bool:
    """True when the store adapter was trained on this catalog."""
    out = adapter_dir(settings)
    return (
        read_meta(out).get("catalog_fingerprint") == catalog_fingerprint(rows)
        and (out / "adapter_model.safetensors").is_file()
    )


def needs_training(settings: Settings) -> bool:
    """True when the catalog has products and the store adapter was not trained on it."""
    rows = _rows(settings, None)
    return len(rows) >= 4 and not is_current(settings, rows)


def install_general(settings: Settings, rows: list[dict[str, Any]]) -> Path | None:
    """Copy the shipped general adapter to data_dir/adapters/general with this catalog's names
    (what the call checks accept); None when the package has none."""
    shipped = shipped_adapter_dir(GENERAL)
    if shipped is None or settings.adapter_name == GENERAL:
        return None
    out = adapter_dir(settings, GENERAL)
    brands, cats = catalog_names(rows)
    meta = {**read_meta(shipped), "brands": brands, "categories": cats}
    if read_meta(out) == meta and (out / "adapter.gguf").is_file():
        return out
    tmp = out.with_name(f"{GENERAL}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(shipped, tmp, ignore=shutil.ignore_patterns("*.md"))
    (tmp / META).write_text(json.dumps(meta, indent=1))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def ensure_adapter(
    settings: Settings, session: Session | None = None, *, progress: bool = True
) -> Path | None:
    """The adapter for the current catalog: the store's when trained on it; else the general
    one installed, and the store's trained now when adapter_training is `setup`. None: no
    catalog."""
    rows = _rows(settings, session)
    if len(rows) < 4:
        typer.echo("adapter: the catalog has fewer than 4 products; not training (base model only)")
        return None
    out = adapter_dir(settings)
    if is_current(settings, rows):
        return out
    general = install_general(settings, rows)
    if general is not None:
        typer.echo(f"adapter: the shipped general adapter serves until {out.name!r} is trained")
    if settings.adapter_training == "off":
        return general
    if settings.adapter_training == "background":
        write_status(settings, TrainingStatus(state="not_started", adapter=out.name))
        typer.echo(f"adapter: {out.name!r} trains in the background once the service runs")
        return general
    return train_store_adapter(settings, rows, progress=progress)


def train_store_adapter(
    settings: Settings, rows: list[dict[str, Any]] | None = None, *, progress: bool = False
) -> Path:
    """Train the store's adapter on the catalog (from the general adapter's weights when shipped),
    export it for llama.cpp, and keep its TrainingStatus current, step by step."""
    rows = _rows(settings, None) if rows is None else rows
    out = adapter_dir(settings)
    budget = settings.finetune_max_minutes * 60
    status = TrainingStatus(
        state="training",
        adapter=out.name,
        products=len(rows),
        examples=settings.finetune_examples,
        budget_s=budget,
        message="building the training data",
    )
    write_status(settings, status)
    t0 = time.monotonic()

    def on_step(step: int, loss: float) -> None:
        status.step, status.loss = step, round(loss, 4)
        status.elapsed_s = round(time.monotonic() - t0, 1)
        status.message = "training"
        write_status(settings, status)
        if step % 10 == 0:
            typer.echo(
                f"step {step}, loss {loss:.3f}, {status.elapsed_s / 60:.1f} of "
                f"{budget / 60:.0f} min"
            )

    typer.echo(
        f"adapter: training {out.name!r} on {len(rows)} products "
        f"(at most {settings.finetune_max_minutes:.0f} min) ..."
    )
    try:
        metrics = train_adapter(
            settings,
            rows,
            out=out,
            progress=progress,
            on_step=on_step,
            init_adapter=shipped_adapter_dir(GENERAL),
        )
    except Exception as exc:
        status.state, status.message = "failed", str(exc)[:300]
        write_status(settings, status)
        raise
    typer.echo(
        f"adapter: {metrics['steps']} steps, loss {metrics['loss_first']} -> {metrics['loss_last']}"
    )
    if settings.llm_backend == "llamacpp":  # the model the service loads next: export it now
        typer.echo(export_after_training(settings, out))
    status.state, status.message = "trained", f"{metrics['steps']} steps, {metrics['stopped']}"
    status.elapsed_s = round(time.monotonic() - t0, 1)
    write_status(settings, status)
    return out
