"""Mapping between external string ids and dense matrix indices."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class IdIndex:
    """Ordered, immutable external-id <-> row-index mapping."""

    def __init__(self, ids: Iterable[object]):
        self.ids = np.array([str(i) for i in ids], dtype=object)
        self._pos = {v: n for n, v in enumerate(self.ids)}
        if len(self._pos) != len(self.ids):
            raise ValueError("duplicate ids in IdIndex")

    @classmethod
    def from_values(cls, values: Iterable[object]) -> IdIndex:
        """Index of the distinct values, in order of first appearance."""
        return cls(dict.fromkeys(str(v) for v in values))

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, key: object) -> bool:
        return str(key) in self._pos

    def get(self, key: object, default: int = -1) -> int:
        """Row of key, or default when unknown."""
        return self._pos.get(str(key), default)

    def lookup(self, keys: Iterable[object]) -> np.ndarray:
        """Rows of keys, -1 for unknown ones."""
        return np.array([self._pos.get(str(k), -1) for k in keys], dtype=np.int64)

    def to_list(self) -> list[str]:
        """The ids as a plain list (for JSON)."""
        return [str(v) for v in self.ids]
