"""On-disk cache of embeddings keyed by a hash of (model fingerprint, text).

A re-index embeds only texts it has not seen with the same model; everything else is a lookup.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

_KEY = np.dtype("S32")  # hex: numpy bytes arrays drop trailing NULs


def text_key(fingerprint: str, text: str) -> bytes:
    """Content hash (32 hex chars) of a text under one model fingerprint."""
    digest = hashlib.blake2b(f"{fingerprint}\x00{text}".encode(), digest_size=16)
    return digest.hexdigest().encode()


class EmbeddingCache:
    """keys.npy (n,) S32 + vectors.npy (n, dim) float32 in one directory per model fingerprint."""

    def __init__(self, directory: str | Path, fingerprint: str) -> None:
        self.dir = Path(directory) / fingerprint
        self.fingerprint = fingerprint
        self._keys = np.zeros(0, dtype=_KEY)
        self._vecs: np.ndarray | None = None
        self._row: dict[bytes, int] = {}
        self.hits = self.misses = 0
        keys, vecs = self.dir / "keys.npy", self.dir / "vectors.npy"
        if keys.is_file() and vecs.is_file():
            try:
                k, v = np.load(keys), np.load(vecs)
                if len(k) == len(v):
                    self._keys, self._vecs = k, v
                    self._row = {bytes(x): i for i, x in enumerate(k)}
            except (OSError, ValueError):
                pass  # a damaged cache is only a cache: start empty

    def __len__(self) -> int:
        return len(self._row)

    def embed(self, texts: list[str], embed_fn: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors of texts, calling embed_fn only on texts missing from the cache (then stored)."""
        keys = [text_key(self.fingerprint, t) for t in texts]
        missing = sorted({k: i for i, k in enumerate(keys) if k not in self._row}.values())
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if missing:
            fresh = np.asarray(embed_fn([texts[i] for i in missing]), dtype=np.float32)
            self._append([keys[i] for i in missing], fresh)
        assert self._vecs is not None
        return self._vecs[[self._row[k] for k in keys]]

    def _append(self, keys: list[bytes], vecs: np.ndarray) -> None:
        start = len(self._keys)
        self._keys = np.concatenate([self._keys, np.array(keys, dtype=_KEY)])
        self._vecs = vecs if self._vecs is None else np.concatenate([self._vecs, vecs])
        self._row.update({k: start + i for i, k in enumerate(keys)})

    def save(self) -> None:
        """Persist atomically (temp files then os.replace); vectors first so keys never outrun them."""
        if self._vecs is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        for name, arr in (("vectors.npy", self._vecs), ("keys.npy", self._keys)):
            tmp = self.dir / f".{name}.{os.getpid()}.tmp"
            with tmp.open("wb") as fh:
                np.save(fh, arr)
            os.replace(tmp, self.dir / name)
