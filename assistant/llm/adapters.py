"""LoRA adapters on disk: where the store's adapter and the base model live, and its metadata.

Training an adapter for the catalog is a setup step of its own (`assistant.services.adapter`).
"""

from __future__ import annotations

import json
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
    # lazy: loading imports torch (seconds); an adapter's paths are needed without a model
    from assistant.llm.loading import plain_model_dir

    return plain_model_dir(settings.llm_model_path, settings.path("models"))


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
