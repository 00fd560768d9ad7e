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

from assistant.config import Settings
from assistant.llm.errors import AdapterError

META = "shopassist.json"


def adapter_dir(settings: Settings, name: str | None = None) -> Path:
    """Directory of a named adapter (default: settings.adapter_name)."""
    return settings.path("adapters", name or settings.adapter_name)


def base_model_dir(settings: Settings) -> Path:
    """The plain transformers directory of the configured base model (GGUF de-quantised once)."""
    from assistant.llm.loading import plain_model_dir

    return plain_model_dir(settings.llm_model_path, settings.path("models"))


def catalog_rows(session: Any) -> list[dict[str, Any]]:
    """The catalog as plain dicts (id, title, brand, category, price, rating)."""
    from sqlalchemy import select

    from assistant.db.models import Product

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


def read_meta(path: Path) -> dict[str, Any]:
    """The adapter's metadata (fingerprint, brands, categories), or {} when absent."""
    meta = path / META
    if not meta.is_file():
        return {}
    try:
        return json.loads(meta.read_text())
    except (OSError, ValueError) as exc:
        raise AdapterError(f"unreadable adapter metadata {meta}: {exc}") from exc


def catalog_names(rows: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Known brands and leaf categories of a catalog (what arguments may name)."""
    brands = sorted({str(r.get("brand") or "").strip() for r in rows} - {""})
    cats = sorted({str(r.get("category") or "").split(">")[-1].strip() for r in rows} - {""})
    return brands, cats


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
    from finetune.data import DataConfig, build_sft_data, catalog_fingerprint, write_jsonl
    from finetune.train import TrainConfig, train_lora

    out = out or adapter_dir(settings)
    policy = policy_text or _policy_text(settings)
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


def _policy_text(settings: Settings) -> str:
    """The store's policy documents (the ones search_policy answers from), concatenated."""
    from assistant.services.policy import policy_files

    return "\n\n".join(p.read_text(encoding="utf-8") for p in policy_files(settings))


def ensure_adapter(
    settings: Settings, session: Any = None, *, progress: bool = True
) -> Path | None:
    """The adapter for the current catalog, trained first if missing or stale; None: no catalog."""
    import typer

    from finetune.data import catalog_fingerprint

    if session is None:
        from assistant.db.session import session_scope

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
    return out
