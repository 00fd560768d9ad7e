"""The base GGUF in the weight type llama.cpp runs fastest on this CPU, made once from the
packaged one (`llama_model_quantize`, no download).

The packaged SmolLM2 GGUF is Q4_1. llama.cpp has batched matrix kernels for Q4_0 and Q8_0 and
none for Q4_1, so a prompt (one batch) is evaluated token by token: measured on an AMD EPYC
(1 thread, a 250-token prompt), Q4_1 174 tokens/s, Q8_0 388, Q4_0 634; decoding 73 / 78 / 92
tokens/s. Q8_0 holds every Q4_1 weight to within its own rounding (a near-lossless copy);
Q4_0 rounds each block again. The LoRA adapters (GGUF LoRAs) apply on top of any of them.
"""

from __future__ import annotations

import ctypes
import os
import tempfile
from pathlib import Path
from typing import get_args

from assistant.config import GGUFType
from assistant.llm.errors import ModelLoadError

GGUF_TYPES: tuple[str, ...] = get_args(GGUFType)


def typed_gguf(source: Path, kind: str, folder: Path) -> Path:
    """`source` re-quantised to `kind` under `folder` (made on first use, then reused);
    `source` itself for "as_packaged"."""
    check_type(kind)
    if kind == "as_packaged":
        return source
    target = Path(folder) / f"{source.stem}.{kind}.gguf"
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    quantize_gguf(source, target, kind)
    return target


def check_type(kind: str) -> None:
    """Raise ModelLoadError naming the valid weight types for an unknown one."""
    if kind not in GGUF_TYPES:
        raise ModelLoadError(f"unknown GGUF type {kind!r}; valid: {', '.join(GGUF_TYPES)}")


def _packaged_ftype(model: Path) -> int:
    import gguf  # lazy: only the llamacpp backend reads GGUF headers

    return int(gguf.GGUFReader(str(model)).fields["general.file_type"].contents())


def quantize_gguf(source: Path, target: Path, kind: str, source_type: Path | None = None) -> None:
    """Write `source` quantised to `kind` at `target`, whole or not at all ("as_packaged": the
    weight type of `source_type`, the packaged model, or of `source` itself)."""
    check_type(kind)
    # lazy: llama-cpp-python is optional (built from source); only this backend needs it
    import llama_cpp
    from llama_cpp._utils import suppress_stdout_stderr

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".gguf", dir=target.parent)
    os.close(fd)
    params = llama_cpp.llama_model_quantize_default_params()
    if kind == "as_packaged":
        params.ftype = _packaged_ftype(source_type or source)
    else:
        params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{kind.upper()}")
    params.allow_requantize = True  # the source may be quantised already
    params.nthread = 1
    try:
        with suppress_stdout_stderr(disable=False):  # one line per tensor otherwise
            rc = llama_cpp.llama_model_quantize(
                str(source).encode(), tmp.encode(), ctypes.byref(params)
            )
        if rc != 0:
            raise ModelLoadError(f"llama.cpp could not quantise {source} to {kind} ({rc})")
        os.replace(tmp, target)  # whole or not at all: a half-written model is never loaded
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
