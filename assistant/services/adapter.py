"""The store's LoRA adapter: build SFT data from the catalog and train it when it is missing.

`ensure_adapter(settings)` is a setup step: it returns at once when the adapter under
data_dir/adapters/<adapter_name> was trained on the current catalog (fingerprint in
shopassist.json), and otherwise builds data and trains within `finetune_max_minutes`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import session_scope
from assistant.llm.adapters import (
    META,
    adapter_dir,
    base_model_dir,
    catalog_names,
    export_after_training,
    read_meta,
)
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
) -> dict[str, Any]:
    """Build SFT data from catalog rows and train an adapter; return the training metrics."""
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
        extra={"catalog_fingerprint": fp},
    )
    metrics = train_lora(cfg, train, progress=progress)
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


def ensure_adapter(
    settings: Settings, session: Session | None = None, *, progress: bool = True
) -> Path | None:
    """The adapter for the current catalog, trained first if missing or stale; None: no catalog."""
    if session is None:
        with session_scope(settings.effective_database_url) as s:
            rows = catalog_rows(s)
    else:
        rows = catalog_rows(session)
    if len(rows) < 4:
        typer.echo("adapter: the catalog has fewer than 4 products; not training (base model only)")
        return None
    out = adapter_dir(settings)
    meta = read_meta(out)
    if (
        meta.get("catalog_fingerprint") == catalog_fingerprint(rows)
        and (out / "adapter_model.safetensors").is_file()
    ):
        return out
    typer.echo(
        f"adapter: training {out.name!r} on {len(rows)} products "
        f"(at most {settings.finetune_max_minutes:.0f} min) ..."
    )
    metrics = train_adapter(settings, rows, out=out, progress=progress)
    typer.echo(
        f"adapter: {metrics['steps']} steps, loss {metrics['loss_first']} -> {metrics['loss_last']}"
    )
    if settings.llm_backend == "llamacpp":  # the model the service loads next: export it now
        typer.echo(export_after_training(settings, out))
    return out
