"""An adapter merged into the base model's weights: one GGUF per adapter, made once.

llama.cpp applies a GGUF LoRA at run time as two more matrix products beside each adapted
weight: 126 pairs for the shipped adapters (7 projections in 18 layers). A 135M model's step on a
CPU is mostly per-operation overhead, so those extra operations cost about as much as the model
itself (figures: README, issue #14). Merged, an adapter runs at the base model's speed.

The merge is W' = W + (alpha / r) * B @ A in float32, on the packaged weights de-quantised
(gguf-py), written as a float32 GGUF and then quantised once to the configured weight type, as
the base alone is (`gguf_types`). The file is named by the adapter folder and the digest of its
GGUF LoRA, so a retrained adapter gets a new file and its stale one is removed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from assistant.llm.errors import AdapterError
from assistant.llm.gguf_types import quantize_gguf


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def merge_lora(base: Path, lora: Path, out: Path) -> int:
    """Write `base` with the GGUF LoRA `lora` merged in to `out` (adapted tensors in float32,
    the others as they are); returns how many tensors were adapted."""
    import gguf  # lazy: only the llamacpp backend merges

    model, adapter = gguf.GGUFReader(str(base)), gguf.GGUFReader(str(lora))
    if "adapter.lora.alpha" not in adapter.fields:
        raise AdapterError(f"{lora} is not a GGUF LoRA (no adapter.lora.alpha)")
    alpha = float(adapter.fields["adapter.lora.alpha"].contents())
    pairs = {t.name: t for t in adapter.tensors}
    writer = gguf.GGUFWriter(str(out), str(model.fields["general.architecture"].contents()))
    for field in model.fields.values():
        # the writer writes the architecture and the GGUF.* header fields itself
        if field.name == "general.architecture" or field.name.startswith("GGUF."):
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        value = field.contents()
        if field.name == "general.file_type":
            value = int(gguf.LlamaFileType.ALL_F32)  # quantised next, from float32
        writer.add_key_value(field.name, value, kind, sub_type=sub)
    adapted = 0
    for t in model.tensors:
        a, b = pairs.get(f"{t.name}.lora_a"), pairs.get(f"{t.name}.lora_b")
        if a is None or b is None:
            writer.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
            continue
        w = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)  # (out, in)
        down = gguf.quants.dequantize(a.data, a.tensor_type).astype(np.float32)  # (r, in)
        up = gguf.quants.dequantize(b.data, b.tensor_type).astype(np.float32)  # (out, r)
        if down.shape[1] != w.shape[1] or up.shape[0] != w.shape[0]:
            raise AdapterError(f"{lora}: {t.name} is {w.shape}, its LoRA {up.shape} x {down.shape}")
        writer.add_tensor(t.name, w + (alpha / down.shape[0]) * (up @ down))
        adapted += 1
    if not adapted:
        raise AdapterError(f"{lora} adapts no tensor of {base}")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return adapted


def merged_gguf(base: Path, lora: Path, kind: str, folder: Path) -> Path:
    """`base` with the adapter whose GGUF LoRA is `lora` merged in, quantised to `kind`, under
    `folder` (made on first use, then reused until the LoRA changes)."""
    lora = Path(lora)
    stem = f"{lora.parent.name}-merged"
    target = Path(folder) / f"{stem}-{_digest(lora)}.{kind}.gguf"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".f32.gguf", dir=target.parent)
    os.close(fd)
    try:
        merge_lora(Path(base), lora, Path(tmp))
        quantize_gguf(Path(tmp), target, kind, source_type=Path(base))
    finally:
        Path(tmp).unlink(missing_ok=True)
    for old in target.parent.glob(f"{stem}-*.{kind}.gguf"):
        if old != target:  # the adapter was retrained: its previous merge is never loaded again
            old.unlink(missing_ok=True)
    return target
