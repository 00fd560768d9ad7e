"""A vector index split into shards over one id space, searched by fan-out and merge.

Row id i lives in shard i % n. Each shard is a `VectorIndex` of its own kind (exact flat below
`ann_threshold` vectors, IVF-PQ above), built wherever a runner puts it (`retrieval/runner.py`:
in this process, or one Ray task per shard) and shipped back as FAISS's serialised bytes. A
query goes to every shard; the k best of the union, by score and then id, are the answer. With
flat shards that is exactly the single flat index's answer (FAISS keeps the lower id of equal
scores, and so does the merge).

`new_vector_index`, `save_vector_index` and `load_vector_index` serve both the single and the
sharded index, so the engine does not care which one it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.vectors import VectorIndex, VectorIndexConfig

SHARDED = "sharded"
MapFn = Callable[[Callable[..., Any], Sequence[tuple]], list[Any]]


def local_map(fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
    """fn over args in this process (the runner's map when no cluster is configured)."""
    return [fn(*a) for a in args]


def build_shard(
    dim: int, config: VectorIndexConfig, ids: np.ndarray, vectors: np.ndarray
) -> tuple[str, np.ndarray]:
    """(n,) ids, (n, dim) vectors -> (kind, serialised FAISS index) of one shard."""
    import faiss

    index = VectorIndex(dim, config).build(ids, vectors, kind=config.resolve(len(ids), shard=True))
    assert index.index is not None
    return index.kind, faiss.serialize_index(index.index)


def _wrap(dim: int, config: VectorIndexConfig, kind: str, index: Any, tombstones: set[int]):
    """A VectorIndex around a FAISS index read or deserialised elsewhere."""
    out = VectorIndex(dim, config)
    out.index, out.kind, out.tombstones = index, kind, tombstones
    out._to_gpu()
    return out


class ShardedVectorIndex:
    """n VectorIndex shards; the same methods as VectorIndex (the engine holds either)."""

    kind = SHARDED

    def __init__(self, dim: int, config: VectorIndexConfig) -> None:
        self.dim = dim
        self.config = config
        self.shards = [VectorIndex(dim, config) for _ in range(config.shards)]

    @property
    def n_shards(self) -> int:
        """How many shards."""
        return len(self.shards)

    def _split(self, ids: np.ndarray) -> list[np.ndarray]:
        """Positions in ids of each shard's ids."""
        ids = np.asarray(ids, dtype=np.int64)
        return [np.flatnonzero(ids % self.n_shards == s) for s in range(self.n_shards)]

    def build(
        self,
        ids: np.ndarray,
        vectors: np.ndarray,
        kind: str | None = None,
        map_fn: MapFn = local_map,
    ) -> ShardedVectorIndex:
        """Build every shard (map_fn decides where: this process, or a task per shard)."""
        import faiss

        cfg = self.config if kind is None else replace(self.config, kind=kind)
        parts = self._split(ids)
        built = map_fn(build_shard, [(self.dim, cfg, ids[p], vectors[p]) for p in parts])
        self.shards = [
            _wrap(self.dim, cfg, k, faiss.deserialize_index(data), set()) for k, data in built
        ]
        return self

    @property
    def kinds(self) -> list[str]:
        """Each shard's concrete kind."""
        return [s.kind for s in self.shards]

    @property
    def tombstones(self) -> set[int]:
        """Deleted ids that some (hnsw) shard still holds."""
        return set().union(*(s.tombstones for s in self.shards))

    @property
    def on_gpu(self) -> bool:
        """Whether unfiltered searches of some shard run on a GPU copy."""
        return any(s.on_gpu for s in self.shards)

    @property
    def ntotal(self) -> int:
        """Number of live vectors over all shards."""
        return sum(s.ntotal for s in self.shards)

    def shard_sizes(self) -> list[int]:
        """Live vectors per shard."""
        return [s.ntotal for s in self.shards]

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under new ids, each to its shard."""
        ids = np.asarray(ids, dtype=np.int64)
        for shard, p in zip(self.shards, self._split(ids), strict=True):
            if len(p):
                shard.add(ids[p], vectors[p])

    def remove(self, ids: np.ndarray) -> None:
        """Delete ids from their shards."""
        ids = np.asarray(ids, dtype=np.int64)
        for shard, p in zip(self.shards, self._split(ids), strict=True):
            if len(p):
                shard.remove(ids[p])

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(dim,) query -> (scores, ids) best first, at most k: each shard's k best, merged."""
        found = [s.search(query, k, allowed) for s in self.shards if s.ntotal]
        if not found:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        scores = np.concatenate([f[0] for f in found])
        ids = np.concatenate([f[1] for f in found])
        order = np.lexsort((ids, -scores))[:k]  # by score, then the lower id (as FAISS does)
        return scores[order], ids[order]


AnyVectorIndex = VectorIndex | ShardedVectorIndex


def new_vector_index(dim: int, config: VectorIndexConfig) -> AnyVectorIndex:
    """An empty index: sharded when config.shards > 1."""
    return ShardedVectorIndex(dim, config) if config.shards > 1 else VectorIndex(dim, config)


def save_vector_index(index: AnyVectorIndex, directory: Path) -> dict:
    """Write what cannot be rebuilt cheaply (flat indexes are rebuilt from the vectors) into
    directory; returns the manifest fields that load_vector_index reads back."""
    import faiss

    fields: dict = {"vector_kind": index.kind, "tombstones": sorted(index.tombstones)}
    if isinstance(index, VectorIndex):
        if index.kind != "flat":
            index.save(directory / "vectors.faiss")
        return fields
    fields["shards"] = []
    for i, shard in enumerate(index.shards):
        entry: dict[str, str | int] = {"kind": shard.kind, "size": shard.ntotal}
        if shard.kind != "flat":
            assert shard.index is not None
            name = entry["file"] = f"vectors-{i:03d}.faiss"
            faiss.write_index(shard.index, str(directory / name))
        fields["shards"].append(entry)
    return fields


def load_vector_index(
    directory: Path,
    manifest: dict,
    vectors: np.ndarray,
    live: np.ndarray,
    config: VectorIndexConfig,
) -> AnyVectorIndex:
    """The index a version directory holds (manifest as written by save_vector_index); flat
    indexes and flat shards are rebuilt from the live rows of vectors."""
    import faiss

    dim, kind = vectors.shape[1], manifest["vector_kind"]
    tombstones = set(manifest.get("tombstones", []))
    live = live.astype(np.int64)
    if kind != SHARDED:
        if kind == "flat":
            return VectorIndex(dim, config).build(live, vectors[live], kind="flat")
        return VectorIndex.load(directory / "vectors.faiss", dim, kind, tombstones, config)
    entries = manifest["shards"]
    out = ShardedVectorIndex(dim, replace(config, shards=len(entries)))
    for i, (entry, rows) in enumerate(zip(entries, out._split(live), strict=True)):
        if entry["kind"] == "flat":
            ids = live[rows]
            out.shards[i] = VectorIndex(dim, out.config).build(ids, vectors[ids], kind="flat")
        else:
            index = faiss.read_index(str(directory / entry["file"]))
            mine = {t for t in tombstones if t % len(entries) == i}
            out.shards[i] = _wrap(dim, out.config, entry["kind"], index, mine)
    return out
