"""Sentence embeddings (MiniLM by default) behind one interface: `torch` or `onnx` backends.

Texts are sorted by token length and batched so padding is small; vectors are L2-normalised
float32 so inner product = cosine. Local directories only: nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

BACKENDS = ("onnx", "torch")
PRECISIONS = ("fp32", "int8")


@dataclass(frozen=True)
class EmbedderConfig:
    """Which model, which runtime, and how to batch."""

    model_path: str
    backend: str = "onnx"  # onnx | torch
    precision: str = "fp32"  # fp32 | int8 (onnx only: dynamic int8 quantisation)
    batch_size: int = 64
    max_length: int = 128  # product texts are short; longer inputs are truncated
    threads: int = 0  # 0: the runtime's default
    device: str = "cpu"  # torch backend: "cuda" on a GPU node (the Ray runner's actors)
    export_dir: str = (
        ""  # where the ONNX export is cached; "" = <model_path>/.. is read-only, so a temp dir
    )

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(
                f"unknown embedder backend {self.backend!r}; valid: {', '.join(BACKENDS)}"
            )
        if self.precision not in PRECISIONS:
            raise ValueError(
                f"unknown precision {self.precision!r}; valid: {', '.join(PRECISIONS)}"
            )
        if self.device != "cpu" and self.backend != "torch":
            raise ValueError(f"device {self.device!r} needs backend 'torch'")
        if self.precision == "int8" and self.backend != "onnx":
            raise ValueError("precision int8 needs backend 'onnx'")
        if self.batch_size < 1 or self.max_length < 8:
            raise ValueError("batch_size must be >= 1 and max_length >= 8")
        if not self.model_path or not (Path(self.model_path) / "config.json").is_file():
            raise ValueError(
                f"embedding model directory not found: {self.model_path!r} "
                "(set SHOPASSIST_EMBEDDER_PATH to a sentence-transformers directory)"
            )

    def fingerprint(self) -> str:
        """Identity of the vectors this config produces (model files + runtime precision)."""
        h = hashlib.sha1()
        weights = sorted(Path(self.model_path).glob("*.safetensors")) or sorted(
            Path(self.model_path).glob("*.bin")
        )
        for p in [Path(self.model_path) / "config.json", *weights]:
            st = p.stat()
            h.update(f"{p.name}:{st.st_size}:{int(st.st_mtime)}".encode())
        # torch and onnx fp32 give the same vectors (max abs diff ~1e-6); int8 does not
        h.update(f"{self.precision}:{self.max_length}".encode())
        return h.hexdigest()[:16]


class Backend(Protocol):
    """Turns a batch of tokenised texts into unnormalised sentence vectors."""

    dim: int

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(batch, seq) int64 ids and mask -> (batch, dim) float32 mean-pooled vectors."""
        ...


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    # hidden (b, s, d), mask (b, s) -> (b, d): average over real tokens only
    m = mask[..., None].astype(hidden.dtype)
    return (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)


class TorchBackend:
    """Plain PyTorch forward pass of the Hugging Face transformer."""

    def __init__(self, config: EmbedderConfig) -> None:
        import torch
        from transformers import AutoModel

        if config.threads:
            torch.set_num_threads(config.threads)
        self._torch = torch
        self.device = config.device
        self.model = AutoModel.from_pretrained(config.model_path, local_files_only=True)
        self.model = self.model.to(self.device).eval()
        self.dim = int(self.model.config.hidden_size)

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled last hidden states."""
        t = self._torch
        with t.inference_mode():
            out = self.model(
                input_ids=t.from_numpy(ids).to(self.device),
                attention_mask=t.from_numpy(mask).to(self.device),
            ).last_hidden_state
        return _mean_pool(out.float().cpu().numpy(), mask)


class OnnxBackend:
    """ONNX Runtime on an export of the same transformer (optionally dynamic int8)."""

    def __init__(self, config: EmbedderConfig) -> None:
        import onnxruntime as ort

        path = export_onnx(config)
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # no busy-waiting between ops: on shared cores spinning threads starve each other
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if config.threads:
            opts.intra_op_num_threads = config.threads
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.dim = int(
            json.loads((Path(config.model_path) / "config.json").read_text())["hidden_size"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled last hidden states."""
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (hidden,) = self.session.run(["last_hidden_state"], feeds)
        return _mean_pool(hidden, mask)


def model_dim(model_path: str) -> int:
    """Embedding width of a transformers model directory (from config.json, no weights loaded)."""
    return int(json.loads((Path(model_path) / "config.json").read_text())["hidden_size"])


def export_onnx(config: EmbedderConfig) -> Path:
    """Export (once, cached by fingerprint) the transformer to ONNX; quantise to int8 if asked."""
    import tempfile

    base = Path(config.export_dir or Path(tempfile.gettempdir()) / "shopassist-onnx")
    fp32 = base / f"{_model_key(config)}-fp32.onnx"
    target = fp32 if config.precision == "fp32" else base / f"{_model_key(config)}-int8.onnx"
    if target.is_file():
        return target
    base.mkdir(parents=True, exist_ok=True)
    if not fp32.is_file():
        _export_fp32(config.model_path, fp32)
    if config.precision == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
        os.replace(tmp, target)
    return target


def _model_key(config: EmbedderConfig) -> str:
    return (
        "m"
        + hashlib.sha1(
            f"{Path(config.model_path).resolve()}:{EmbedderConfig(config.model_path).fingerprint()}".encode()
        ).hexdigest()[:12]
    )


def _export_fp32(model_path: str, out: Path) -> None:
    import torch
    from transformers import AutoModel

    class _Hidden(torch.nn.Module):
        # keyword call: transformers' positional forward arguments differ across versions
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D102
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = _Hidden(
        AutoModel.from_pretrained(model_path, local_files_only=True, attn_implementation="eager")
    ).eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    dyn = {0: "batch", 1: "seq"}
    with torch.inference_mode():
        torch.onnx.export(
            model,
            args,
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "token_type_ids": dyn},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, out)


class Embedder:
    """Texts -> L2-normalised float32 vectors, batched by length, with an optional progress bar."""

    def __init__(self, config: EmbedderConfig) -> None:
        from tokenizers import Tokenizer

        self.config = config
        self.tokenizer = Tokenizer.from_file(str(Path(config.model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(config.max_length)
        self.tokenizer.no_padding()
        self.backend: Backend = (
            OnnxBackend(config) if config.backend == "onnx" else TorchBackend(config)
        )
        self.dim = self.backend.dim

    def embed(
        self, texts: list[str], progress: bool = False, desc: str = "embedding"
    ) -> np.ndarray:
        """(n,) texts -> (n, dim) unit vectors, in input order."""
        from tqdm.auto import tqdm

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self.tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        bs = self.config.batch_size
        with tqdm(total=len(texts), desc=desc, unit="text", disable=not progress) as bar:
            for start in range(0, len(order), bs):
                rows = order[start : start + bs]
                width = max(len(encs[i].ids) for i in rows)
                ids = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for j, i in enumerate(rows):
                    n = len(encs[i].ids)
                    ids[j, :n] = encs[i].ids
                    mask[j, :n] = 1
                out[rows] = self.backend.encode(ids, mask)
                bar.update(len(rows))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)

    def embed_query(self, text: str) -> np.ndarray:
        """One text -> (dim,) unit vector."""
        return self.embed([text])[0]
