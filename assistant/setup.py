"""`make run` preparation: bring a data directory up to a servable state, step by step."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import typer

from assistant.config import Settings

# (label, "module:function") run in order; each step is idempotent and cheap when done.
SETUP_STEPS: list[tuple[str, str]] = [
    ("database schema", "assistant.db.migrate:upgrade"),
    ("demo store (when the catalog is empty)", "assistant.demo:ensure_demo_store"),
    ("query rewriter", "assistant.services.rewrite:prepare"),
    ("search index", "assistant.services.search:ensure_index"),
    ("recommender models", "assistant.services.recs:ensure_models"),
    ("LoRA adapter for this catalog", "assistant.services.adapter:ensure_adapter"),
    ("chat widget demo key", "assistant.services.keys:ensure_demo_key"),
]


def prepare(settings: Settings) -> None:
    """Run every setup step in order, each skipping work that is already done."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for label, target in SETUP_STEPS:
        module, func = target.split(":")
        step: Callable[[Settings], object] = getattr(importlib.import_module(module), func)
        typer.echo(f"setup: {label} ...")
        step(settings)
