"""Cold start: popularity in context for new users, content neighbours for new items."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def popularity(user_items: sp.csr_matrix) -> np.ndarray:
    """Item popularity = number of distinct users who interacted. (n_users, n_items) -> (n_items,)"""
    return np.asarray((user_items > 0).sum(axis=0), dtype=np.float32).ravel()


def category_mask(categories: np.ndarray, category: str) -> np.ndarray:
    """Items whose category equals category or lies below it ("A > B" covers "A > B > C")."""
    want = category.strip().lower()
    if not want:
        return np.ones(len(categories), dtype=bool)
    cats = np.char.lower(categories.astype(str))
    return (cats == want) | np.char.startswith(cats, want + " >")


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (zero rows stay zero). (n, d) -> (n, d)"""
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n == 0, 1.0, n)


def content_neighbours(
    embeddings: np.ndarray, query: np.ndarray, k: int, exclude: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """k items whose (normalised) embedding is closest to query by cosine. (n, d), (d,)."""
    emb = normalize_rows(embeddings)
    q = normalize_rows(np.asarray(query, dtype=np.float32)[None, :])[0]
    sims = emb @ q  # (n,)
    if exclude is not None and len(exclude):
        sims[np.asarray(exclude)] = -np.inf
    k = min(k, int(np.isfinite(sims).sum()))
    top = np.argsort(-sims, kind="stable")[:k]
    return top, sims[top]
