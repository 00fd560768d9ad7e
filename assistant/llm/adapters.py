"""LoRA adapters on disk: where the store's adapter and the base model live, and its metadata.

Training an adapter for the catalog is a setup step of its own (`assistant.services.adapter`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.llm.base import ADAPTER_CONFIG
from assistant.llm.errors import AdapterError
from assistant.llm.llamacpp_backend import llama_cpp_available
from finetune.gguf_export import ExportError, export_lora

META = "shopassist.json"
GENERAL = "general"  # the adapter shipped inside the package (demo catalog + generic intents)
SHIPPED = Path(__file__).parent / "shipped"  # shipped adapters: SHIPPED/<name>/


def adapter_dir(settings: Settings, name: str | None = None) -> Path:
    """Directory of a named adapter (default: settings.adapter_name)."""
    return settings.path("adapters", name or settings.adapter_name)


def shipped_adapter_dir(name: str = GENERAL) -> Path | None:
    """The folder of an adapter shipped inside the package, or None when it is not there."""
    folder = SHIPPED / name
    return folder if (folder / ADAPTER_CONFIG).is_file() else None


def adapter_source(settings: Settings, name: str) -> Path:
    """The folder an adapter loads from: the store's data_dir/adapters/<name> when it holds
    one, else the copy shipped in the package (which may not exist either)."""
    folder = adapter_dir(settings, name)
    return folder if (folder / ADAPTER_CONFIG).is_file() else SHIPPED / name


def has_adapter(settings: Settings, name: str | None = None) -> bool:
    """True when data_dir/adapters/<name> (default: adapter_name) holds a trained adapter."""
    return (adapter_dir(settings, name) / ADAPTER_CONFIG).is_file()


def serving_adapter(settings: Settings) -> str | None:
    """The adapter the service decodes with: the store's own (adapter_name) once it is trained,
    else the installed copy of the shipped general adapter, else None (the base model)."""
    for name in (settings.adapter_name, GENERAL):
        if has_adapter(settings, name):
            return name
    return None


def base_model_dir(settings: Settings) -> Path:
    """The plain transformers directory of the configured base model (GGUF de-quantised once)."""
    # lazy: loading imports torch (seconds); an adapter's paths are needed without a model
    from assistant.llm.loading import plain_model_dir

    return plain_model_dir(settings.llm_model_path, settings.path("models"))


def export_gguf(settings: Settings, folder: Path) -> Path:
    """Export an adapter folder to the GGUF LoRA the llamacpp backend loads (ExportError)."""
    return export_lora(folder, base_model_dir(settings), settings.path("models"))


def export_after_training(settings: Settings, folder: Path) -> str:
    """Export a freshly trained adapter for llama.cpp when llama-cpp-python is installed; a
    line saying what happened (a failed export is reported, not raised: training succeeded)."""
    if not llama_cpp_available():
        return "adapter: llama-cpp-python is not installed; no GGUF export (transformers only)"
    t0 = time.monotonic()
    try:
        out = export_gguf(settings, folder)
    except ExportError as exc:
        return f"adapter: GGUF export failed ({exc}); `shopassist finetune export` retries"
    return f"adapter: exported {out} for llama.cpp in {time.monotonic() - t0:.1f} s"


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


def trained_adapters(settings: Settings) -> dict[str, float]:
    """The adapters on disk under data_dir/adapters (name -> when trained, epoch seconds; 0 when
    its metadata does not say), in name order."""
    root = settings.path("adapters")
    if not root.is_dir():
        return {}
    found: dict[str, float] = {}
    for folder in sorted(root.iterdir()):
        if (folder / ADAPTER_CONFIG).is_file():
            try:
                found[folder.name] = float(read_meta(folder).get("trained_at") or 0)
            except AdapterError:
                found[folder.name] = 0.0
    return found


def known_adapters(settings: Settings) -> list[str]:
    """Every adapter a model may plan with here: those trained under data_dir/adapters and
    those shipped in the package, in name order."""
    shipped = [p.name for p in SHIPPED.iterdir() if (p / ADAPTER_CONFIG).is_file()]
    return sorted({*trained_adapters(settings), *shipped})
