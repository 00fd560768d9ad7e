"""Latency of the query rewriter over a list of queries (the search box's per-keystroke budget)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from retrieval.rewrite.rewriter import QueryRewriter


def latency_profile(
    rewriter: QueryRewriter, queries: Sequence[str], warmup: int = 20
) -> dict[str, float]:
    """p50 / p90 / p99 / max milliseconds per rewrite, and how many queries were changed."""
    if not queries:
        raise ValueError("latency_profile needs at least one query")
    for q in queries[:warmup]:
        rewriter.rewrite(q)
    times = np.empty(len(queries), dtype=np.float64)  # (n,) seconds
    changed = 0
    for i, q in enumerate(queries):
        t0 = time.perf_counter()
        out = rewriter.rewrite(q)
        times[i] = time.perf_counter() - t0
        changed += out.query != " ".join(q.split()) or bool(out.filters)
    ms = times * 1000.0
    return {
        "queries": len(queries),
        "changed": changed,
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p90_ms": round(float(np.percentile(ms, 90)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "max_ms": round(float(ms.max()), 3),
        "mean_ms": round(float(ms.mean()), 3),
    }
