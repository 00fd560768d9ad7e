"""FAISS vector index over unit vectors with stable int64 ids: flat below a size, IVF/HNSW above
(IVF-PQ on request, and per shard of a sharded index: `retrieval/shards.py`).

Moved to the GPU with `faiss.index_cpu_to_gpu` when faiss was built with CUDA and a GPU is
visible (HAS_CUDA); filtered searches stay on the CPU copy, where FAISS id selectors work.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import faiss

log = logging.getLogger(__name__)
KINDS = ("auto", "flat", "ivf", "hnsw", "ivfpq")
GPU_MODES = ("auto", "never", "always")


def _has_cuda() -> bool:
    try:
        import faiss

        return hasattr(faiss, "StandardGpuResources") and faiss.get_num_gpus() > 0
    except Exception:  # noqa: BLE001 - a broken faiss install is "no GPU" here
        return False


HAS_CUDA = _has_cuda()


@dataclass(frozen=True)
class VectorIndexConfig:
    """Index kind and its knobs; `auto` = flat below ann_threshold vectors, else hnsw (else
    ivfpq for one shard of a sharded index); shards > 1 splits the index (`retrieval/shards.py`)."""

    kind: str = "auto"
    ann_threshold: int = 200_000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128
    ivf_nlist: int = 0  # 0: 4 * sqrt(n)
    nprobe: int = 16
    pq_m: int = 48  # IVF-PQ: sub-quantizers of 8 bits each (48 bytes a 384-d vector, not 1,536)
    shards: int = 1
    gpu: str = "auto"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown vector index kind {self.kind!r}; valid: {', '.join(KINDS)}")
        if self.gpu not in GPU_MODES:
            raise ValueError(f"unknown gpu mode {self.gpu!r}; valid: {', '.join(GPU_MODES)}")
        if self.gpu == "always" and not HAS_CUDA:
            raise ValueError("gpu='always' but faiss has no CUDA support or no GPU is visible")
        if self.shards < 1:
            raise ValueError(f"shards must be >= 1, got {self.shards}")

    def resolve(self, n: int, shard: bool = False) -> str:
        """The concrete kind for a collection (or one shard: IVF-PQ when large) of n vectors."""
        if self.kind != "auto":
            return self.kind
        return "flat" if n < self.ann_threshold else ("ivfpq" if shard else "hnsw")


def _bitmap_selector(mask: np.ndarray):
    """FAISS selector of the ids i where mask[i] (ids are positions); keep the bitmap alive."""
    import faiss

    bits = np.packbits(mask.astype(np.uint8), bitorder="little")
    sel = faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits))  # n counts bytes
    return sel, bits


class VectorIndex:
    """Inner-product search over vectors identified by int64 ids (the caller's row numbers)."""

    def __init__(self, dim: int, config: VectorIndexConfig | None = None) -> None:
        self.dim = dim
        self.config = config or VectorIndexConfig()
        self.kind = "flat"
        self.index: faiss.Index | None = None
        self._gpu_index: faiss.Index | None = None
        self.tombstones: set[int] = set()  # hnsw cannot remove; deleted ids are filtered instead

    def build(self, ids: np.ndarray, vectors: np.ndarray, kind: str | None = None) -> VectorIndex:
        """(n,) int64 ids, (n, dim) float32 unit vectors -> a fresh index (kind: config's choice)."""
        import faiss

        n = len(ids)
        self.kind = kind or self.config.resolve(n)
        index: faiss.Index
        if self.kind == "flat":
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        elif self.kind == "hnsw":
            inner = faiss.IndexHNSWFlat(self.dim, self.config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = self.config.ef_construction
            index = faiss.IndexIDMap2(inner)
        else:
            nlist = self.config.ivf_nlist or max(1, min(int(4 * math.sqrt(n)), n // 39))
            quantizer = faiss.IndexFlatIP(self.dim)
            if self.kind == "ivfpq":
                if n < 256:  # 8-bit codes: each sub-quantizer trains 256 centroids
                    raise ValueError(f"an IVF-PQ index needs at least 256 vectors, got {n}")
                if self.dim % self.config.pq_m:
                    raise ValueError(
                        f"pq_m {self.config.pq_m} does not divide dimension {self.dim}"
                    )
                index = faiss.IndexIVFPQ(
                    quantizer, self.dim, nlist, self.config.pq_m, 8, faiss.METRIC_INNER_PRODUCT
                )
            else:
                index = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.train(np.ascontiguousarray(vectors, dtype=np.float32))
        self.index = index
        self.tombstones = set()
        self.add(ids, vectors)
        return self

    def _to_gpu(self) -> None:
        self._gpu_index = None
        if self.config.gpu == "never" or not HAS_CUDA or self.kind == "hnsw" or self.index is None:
            return
        try:
            import faiss

            self._gpu_res = faiss.StandardGpuResources()
            self._gpu_index = faiss.index_cpu_to_gpu(self._gpu_res, 0, self.index)
        except Exception as exc:  # noqa: BLE001 - fall back to CPU search, say why
            if self.config.gpu == "always":
                raise
            log.warning("faiss GPU copy failed, searching on CPU: %s", exc)

    @property
    def on_gpu(self) -> bool:
        """Whether unfiltered searches run on a GPU copy."""
        return self._gpu_index is not None

    @property
    def ntotal(self) -> int:
        """Number of live vectors."""
        return 0 if self.index is None else int(self.index.ntotal) - len(self.tombstones)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under ids (ids must be new)."""
        assert self.index is not None, "index not built"
        if len(ids):
            self.index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )
        self._to_gpu()

    def remove(self, ids: np.ndarray) -> None:
        """Delete ids from the index (hnsw: tombstoned and filtered out of results)."""
        assert self.index is not None, "index not built"
        ids = np.asarray(ids, dtype=np.int64)
        if self.kind == "hnsw":
            self.tombstones.update(int(i) for i in ids)
        elif len(ids):
            # faiss's stub types only the IDSelector form; the wrapper also takes an id array
            self.index.remove_ids(ids)  # type: ignore[arg-type]
        self._to_gpu()

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(dim,) query -> (scores, ids) best first, at most k; allowed = bool mask over ids."""
        import faiss

        assert self.index is not None, "index not built"
        # one query at a time: OpenMP fan-out costs more than it saves, and on a busy machine
        # its barriers cost tens of ms (measured 40 ms -> 0.4 ms on 2 shared cores)
        faiss.omp_set_num_threads(1)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        extra = 0
        if allowed is None:
            index = self._gpu_index or self.index
            params = self._params(None)
            extra = len(self.tombstones)  # over-fetch, then drop the deleted ones
        else:
            if self.tombstones:
                allowed = allowed.copy()
                allowed[[t for t in self.tombstones if t < len(allowed)]] = False
            index = self.index
            sel, _bits = _bitmap_selector(allowed)
            params = self._params(sel)
        fetch = max(1, min(k + extra, self.index.ntotal))
        scores, ids = index.search(q, fetch, params=params)
        keep = ids[0] >= 0
        if extra:
            keep &= ~np.isin(ids[0], list(self.tombstones))
        return scores[0][keep][:k], ids[0][keep][:k]

    def _params(self, sel):
        import faiss

        if self.kind == "hnsw":
            # faiss's stubs omit SearchParametersHNSW and the kwargs constructor that
            # class_wrappers.handle_SearchParameters adds at import time
            p = faiss.SearchParametersHNSW(efSearch=self.config.ef_search)  # type: ignore[attr-defined]
            if sel is not None:
                p.sel = sel
            return p
        if self.kind in ("ivf", "ivfpq"):
            p = faiss.SearchParametersIVF(nprobe=self.config.nprobe)  # type: ignore[call-arg]
            if sel is not None:
                p.sel = sel
            return p
        return None if sel is None else faiss.SearchParameters(sel=sel)  # type: ignore[call-arg]

    def save(self, path: str | Path) -> None:
        """Write the CPU index to path (a file)."""
        import faiss

        assert self.index is not None, "index not built"
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(
        cls, path: str | Path, dim: int, kind: str, tombstones: set[int], config: VectorIndexConfig
    ) -> VectorIndex:
        """Read an index written by save."""
        import faiss

        out = cls(dim, config)
        index = out.index = faiss.read_index(str(path))
        out.kind, out.tombstones = kind, set(tombstones)
        if index.d != dim:
            raise ValueError(f"vector index has dimension {index.d}, expected {dim}")
        out._to_gpu()
        return out
