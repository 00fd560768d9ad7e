"""Export a trained peft LoRA adapter for llama.cpp, with the converter llama.cpp ships.

`convert_lora_to_gguf.py` comes inside the llama-cpp-python source package (its
vendor/llama.cpp folder); the pinned sdist is the one `make install` builds, so pip serves it
from its cache. Only the converter, its `conversion/` package and `gguf-py/` are kept, once,
under a cache folder. The base model for conversion is the plain transformers directory the
adapter was trained on (only its config and tokenizer are read).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

LLAMA_CPP_PYTHON = "0.3.36"  # the version pyproject's `llamacpp` extra and the Makefile pin
GGUF_NAME = "adapter.gguf"  # the exported LoRA, beside adapter_model.safetensors
SOURCE_NAME = "adapter.gguf.source"  # sha256 of the weights the GGUF was exported from
WEIGHTS = "adapter_model.safetensors"
_KEEP = ("convert_lora_to_gguf.py", "convert_hf_to_gguf.py", "conversion/", "gguf-py/")


class ExportError(RuntimeError):
    """The adapter could not be exported (no converter source, or the converter failed)."""


def gguf_path(adapter_dir: Path) -> Path:
    """Where an adapter's GGUF LoRA lives."""
    return Path(adapter_dir) / GGUF_NAME


def weights_digest(adapter_dir: Path) -> str:
    """sha256 of the adapter's trained weights ("" when it has none)."""
    weights = Path(adapter_dir) / WEIGHTS
    return hashlib.sha256(weights.read_bytes()).hexdigest() if weights.is_file() else ""


def is_exported(adapter_dir: Path) -> bool:
    """True when the adapter's GGUF exists and was exported from its current weights (the
    digest beside it; without one, the GGUF must be the newer file). A digest, not only file
    times: a git checkout writes an adapter's files in any order."""
    out, weights = gguf_path(adapter_dir), Path(adapter_dir) / WEIGHTS
    if not out.is_file() or not weights.is_file():
        return out.is_file()
    source = Path(adapter_dir) / SOURCE_NAME
    if source.is_file():
        return source.read_text().strip() == weights_digest(adapter_dir)
    return out.stat().st_mtime >= weights.stat().st_mtime


def converter_dir(cache_dir: Path, version: str = LLAMA_CPP_PYTHON) -> Path:
    """A folder with llama.cpp's converters, extracted once from the llama-cpp-python sdist."""
    target = Path(cache_dir) / f"llama.cpp-{version}"
    if (target / "convert_lora_to_gguf.py").is_file():
        return target
    with tempfile.TemporaryDirectory(dir=cache_dir if Path(cache_dir).is_dir() else None) as tmp:
        sdist = _download_sdist(Path(tmp), version)
        staging = Path(tmp) / "src"
        with tarfile.open(sdist) as tar:
            members = []
            for m in tar.getmembers():
                parts = m.name.split("/", 3)  # <pkg>/vendor/llama.cpp/<path>
                if len(parts) == 4 and parts[1:3] == ["vendor", "llama.cpp"]:
                    rel = parts[3]
                    if m.isfile() and any(rel == k or rel.startswith(k) for k in _KEEP):
                        m.name = rel
                        members.append(m)
            if not members:
                raise ExportError(f"{sdist.name} has no vendor/llama.cpp/convert_lora_to_gguf.py")
            tar.extractall(staging, members=members, filter="data")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            staging.rename(target)  # atomic: a concurrent export finds all of it or none
        except OSError:
            if not (target / "convert_lora_to_gguf.py").is_file():
                raise
    return target


def _download_sdist(folder: Path, version: str) -> Path:
    """The llama-cpp-python sdist, from pip's cache when `make install` built it."""
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
    cmd += ["-d", str(folder), f"llama-cpp-python=={version}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    found = sorted(folder.glob("llama_cpp_python-*.tar.gz"))
    if proc.returncode != 0 or not found:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ExportError(f"cannot fetch the llama-cpp-python {version} source: {tail[0]}")
    return found[0]


def export_lora(adapter_dir: Path, base_dir: Path, cache_dir: Path, outtype: str = "f32") -> Path:
    """Convert a peft adapter folder to a GGUF LoRA beside it; return the file."""
    adapter_dir = Path(adapter_dir)
    if not (adapter_dir / "adapter_config.json").is_file():
        raise ExportError(f"no LoRA adapter at {adapter_dir} (adapter_config.json missing)")
    script = converter_dir(cache_dir) / "convert_lora_to_gguf.py"
    out = gguf_path(adapter_dir)
    tmp = out.with_name(f"{out.name}.tmp{os.getpid()}")
    cmd = [sys.executable, str(script), str(adapter_dir), "--base", str(base_dir)]
    cmd += ["--outfile", str(tmp), "--outtype", outtype]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ExportError(f"convert_lora_to_gguf.py failed: {' | '.join(tail)}")
    tmp.replace(out)
    (adapter_dir / SOURCE_NAME).write_text(weights_digest(adapter_dir) + "\n")
    return out


def remove_converter(cache_dir: Path, version: str = LLAMA_CPP_PYTHON) -> None:
    """Forget the extracted converter (the next export extracts it again)."""
    shutil.rmtree(Path(cache_dir) / f"llama.cpp-{version}", ignore_errors=True)


def ship_adapter(adapter_dir: Path, out_dir: Path, base_dir: Path, cache_dir: Path) -> Path:
    """A compact copy of an adapter to commit: its config, its weights in f16 and their f16
    GGUF LoRA (with the digest that marks it current); the folder is replaced whole."""
    # lazy: safetensors' torch helpers import torch (seconds); only shipping needs them
    from safetensors.torch import load_file, save_file

    adapter_dir, out_dir = Path(adapter_dir), Path(out_dir)
    if not (adapter_dir / "adapter_config.json").is_file():
        raise ExportError(f"no LoRA adapter at {adapter_dir} (adapter_config.json missing)")
    tmp = out_dir.with_name(f"{out_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = Path(config.get("base_model_name_or_path", "")).name
    (tmp / "adapter_config.json").write_text(json.dumps(config, indent=2, sort_keys=True))
    weights = {k: v.half().contiguous() for k, v in load_file(str(adapter_dir / WEIGHTS)).items()}
    save_file(weights, str(tmp / WEIGHTS), metadata={"format": "pt"})
    export_lora(tmp, base_dir, cache_dir, outtype="f16")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return out_dir
