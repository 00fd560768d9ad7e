"""Search with a rewrite: the one way both `POST /v1/rewrite` (k > 0) and `eval retrieval
--rewrite` turn a rewritten query into results.

BM25 reads the corrected query plus the rewrite's soft terms; the dense side reads the mean of
the typed and the corrected query's vectors, which hedges a wrong correction on the side that
reads typos best.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from retrieval.engine import Hit, SearchEngine
    from retrieval.filters import Filters
    from retrieval.rewrite.rewriter import Rewrite


def typed_text(rw: Rewrite) -> str:
    """What the shopper typed, whitespace-normalised ("" when it was not text)."""
    return " ".join(rw.original.split()) if isinstance(rw.original, str) else ""


def hedge_vectors(rewritten: np.ndarray, typed: np.ndarray) -> np.ndarray:
    """Unit mean of the rewritten and typed query vectors, row by row: [N, D], [N, D] -> [N, D]."""
    both = rewritten + typed
    return both / np.linalg.norm(both, axis=-1, keepdims=True).clip(1e-12)


def search_rewritten(
    engine: SearchEngine,
    rw: Rewrite,
    filters: Filters | None = None,
    k: int = 10,
    offset: int = 0,
    mode: str | None = None,
) -> list[Hit]:
    """Ranked hits for a rewrite (its query, soft terms and the typed text as a vector hedge)."""
    query = rw.query if isinstance(rw.query, str) else ""
    if not query.strip():
        return []
    mode = mode or engine.config.mode
    vector = None
    typed = typed_text(rw)
    if mode != "bm25" and typed and typed != query:
        pair = engine.embedder.embed([query, typed])  # [2, D]
        vector = hedge_vectors(pair[:1], pair[1:])[0]
    return engine.search(
        query,
        filters,
        k=k,
        offset=offset,
        mode=mode,
        query_vector=vector,
        soft_terms=rw.soft_terms,
    )
